// "Refresh now" wiring for tests: the local Config endpoint serving the placebo history (one item per
// page, with latency, so a collection lasts long enough to be seen running), a real CollectionService
// into an in-memory SQLite store, and the real server with the collection routes wired to it.
import type { GraphStore } from '../../graph/store.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { CollectionService } from '../../server/collect/service.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/http/start.ts';
import { tempDir, useFakeCredentials } from '../collector/helpers.ts';
import { ConfigWorld, placeboHistoryItems, startConfigEndpoint } from './config-endpoint/index.ts';

export interface CollectingServer {
  store: GraphStore;
  server: RunningServer;
  /** Stops the server, the service, the store and the endpoint, and removes the checkpoints. */
  close(): Promise<void>;
}

export async function startCollectingServer(
  latencyMs: number,
  serverOptions: Omit<StartOptions, 'store' | 'port' | 'collection'>,
): Promise<CollectingServer> {
  useFakeCredentials();
  const dir = tempDir('configgraph-collecting-server-');
  const endpoint = await startConfigEndpoint({
    world: new ConfigWorld(placeboHistoryItems()),
    pageSize: { SelectResourceConfig: 1 },
    latencyMs,
  });
  const store = openSqliteStore(':memory:');
  const service = new CollectionService(store, {
    regions: ['us-east-1', 'us-east-2'],
    endpointUrl: endpoint.url,
    checkpointDir: dir.path,
    retryBaseMs: 5,
    rateLimits: { default: { perSecond: 1000, burst: 100 } },
  });
  const server = await startServer({
    ...serverOptions,
    store,
    port: 0,
    collection: {
      start: (body) => service.start(CollectionService.parseRequest(body)),
      current: () => service.status(),
    },
  });
  return {
    store,
    server,
    async close() {
      await server.close();
      await service.close();
      await store.close();
      await endpoint.close();
      dir.remove();
    },
  };
}
