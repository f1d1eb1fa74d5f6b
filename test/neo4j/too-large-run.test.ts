// A run that does not fit in one Neo4j transaction (the server's transaction memory limit) fails at
// once with an error saying so and what to do, is recorded as failed, and leaves nothing behind; doing
// what it says (several smaller runs, R5) then stores the graph one run would have given.
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../graph/errors.ts';
import type { RunInput } from '../../graph/store.ts';
import { openNeo4jStore } from '../../graph/stores/neo4j/index.ts';
import { storeImport } from '../../server/import.ts';
import { benchDataset } from '../../bench/lib/dataset.ts';
import { startLocalNeo4j } from '../neo4j-local/start.ts';
import { sqliteExportOf } from '../support/sqlite-export.ts';
import { neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';

const env = neo4jForTests();

describe.skipIf(!env.uri)(neo4jSuiteTitle('a run too large for one Neo4j transaction', env), () => {
  it(
    'R1/R5: fails with a clear error, is recorded as failed, writes nothing; split into runs it goes in',
    { timeout: 900_000 },
    async () => {
      const data = benchDataset('small');
      const input: RunInput = { source: 'files', scope: 'small', items: data.items, snapshots: data.snapshots };
      // Its own server, whose transactions may hold 16 MiB: far less than this run needs.
      const server = await startLocalNeo4j({ transactionMax: '16m' });
      try {
        const store = await openNeo4jStore({ uri: server.uri });
        const err = await store.ingest(input).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect((err as Error).message).toMatch(
          /too large for one transaction .*give Neo4j more memory .* or import in several smaller runs \(configgraph import --items-per-run N/s,
        );
        expect((await store.runs()).map((r) => r.status)).toEqual(['failed']);
        const stats = await store.stats();
        expect([stats.resources, stats.versions, stats.edges]).toEqual([0, 0, 0]);

        const runs = await storeImport(store, input, 150);
        expect(runs.length).toBeGreaterThan(5);
        expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
        expect(await store.canonicalExport()).toEqual(await sqliteExportOf(input));
        await store.close();
      } finally {
        await server.stop();
      }
    },
  );
});
