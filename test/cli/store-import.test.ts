// server/import.ts storeImport: an import stored as several runs (R5), including when one of them fails.
import { describe, expect, it } from 'vitest';
import type { RunInput } from '../../graph/store.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { storeImport } from '../../server/import.ts';
import { items, T } from '../support/ci-builder.ts';
import { sqliteExportOf } from '../support/sqlite-export.ts';

const input = (): RunInput => ({
  source: 'files',
  scope: 'estate/',
  items: items(...['a', 'b', 'c', 'd'].map((id) => ({ type: 'AWS::S3::Bucket', id: `bucket-${id}`, time: T(1) }))),
});

describe('storeImport', () => {
  it('R5: one run by default, several of at most N items when asked', async () => {
    const store = openSqliteStore(':memory:');
    expect((await storeImport(store, input())).map((r) => r.scope)).toEqual(['estate/']);
    const split = openSqliteStore(':memory:');
    const runs = await storeImport(split, input(), 2);
    expect(runs.map((r) => [r.scope, r.counts.resources])).toEqual([
      ['estate/ (part 1 of 2)', 2],
      ['estate/ (part 2 of 2)', 2],
    ]);
    expect(await split.canonicalExport()).toEqual(await store.canonicalExport());
    await store.close();
    await split.close();
  });

  it('R1/R5: a failing part keeps the parts before it, says so, and a second import completes the graph', async () => {
    const store = openSqliteStore(':memory:');
    const bad = input();
    // The last bucket lost its capture time on the way: the store refuses it, naming the item.
    const broken = { ...bad.items[3]! } as Record<string, unknown>;
    delete broken.captureTime;
    bad.items[3] = broken as unknown as RunInput['items'][number];
    const err = await storeImport(store, bad, 2).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^run 2 of 2 failed \(runs 1–1 are stored; importing the same files again completes the graph\): /,
    );
    expect((await store.runs()).map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    expect((await store.stats()).resources).toBe(2);

    await storeImport(store, input(), 2);
    expect(await store.canonicalExport()).toEqual(await sqliteExportOf(input()));
    await store.close();
  });
});
