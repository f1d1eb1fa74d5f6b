// A streamed import's summary says what the import changed in the store (R6), however many runs it took:
// a deletion one run inferred and a later run undid is not counted, nor a resource twice.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { importPaths } from '../../server/import.ts';
import { ACCOUNT, rawCi, REGION } from '../support/ci-builder.ts';

let dir: string;
const stores: GraphStore[] = [];
const open = (name: string) => {
  const s = openSqliteStore(join(dir, name));
  stores.push(s);
  return s;
};
const ci = (id: string, time: string) => rawCi({ type: 'AWS::S3::Bucket', id, time });
const write = (path: string, doc: unknown) => {
  mkdirSync(dirname(join(dir, 'files', path)), { recursive: true });
  writeFileSync(join(dir, 'files', path), JSON.stringify(doc));
};
const snapshot = (time: string, ...cis: unknown[]) => ({
  fileVersion: '1.0',
  configSnapshotId: time,
  configurationItems: cis,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-net-counts-'));
  // In file order: a snapshot on the 5th listing only a; b's history (b last seen on the 1st); a snapshot on
  // the 6th listing a and b as they were. The first snapshot alone says b was deleted; the second withdraws it.
  write(
    `1/${ACCOUNT}_Config_${REGION}_ConfigSnapshot_20240105T000000Z_x.json`,
    snapshot('5', ci('a', '2024-01-01T00:00:00Z')),
  );
  // c (in a region without snapshots) fills the run after b's, so b is judged before the second snapshot arrives.
  write('2/history.json', {
    configurationItems: [
      ci('b', '2024-01-01T00:00:00Z'),
      rawCi({ type: 'AWS::S3::Bucket', id: 'c', time: '2024-01-01T00:00:00Z', region: 'us-east-1' }),
    ],
  });
  write(
    `3/${ACCOUNT}_Config_${REGION}_ConfigSnapshot_20240106T000000Z_y.json`,
    snapshot('6', ci('a', '2024-01-01T00:00:00Z'), ci('b', '2024-01-01T00:00:00Z')),
  );
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a streamed import's summary is net (R6)", () => {
  it('R6: a deletion an early run inferred and a later run undid is not counted; resources count once', async () => {
    const split = await importPaths(open('split.db'), [join(dir, 'files')], { itemsPerRun: 1 });
    expect(split.runs.length).toBeGreaterThan(2);
    // The runs did infer the deletion and undo it: the record of each says so.
    expect(split.runs.reduce((n, r) => n + r.counts.inferredDeletions, 0)).toBe(1);
    expect(split.runs.reduce((n, r) => n + (r.counts.undoneDeletions ?? 0), 0)).toBe(1);
    const one = await importPaths(open('one.db'), [join(dir, 'files')]);
    expect(one.runs).toHaveLength(1);
    const figures = (s: typeof split) => [s.items, s.resources, s.versions, s.duplicates, s.edges, s.inferredDeletions];
    expect(figures(split)).toEqual([5, 3, 3, 2, 0, 0]);
    expect(figures(split)).toEqual(figures(one));
    expect(split.undoneDeletions).toBeUndefined();
  });

  it('R6: an import that undoes deletions an earlier import inferred says how many', async () => {
    const store = open('later.db');
    const early = await importPaths(store, [join(dir, 'files', '1'), join(dir, 'files', '2')]);
    expect(early.inferredDeletions).toBe(1);
    const later = await importPaths(store, [join(dir, 'files', '3')]);
    expect([later.inferredDeletions, later.undoneDeletions]).toEqual([0, 1]);
  });
});
