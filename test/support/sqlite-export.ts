// The reference graph: what the embedded store holds after the same runs, as its canonical export.
import type { CanonicalExport, RunInput } from '../../graph/store.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';

/** The canonical export of an in-memory SQLite store fed these runs, in order. */
export async function sqliteExportOf(...runs: RunInput[]): Promise<CanonicalExport> {
  const store = openSqliteStore(':memory:');
  try {
    for (const run of runs) await store.ingest(run);
    return await store.canonicalExport();
  } finally {
    await store.close();
  }
}
