// A run that does not fit in one Neo4j transaction (the server's transaction memory limit) fails at
// once with an error saying so and what to do, is recorded as failed, and leaves nothing behind.
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../graph/errors.ts';
import { openNeo4jStore } from '../../graph/stores/neo4j/index.ts';
import { benchDataset } from '../../bench/lib/dataset.ts';
import { startLocalNeo4j } from '../support/local-neo4j.ts';
import { neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';

const env = neo4jForTests();

describe.skipIf(!env.uri)(neo4jSuiteTitle('a run too large for one Neo4j transaction', env), () => {
  it('R1: fails with a clear error, is recorded as failed, writes nothing', { timeout: 900_000 }, async () => {
    const data = benchDataset('medium');
    // Its own server with a small heap: the transaction limit is 70% of it.
    const server = await startLocalNeo4j({ heap: '256m' });
    try {
      const store = await openNeo4jStore({ uri: server.uri });
      const err = await store.ingest({ source: 'files', scope: 'medium', items: data.items, snapshots: data.snapshots }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message).toMatch(/too large for one transaction .*give Neo4j more memory .* or import the files in several smaller runs/s);
      const runs = await store.runs();
      expect(runs.map((r) => r.status)).toEqual(['failed']);
      const stats = await store.stats();
      expect([stats.resources, stats.versions, stats.edges]).toEqual([0, 0, 0]);
      await store.close();
    } finally {
      await server.stop();
    }
  });
});
