// The API suite on the embedded SQLite store (a file, so the CLI can open the same store).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { describeApiSuite } from './api-suite.ts';

describeApiSuite('SQLite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'configgraph-api-sqlite-')), 'store.db');
  return { store: openSqliteStore(path), spec: `sqlite:${path}` };
});
