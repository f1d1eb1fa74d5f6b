// "Refresh now" over the API with the real collector: CollectionService collecting through the AWS
// SDK over HTTP from the local endpoint that speaks the Config protocol, into a fresh SQLite store.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../graph/store.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { CollectionService } from '../../server/collect/service.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';
import { tempDir, useFakeCredentials } from '../collector/helpers.ts';
import { ConfigWorld, placeboHistoryItems, startConfigEndpoint, type ConfigEndpoint } from '../support/config-endpoint/index.ts';
import { apiClient, type ApiClient } from './http.ts';

describe('POST /api/collections and GET /api/collections/current with the real collector', () => {
  let endpoint: ConfigEndpoint;
  let store: GraphStore;
  let service: CollectionService;
  let server: RunningServer;
  let api: ApiClient;
  const dir = tempDir('configgraph-api-collect-');

  beforeAll(async () => {
    useFakeCredentials();
    // Small pages and some latency: the collection lasts long enough to be seen running.
    endpoint = await startConfigEndpoint({ world: new ConfigWorld(placeboHistoryItems()), pageSize: { SelectResourceConfig: 1 }, latencyMs: 40 });
    store = openSqliteStore(':memory:');
    service = new CollectionService(store, {
      regions: ['us-east-1', 'us-east-2'],
      endpointUrl: endpoint.url,
      checkpointDir: dir.path,
      retryBaseMs: 5,
      rateLimits: { default: { perSecond: 1000, burst: 100 } },
    });
    server = await startServer({
      store,
      logger: createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) }),
      port: 0,
      collection: {
        start: (body) => service.start(CollectionService.parseRequest(body)),
        current: () => service.status(),
      },
    });
    api = apiClient(server.url);
  });

  afterAll(async () => {
    await service?.close();
    await server?.close();
    await store?.close();
    await endpoint?.close();
    dir.remove();
  });

  it('starts a collection, refuses a second while it runs, reports progress and then the new run', async () => {
    const health = await api.get('/api/health');
    expect(health.body.collector).toBe(true);
    const idle = await api.get('/api/collections/current');
    expect(idle.status).toBe(200);
    expect(idle.body.collection.state).toBe('idle');

    const bad = await api.post('/api/collections', { body: JSON.stringify({ regions: 'eu-west-1' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/regions/);
    const unknown = await api.post('/api/collections', { body: JSON.stringify({ endpointUrl: 'http://evil.test' }) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.accepted).toMatch(/regions, history, resourceTypes/);

    const started = await api.post('/api/collections', { body: '{}' });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe('/api/collections/current');
    expect(started.body.collection.state).toBe('running');
    const again = await api.post('/api/collections', { body: '{}' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('collection_running');

    let state = 'running';
    const deadline = Date.now() + 60_000;
    while (state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await api.get('/api/collections/current')).body.collection.state;
    }
    expect(state).toBe('succeeded');
    const runs = await api.get('/api/runs');
    expect(runs.body).toHaveLength(1);
    expect(runs.body[0].counts.items).toBeGreaterThan(0);
    expect((await api.get('/api/health')).body.lastRun.id).toBe(runs.body[0].id);
  });
});
