// A command that only reads a SQLite store (stats, search, export…) opens it read-only. Such a connection
// cannot fold the write-ahead log back into the file, so SQLite left `-wal` and `-shm` beside the store after
// every one of them; they go now, unless another connection still has the store open.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../graph/stores/open.ts';
import { items, T } from '../support/ci-builder.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-read-only-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const beside = (file: string) => ['-wal', '-shm'].filter((s) => existsSync(file + s));
const instance = (id: string) => ({ type: 'AWS::EC2::Instance', id, time: T(1) });

async function storeWith(name: string, ids: string[]): Promise<string> {
  const file = join(dir, name);
  const store = await openStore(file, {});
  await store.ingest({ source: 'test', scope: 'a', items: items(...ids.map(instance)) });
  await store.close();
  return file;
}

describe('SQLite: a store only read', () => {
  it('has no -wal or -shm beside it once the reader closes', async () => {
    const file = await storeWith('read.sqlite', ['i-1', 'i-2']);
    expect(beside(file)).toEqual([]);
    for (let n = 0; n < 2; n++) {
      const reader = await openStore(file, {}, { access: 'read' });
      expect((await reader.stats()).resources).toBe(2);
      expect(await reader.search('i-1')).toHaveLength(1);
      await reader.close();
      expect(beside(file)).toEqual([]);
    }
  });

  it('leaves them while another connection has the store open, and that one goes on writing', async () => {
    const file = await storeWith('shared.sqlite', ['i-1']);
    const writer = await openStore(file, {});
    await writer.ingest({ source: 'test', scope: 'b', items: items(instance('i-2')) });
    const reader = await openStore(file, {}, { access: 'read' });
    expect((await reader.stats()).resources).toBe(2);
    await reader.close();
    expect(beside(file)).toContain('-wal');
    await writer.ingest({ source: 'test', scope: 'c', items: items(instance('i-3')) });
    await writer.close();
    const again = await openStore(file, {}, { access: 'read' });
    expect((await again.stats()).resources).toBe(3);
    await again.close();
    expect(beside(file)).toEqual([]);
  });
});
