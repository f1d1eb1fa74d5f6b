// Neo4j killed in the middle of an import: the import fails with an error naming the URI, nothing of
// the interrupted run is visible after a restart, and importing again converges to the graph an
// uninterrupted import gives (checked against the SQLite store fed the same runs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../graph/errors.ts';
import { parseDocument } from '../../graph/parse/index.ts';
import type { RunInput } from '../../graph/store.ts';
import { openNeo4jStore } from '../../graph/stores/neo4j/index.ts';
import { generateEnvironment } from '../../world/generator/index.ts';
import { fixtureItems } from '../contract/store-contract.ts';
import { removeDataDir, startLocalNeo4j } from '../neo4j-local/start.ts';
import { sqliteExportOf } from '../support/sqlite-export.ts';
import { neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';

const env = neo4jForTests();

describe.skipIf(!env.uri)(neo4jSuiteTitle('Neo4j stops mid-import', env), () => {
  it(
    'R1: the run fails cleanly, leaves nothing half-written, and a re-run converges',
    { timeout: 600_000 },
    async () => {
      // Its own server on its own data directory: this test kills it.
      const dataDir = mkdtempSync(join(tmpdir(), 'configgraph-neo4j-kill-'));
      const fixtures = await fixtureItems();
      const first: RunInput = {
        source: 'files',
        scope: 'first',
        items: fixtures.items,
        snapshots: fixtures.snapshots,
        startedAt: '2026-01-01T00:00:00.000Z',
      };
      const generated = generateEnvironment({
        seed: 'kill',
        accounts: 3,
        regions: ['eu-west-1', 'us-east-1'],
        vpcsPerRegion: 2,
        subnetsPerVpc: 4,
        instancesPerSubnet: 4,
        days: 7,
      });
      const big: RunInput = {
        source: 'files',
        scope: 'big',
        items: parseDocument({ configurationItems: generated.items }, 'generated.json').items,
        startedAt: '2026-01-02T00:00:00.000Z',
      };
      expect(big.items.length).toBeGreaterThan(1000);

      let server = await startLocalNeo4j({ dataDir });
      try {
        let store = await openNeo4jStore({ uri: server.uri });
        await store.ingest(first);
        const before = await store.canonicalExport();

        let settled = false;
        const interrupted = store.ingest(big).finally(() => {
          settled = true;
        });
        // Kill once the run's transaction is under way: its statements show in SHOW TRANSACTIONS.
        const watcher = neo4j.driver(server.uri);
        try {
          for (;;) {
            const tx = await watcher.executeQuery(
              "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'HAS_VERSION' RETURN count(*) AS n",
            );
            if (Number(tx.records[0]?.get('n')) > 0 || settled) break;
            await new Promise((r) => setTimeout(r, 20));
          }
        } finally {
          await watcher.close();
        }
        expect(settled, 'the run finished before the server was killed: make it bigger').toBe(false);
        server.kill();
        await server.exited;
        const err = await interrupted.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect(String((err as Error).message)).toContain(server.uri);
        await store.close();

        server = await startLocalNeo4j({ dataDir });
        store = await openNeo4jStore({ uri: server.uri });
        expect(await store.canonicalExport()).toEqual(before);
        expect((await store.runs()).map((r) => r.scope)).toEqual(['first']);

        await store.ingest(big);
        expect(await store.canonicalExport()).toEqual(await sqliteExportOf(first, big));
        await store.close();
      } finally {
        await server.stop();
        removeDataDir(dataDir);
      }
    },
  );

  it('an unreachable Neo4j is a clear error naming the URI and what to check', async () => {
    const uri = 'bolt://127.0.0.1:9';
    await expect(openNeo4jStore({ uri })).rejects.toThrow(
      /cannot open the Neo4j store at bolt:\/\/127\.0\.0\.1:9: .*Check that Neo4j is running/s,
    );
    await expect(openNeo4jStore({ uri })).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
