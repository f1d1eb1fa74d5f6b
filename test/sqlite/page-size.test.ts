// A new SQLite store is created with 16 KiB pages (PAGE_SIZE_PRAGMA: its runs' inserts and commits cost less
// CPU than with SQLite's 4 KiB), and its writing connection's page cache is sized by the store's page size. A
// store created before keeps its pages (the size is in its file header) and its 64 MiB cache, and still
// ingests.
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, writerCachePragma } from '../../graph/stores/sqlite/index.ts';
import { items, T } from '../support/ci-builder.ts';

const SCHEMA7 = join(import.meta.dirname, '..', 'fixtures', 'stores', 'schema7.sqlite');

const pageSize = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
};

const run = (id: string) => ({
  source: 'test',
  scope: 'test',
  items: items({ type: 'AWS::EC2::Instance', id, time: T(1), tags: { Name: id } }),
});

describe('SQLite page size', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'configgraph-page-size-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a new store with 16 KiB pages, which hold what a run wrote', async () => {
    const path = join(dir, 'new.db');
    const store = openSqliteStore(path);
    await store.ingest(run('i-new'));
    expect((await store.search('i-new')).map((h) => h.node.resourceId)).toEqual(['i-new']);
    await store.close();
    expect(pageSize(path)).toBe(16384);
  });

  it('keeps the 4 KiB pages of a store created before, and ingests into it', async () => {
    const path = join(dir, 'old.db');
    copyFileSync(SCHEMA7, path);
    expect(pageSize(path)).toBe(4096);
    const store = openSqliteStore(path);
    await store.ingest(run('i-old'));
    expect((await store.search('i-old')).map((h) => h.node.resourceId)).toEqual(['i-old']);
    await store.close();
    expect(pageSize(path)).toBe(4096);
  });

  it('gives a writing connection 16 MiB of cache for 16 KiB pages and 64 MiB for smaller ones', () => {
    expect(writerCachePragma(16384)).toBe('cache_size = -16384');
    expect(writerCachePragma(4096)).toBe('cache_size = -65536');
  });
});
