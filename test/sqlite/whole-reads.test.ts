// Whole-estate reads of a SQLite store in a file (issue 13): a whole `graphAt` and a `diff` are each read on
// a read-only connection of their own, which maps the file, in one read transaction; the connection is let go
// once read, and every read of a diff is of one snapshot whatever is committed meanwhile.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchDataset } from '../../bench/lib/dataset.ts';
import { diffSnapshots } from '../../graph/graph-diff.ts';
import type { IsoTime } from '../../graph/model.ts';
import { snapshotOfPages } from '../../graph/queries/graph-at.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { readerHeld } from '../support/sqlite-readers.ts';

const data = benchDataset('small');
let dir: string;
let file: string;
let from: IsoTime;
let to: IsoTime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-whole-'));
  file = join(dir, 'store.sqlite');
  const store = openSqliteStore(file);
  await store.ingest({ source: 'test', scope: 'small', items: data.items, snapshots: data.snapshots });
  await store.close();
  from = new Date(Date.parse(data.env.start) + 86_400_000).toISOString();
  to = data.env.end;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the small estate's store, for a test that changes it. */
function copyOfStore(name: string): string {
  const path = join(dir, name);
  copyFileSync(file, path);
  return path;
}

describe('SQLite: whole-estate reads of a store in a file', () => {
  it('a whole graphAt is the stream collected, and lets its connection go', async () => {
    const path = copyOfStore('graph.sqlite');
    const store = openSqliteStore(path);
    try {
      const graph = await store.graphAt(from);
      expect(graph.edges.length).toBeGreaterThan(100);
      expect(readerHeld(path)).toBe(false);
      expect(await snapshotOfPages(store.streamGraphAt(from), from)).toEqual(graph);
    } finally {
      await store.close();
    }
  });

  it('a diff is the diff of the two graphAts, and lets its connection go', async () => {
    const path = copyOfStore('diff.sqlite');
    const store = openSqliteStore(path);
    try {
      const diff = await store.diff(from, to);
      expect(readerHeld(path)).toBe(false);
      expect(diff.edges.added.length + diff.edges.removed.length).toBeGreaterThan(0);
      expect(diff).toEqual(diffSnapshots(from, to, await store.graphAt(from), await store.graphAt(to)));
    } finally {
      await store.close();
    }
  });

  it('a diff answers from one snapshot: what another connection commits while it reads changes nothing', async () => {
    const path = copyOfStore('changing.sqlite');
    const store = openSqliteStore(path);
    const other = new Database(path);
    try {
      const expected = await store.diff(from, to);
      // The diff's first read runs before `diff` returns its promise; the edges are gone before its next.
      const reading = store.diff(from, to);
      other.exec('DELETE FROM edges');
      expect(await reading).toEqual(expected);
      // Read again, it sees the edges gone.
      const after = await store.diff(from, to);
      expect(after.edges.added.length + after.edges.removed.length).toBe(0);
    } finally {
      other.close();
      await store.close();
    }
  });
});
