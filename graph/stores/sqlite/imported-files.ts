// The imported-files record (SPEC R7): which file contents an import stored, written in the transaction of
// the run that completes each file's effect, so a re-import skips those files without reading them again;
// and the listing each downloaded S3 object had, so a re-import need not download it again.
import type { DownloadedObject, FileDigest, ListedObject } from '../../model.ts';
import type { IngestWrites } from '../../ingest/writes.ts';
import { listedObjectsOf } from '../../file-digest.ts';
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
  const listed = listedObjectsOf(w.files);
  if (listed.length) writeImportedObjects(stmt, listed);
}

export function importedFiles(stmt: Prepare, files: FileDigest[]): FileDigest[] {
  const has = stmt('SELECT 1 FROM imported_files WHERE sha256 = ? AND bytes = ?').pluck();
  return files.filter((f) => has.get(f.sha256, f.bytes) !== undefined);
}

/** The table schema step 9 adds (./migrations.ts): the listing each downloaded object had, by path. */
export const IMPORTED_OBJECTS = `
CREATE TABLE IF NOT EXISTS imported_objects (
  path TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  last_modified TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL
);`;

export function importedObjects(stmt: Prepare, objects: ListedObject[]): ListedObject[] {
  // The content must still be recorded: the object's row says which bytes it held, not that they were stored.
  const has = stmt(
    `SELECT 1 FROM imported_objects o JOIN imported_files f ON f.sha256 = o.sha256 AND f.bytes = o.bytes
     WHERE o.path = ? AND o.etag = ? AND o.size = ? AND o.last_modified = ?`,
  ).pluck();
  return objects.filter((o) => has.get(o.path, o.etag, o.size, o.lastModified) !== undefined);
}

/** Run in a transaction; returns how many objects were remembered. */
export function writeImportedObjects(stmt: Prepare, objects: DownloadedObject[]): number {
  const insert = stmt(
    `INSERT OR REPLACE INTO imported_objects (path, etag, size, last_modified, sha256, bytes)
     SELECT ?, ?, ?, ?, sha256, bytes FROM imported_files WHERE sha256 = ? AND bytes = ?`,
  );
  let n = 0;
  for (const o of objects) n += insert.run(o.path, o.etag, o.size, o.lastModified, o.sha256, o.bytes).changes;
  return n;
}
