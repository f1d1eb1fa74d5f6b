// configgraph import remembers the file contents it stored (SPEC R7): the same bytes are skipped unread, a
// changed file is imported again, a gzip file is known by its compressed bytes, and --reimport reads all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { importPaths } from '../../server/import.ts';
import { rawCi } from '../support/ci-builder.ts';

let dir: string;
let store: GraphStore;
const page = (...cis: unknown[]) => JSON.stringify({ configurationItems: cis });
const ci = (id: string, time: string) => rawCi({ type: 'AWS::EC2::Instance', id, time });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-files-record-'));
  store = openSqliteStore(join(dir, 'graph.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the imported-files record (R7)', () => {
  it('R7: the same bytes are skipped unread and store no run; a changed file is imported again', async () => {
    writeFileSync(join(dir, 'a.json'), page(ci('i-1', '2024-03-01T00:00:00Z')));
    writeFileSync(join(dir, 'b.json.gz'), gzipSync(page(ci('i-2', '2024-03-01T00:00:00Z'))));
    const first = await importPaths(store, [dir]);
    expect([first.items, first.versions, first.alreadyImported]).toEqual([2, 2, 0]);

    const again = await importPaths(store, [dir]);
    expect([again.items, again.alreadyImported, again.runs.length]).toEqual([0, 2, 0]);
    expect(again.notes).toContain('2 files already imported (the same bytes): skipped unread');
    expect(await store.runs()).toHaveLength(1);

    // a.json gains a later CI of i-1: only it is read again, and its new version stored.
    writeFileSync(
      join(dir, 'a.json'),
      page(ci('i-1', '2024-03-01T00:00:00Z'), { ...ci('i-1', '2024-03-02T00:00:00Z'), configurationStateId: '2' }),
    );
    const changed = await importPaths(store, [dir]);
    expect([changed.items, changed.versions, changed.duplicates, changed.alreadyImported]).toEqual([2, 1, 1, 1]);
    expect(await store.versionsOf('i-1')).toHaveLength(2);

    const forced = await importPaths(store, [dir], { reimport: true });
    expect([forced.items, forced.versions, forced.alreadyImported]).toEqual([3, 0, 0]);
  });

  it('R7: a file that cannot be parsed is not recorded: importing it again reports it again', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"configurationItems": [');
    for (let i = 0; i < 2; i++) {
      const s = await importPaths(store, [dir]);
      expect(s.alreadyImported).toBe(0);
      expect(s.skipped.map((x) => x.reason)).toEqual([expect.stringMatching(/^invalid JSON/)]);
    }
  });
});
