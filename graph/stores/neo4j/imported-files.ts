// The imported-files record (SPEC R7): one `(:ImportedFile {id, sha256, bytes, path, runId})` node per file
// content an import stored, written in the transaction of the run that completes the file's effect.
import type { IngestWrites } from '../../ingest/writes.ts';
import type { DownloadedObject, FileDigest, ListedObject } from '../../model.ts';
import { fileDigestId, listedObjectsOf } from '../../file-digest.ts';
import { rows, type Runner } from './query.ts';

export async function writeImportedFiles(tx: Runner, w: IngestWrites): Promise<void> {
  if (!w.files.length) return;
  await rows(
    tx,
    'UNWIND $rows AS row MERGE (f:ImportedFile {id: row.id}) SET f.sha256 = row.sha256, f.bytes = row.bytes, f.path = row.path, f.runId = $runId',
    {
      rows: w.files.map((f) => ({ id: fileDigestId(f), sha256: f.sha256, bytes: f.bytes, path: f.path })),
      runId: w.run.id,
    },
  );
  const listed = listedObjectsOf(w.files);
  if (listed.length) await writeImportedObjects(tx, listed);
}

export async function importedFiles(tx: Runner, files: FileDigest[]): Promise<FileDigest[]> {
  if (!files.length) return [];
  const found = await rows(tx, 'UNWIND $ids AS id MATCH (f:ImportedFile {id: id}) RETURN f.id AS id', {
    ids: files.map(fileDigestId),
  });
  const known = new Set(found.map((r) => r.id as string));
  return files.filter((f) => known.has(fileDigestId(f)));
}

/**
 * Objects remembered per transaction: a whole bucket's listings at once would be one transaction state of
 * that size on the server (its memory is bounded, see docs/neo4j-schema.md), and each object stands alone.
 */
export const OBJECTS_PER_TRANSACTION = 5_000;

/**
 * One `(:ImportedObject {path, etag, size, lastModified, fileId})` per downloaded object, by path (unique):
 * the listing it had when the content `fileId` names was recorded.
 */
export async function importedObjects(tx: Runner, objects: ListedObject[]): Promise<ListedObject[]> {
  if (!objects.length) return [];
  const found = await rows(
    tx,
    `UNWIND range(0, size($rows) - 1) AS i
     WITH i, $rows[i] AS row
     MATCH (o:ImportedObject {path: row.path})
     WHERE o.etag = row.etag AND o.size = row.size AND o.lastModified = row.lastModified
       AND EXISTS { MATCH (:ImportedFile {id: o.fileId}) }
     RETURN i`,
    { rows: objects },
  );
  // By position: the same path may be asked with several listings.
  const known = new Set(found.map((r) => Number(r.i)));
  return objects.filter((_, i) => known.has(i));
}

/** One transaction's worth (OBJECTS_PER_TRANSACTION at most); returns how many were remembered. */
export async function writeImportedObjects(tx: Runner, objects: DownloadedObject[]): Promise<number> {
  const [counted] = await rows(
    tx,
    `UNWIND $rows AS row
     MATCH (:ImportedFile {id: row.fileId})
     MERGE (o:ImportedObject {path: row.path})
     SET o.etag = row.etag, o.size = row.size, o.lastModified = row.lastModified, o.fileId = row.fileId
     RETURN count(o) AS n`,
    {
      rows: objects.map((o) => ({
        path: o.path,
        etag: o.etag,
        size: o.size,
        lastModified: o.lastModified,
        fileId: fileDigestId(o),
      })),
    },
  );
  return Number(counted?.n ?? 0);
}
