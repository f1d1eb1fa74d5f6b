// The contract again, with every run written on the SQLite store's writer thread (`configgraph import`'s way).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { describeStoreContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'configgraph-writer-contract-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('sqlite, runs written on the writer thread', async () =>
  openSqliteStore(join(dir, `store-${++n}.sqlite`), { writerThread: true }),
);
