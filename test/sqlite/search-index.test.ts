// A run writes the trigram index rows of its search terms itself, with the index's triggers dropped for the
// writes (graph/stores/sqlite/search-index.ts): the schema must come out of the run as it went in, and the
// index must stay exactly in step with the terms, through new, replaced and rolled-back terms.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { replaceTerms } from '../../graph/stores/sqlite/search-index.ts';
import { items, T } from '../support/ci-builder.ts';

const INSTANCE = 'AWS::EC2::Instance';
const instance = (time: string, name: string, ip: string) =>
  items({ type: INSTANCE, id: 'i-0abc', time, tags: { Name: name }, configuration: { privateIpAddress: ip } });

describe('SQLite search index written by a run', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'configgraph-search-index-'));
    path = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const schema = () => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    } finally {
      db.close();
    }
  };
  /** FTS5's own check of an external-content index against its table (throws when they differ). */
  const indexMatchesTerms = () => {
    const db = new Database(path);
    try {
      db.prepare("INSERT INTO terms_text (terms_text, rank) VALUES ('integrity-check', 1)").run();
      return true;
    } finally {
      db.close();
    }
  };

  it('leaves the schema as it was and the index in step with the terms as they are replaced', async () => {
    const store = openSqliteStore(path);
    const before = schema();
    expect(before.filter((r) => (r as { type: string }).type === 'trigger')).toHaveLength(2);

    await store.ingest({ source: 'test', scope: 'test', items: instance(T(1), 'payments-web', '10.1.2.3') });
    expect(schema()).toEqual(before);
    expect(indexMatchesTerms()).toBe(true);
    expect((await store.search('ments-we'))[0]?.node.resourceId).toBe('i-0abc');

    // A later version replaces the resource's terms: the old ones leave the index, the new ones enter it.
    await store.ingest({ source: 'test', scope: 'test', items: instance(T(2), 'billing-api', '10.9.8.7') });
    expect(schema()).toEqual(before);
    expect(indexMatchesTerms()).toBe(true);
    expect(await store.search('ments-we')).toEqual([]);
    expect(await store.search('.2.3')).toEqual([]);
    expect((await store.search('ling-ap'))[0]?.node.resourceId).toBe('i-0abc');
    expect((await store.search('9.8.7'))[0]?.matchedOn).toBe('ip');
    await store.close();
  });

  it('a transaction that fails after writing terms leaves the triggers, the terms and the index as they were', async () => {
    const store = openSqliteStore(path);
    await store.ingest({ source: 'test', scope: 'test', items: instance(T(1), 'payments-web', '10.1.2.3') });
    await store.close();
    const before = schema();
    const db = new Database(path);
    const terms = () => db.prepare('SELECT id, key, kind, value FROM terms ORDER BY id').all();
    const stored = terms();
    const key = (stored[0] as { key: string }).key;
    expect(() =>
      db.transaction(() => {
        replaceTerms((sql) => db.prepare(sql), [key], [{ key, kind: 'name', value: 'billing-api' }]);
        throw new Error('a later write failed');
      })(),
    ).toThrow('a later write failed');
    expect(terms()).toEqual(stored);
    db.close();
    expect(schema()).toEqual(before);
    expect(indexMatchesTerms()).toBe(true);
    const again = openSqliteStore(path);
    expect((await again.search('ments-we'))[0]?.node.resourceId).toBe('i-0abc');
    expect(await again.search('ling-ap')).toEqual([]);
    await again.close();
  });
});
