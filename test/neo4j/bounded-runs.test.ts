// Issue 14, item 10: an import split into runs (R5) completes on top of existing data, even when its
// snapshots drop most of what is stored, on a server whose transactions hold only a few parts' worth:
// every run writes and re-examines a bounded number of resources, the last ones included, and the graph
// is the one SQLite stores from the same imports as single runs.
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../graph/errors.ts';
import type { RunRecord, ScopeSnapshot } from '../../graph/model.ts';
import type { RunInput } from '../../graph/store.ts';
import { openNeo4jStore } from '../../graph/stores/neo4j/index.ts';
import { storeImport } from '../../server/import.ts';
import { parseFiles } from '../../bench/lib/dataset.ts';
import { deliveryFiles, generateEnvironment, SIZES } from '../../world/generator/index.ts';
import { startLocalNeo4j } from '../neo4j-local/start.ts';
import { sqliteExportOf } from '../support/sqlite-export.ts';
import { neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';

const env = neo4jForTests();
const ACCOUNTS = ['111122223333', '444455556666'];
const PER_RUN = 60;

/** One estate's S3 deliveries as one import: the same accounts and regions each time, other resources. */
function estate(seed: string): RunInput {
  const generated = generateEnvironment({ ...SIZES.small, days: 3, seed, accounts: ACCOUNTS });
  const { items, snapshots } = parseFiles(deliveryFiles(generated.items));
  return { source: 'files', scope: seed, items, snapshots };
}

/** What bounds a run: items it brings, events, resources it re-examines and resources it infers deleted. */
function expectBounded(runs: RunRecord[]): void {
  for (const r of runs) {
    expect(r.status).toBe('succeeded');
    expect(r.counts.resources).toBeLessThanOrEqual(PER_RUN);
    expect(r.counts.items).toBeLessThanOrEqual(PER_RUN);
    expect(r.reexamined?.resources ?? 0).toBeLessThanOrEqual(PER_RUN);
    expect(r.counts.inferredDeletions).toBeLessThanOrEqual(PER_RUN);
  }
}

describe.skipIf(!env.uri)(neo4jSuiteTitle('a split import on top of existing data', env), () => {
  it(
    'R5: every run is bounded, the snapshots ones included; an import dropping the stored estate completes to the graph of single runs',
    { timeout: 900_000 },
    async () => {
      const before = estate('before');
      // The same history again, with later snapshots that list three resources per account and region:
      // every other stored resource is inferred deleted.
      const after: RunInput = {
        ...before,
        scope: 'after',
        snapshots: before.snapshots!.map((s): ScopeSnapshot => ({
          ...s,
          time: '2029-01-01T00:00:00.000Z',
          members: s.members.slice(0, 3),
        })),
      };
      const server = await startLocalNeo4j({ transactionMax: '16m' });
      try {
        const store = await openNeo4jStore({ uri: server.uri });
        expectBounded(await storeImport(store, before, PER_RUN));
        // In one run, these snapshots do not fit in one transaction of this server…
        const err = await store.ingest(after).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect((err as Error).message).toMatch(/too large for one transaction/);
        // …split, they go in as bounded runs, to the graph SQLite stores from single runs.
        const runs = await storeImport(store, after, PER_RUN);
        expectBounded(runs);
        expect(runs.reduce((n, r) => n + r.counts.inferredDeletions, 0)).toBeGreaterThan(5 * PER_RUN);
        expect(runs.filter((r) => r.reexamined).length).toBeGreaterThan(5);
        expect(await store.canonicalExport()).toEqual(await sqliteExportOf(before, after));
        await store.close();
      } finally {
        await server.stop();
      }
    },
  );
});
