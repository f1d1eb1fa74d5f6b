// The imported-files record (SPEC R7): which file contents an import stored, written in the transaction of
// the run that completes each file's effect, so a re-import skips those files without reading them again.
import type { FileDigest } from '../../model.ts';
import type { IngestWrites } from '../../ingest/writes.ts';
import type { Prepare } from './ingest.ts';

/** The table schema step 7 adds (./migrations.ts). */
export const IMPORTED_FILES = `
CREATE TABLE IF NOT EXISTS imported_files (
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  path TEXT NOT NULL,
  run_id TEXT NOT NULL,
  PRIMARY KEY (sha256, bytes)
);`;

export function writeImportedFiles(stmt: Prepare, w: Pick<IngestWrites, 'files' | 'run'>): void {
  const insert = stmt('INSERT OR REPLACE INTO imported_files (sha256, bytes, path, run_id) VALUES (?, ?, ?, ?)');
  for (const f of w.files) insert.run(f.sha256, f.bytes, f.path, w.run.id);
}

export function importedFiles(stmt: Prepare, files: FileDigest[]): FileDigest[] {
  const has = stmt('SELECT 1 FROM imported_files WHERE sha256 = ? AND bytes = ?').pluck();
  return files.filter((f) => has.get(f.sha256, f.bytes) !== undefined);
}
