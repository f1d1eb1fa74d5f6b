// A whole estate streamed from a SQLite store in a file (issue 13): its pages are read on a read-only
// connection of the stream's own as they are consumed, all from one snapshot whatever is imported
// meanwhile, and the connection is let go when the stream ends, is abandoned or the store closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchDataset } from '../../bench/lib/dataset.ts';
import type { IsoTime } from '../../graph/model.ts';
import { snapshotOfPages } from '../../graph/queries/graph-at.ts';
import type { GraphPage } from '../../graph/store.ts';
import { streamGraphAtOn } from '../../graph/stores/sqlite/graph-at.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { readerHeld } from '../support/sqlite-readers.ts';
import { buildExport } from '../../server/export/index.ts';

const data = benchDataset('small');
const half = Math.floor(data.items.length / 2);
let dir: string;
let file: string;
let at: IsoTime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-stream-'));
  file = join(dir, 'store.sqlite');
  const store = openSqliteStore(file);
  await store.ingest({ source: 'test', scope: 'small', items: data.items, snapshots: data.snapshots });
  await store.close();
  at = new Date((Date.parse(data.env.start) + Date.parse(data.env.end)) / 2).toISOString();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `db` with the rows its statements over `edges` hand out counted (`counted.rows`). */
function counting(db: Database.Database): { db: Database.Database; counted: { rows: number } } {
  const counted = { rows: 0 };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop !== 'prepare') {
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return (sql: string) => {
        const st = target.prepare(sql);
        if (!/^SELECT id, source/.test(sql)) return st;
        const iterate = st.iterate.bind(st);
        st.iterate = function* (...params: unknown[]) {
          for (const row of iterate(...params)) {
            counted.rows++;
            yield row;
          }
        } as typeof st.iterate;
        return st;
      };
    },
  });
  return { db: proxy, counted };
}

describe('SQLite: a whole estate streamed from a file', () => {
  it('pages, collected, are graphAt, at several times and scopes', async () => {
    const store = openSqliteStore(file, { readonly: true });
    try {
      const account = data.env.options.accounts[0]!;
      for (const t of [at, data.env.end, undefined])
        for (const scope of [{}, { accountId: account }]) {
          const streamed = await snapshotOfPages(store.streamGraphAt(t, scope), t);
          expect(streamed).toEqual(await store.graphAt(t, scope));
        }
    } finally {
      await store.close();
    }
  });

  it('steps the edges as the pages are consumed: the first page comes before the last edge is read', () => {
    const { db, counted } = counting(new Database(file, { readonly: true }));
    const pages = streamGraphAtOn(() => db, at, {}, 100);
    let next = pages.next();
    while (!next.done && next.value.nodes) next = pages.next();
    expect(next.done).toBe(false);
    const afterFirstPage = counted.rows;
    let edges = next.value!.edges!.length;
    for (const page of { [Symbol.iterator]: () => pages }) edges += page.edges!.length;
    expect(edges).toBeGreaterThan(10 * 100);
    expect(counted.rows).toBeGreaterThanOrEqual(edges);
    expect(afterFirstPage).toBeGreaterThanOrEqual(100);
    // The first page of 100 kept edges took a few more rows than 100 (edges not kept), not the estate's.
    expect(afterFirstPage).toBeLessThan(counted.rows / 4);
    expect(db.open).toBe(false);
  });

  it('answers from one snapshot: an import committed during the stream does not change it', async () => {
    const path = join(dir, 'growing.sqlite');
    const store = openSqliteStore(path);
    try {
      await store.ingest({ source: 'test', scope: 'first', items: data.items.slice(0, half), snapshots: [] });
      const before = await store.graphAt();
      const pages = store.streamGraphAt()[Symbol.asyncIterator]();
      const collected: GraphPage[] = [];
      let next = await pages.next();
      expect(next.done).toBe(false);
      collected.push(next.value as GraphPage);
      await store.ingest({ source: 'test', scope: 'second', items: data.items.slice(half), snapshots: [] });
      const after = await store.graphAt();
      expect(after.nodes.length).toBeGreaterThan(before.nodes.length);
      for (next = await pages.next(); !next.done; next = await pages.next()) collected.push(next.value);
      expect(await snapshotOfPages(collected, undefined)).toEqual(before);
      expect(await snapshotOfPages(store.streamGraphAt(), undefined)).toEqual(after);
    } finally {
      await store.close();
    }
  });

  it('lets its read go when the stream ends, is abandoned, or the store closes', async () => {
    const path = join(dir, 'probed.sqlite');
    const writer = openSqliteStore(path);
    await writer.ingest({ source: 'test', scope: 'small', items: data.items, snapshots: data.snapshots });
    await writer.close();
    const store = openSqliteStore(path, { readonly: true });
    expect(readerHeld(path)).toBe(false);
    const edgePage = async (pages: AsyncIterator<GraphPage>) => {
      for (let next = await pages.next(); !next.done; next = await pages.next()) if (next.value.edges) return;
      throw new Error('no page of edges');
    };
    // Read to the end.
    await snapshotOfPages(store.streamGraphAt(at), at);
    expect(readerHeld(path)).toBe(false);
    // Abandoned after its first page of edges.
    const abandoned = store.streamGraphAt(at)[Symbol.asyncIterator]();
    await edgePage(abandoned);
    expect(readerHeld(path)).toBe(true);
    await abandoned.return?.(undefined);
    expect(readerHeld(path)).toBe(false);
    // An export whose reader stops after its first piece, before any edge is written.
    const out = await buildExport(store, { format: 'json', at }, { store: 'test' });
    expect(readerHeld(path)).toBe(true);
    const chunks = (out.chunks as AsyncIterable<string>)[Symbol.asyncIterator]();
    await chunks.next();
    await chunks.return?.(undefined);
    expect(readerHeld(path)).toBe(false);
    // Left unended: closing the store ends it.
    await edgePage(store.streamGraphAt(at)[Symbol.asyncIterator]());
    expect(readerHeld(path)).toBe(true);
    await store.close();
    expect(readerHeld(path)).toBe(false);
  });
});
