// The imported-files record (SPEC R7): one `(:ImportedFile {id, sha256, bytes, path, runId})` node per file
// content an import stored, written in the transaction of the run that completes the file's effect.
import type { IngestWrites } from '../../ingest/writes.ts';
import type { FileDigest } from '../../model.ts';
import { fileDigestId } from '../../file-digest.ts';
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
}

export async function importedFiles(tx: Runner, files: FileDigest[]): Promise<FileDigest[]> {
  if (!files.length) return [];
  const found = await rows(tx, 'UNWIND $ids AS id MATCH (f:ImportedFile {id: id}) RETURN f.id AS id', {
    ids: files.map(fileDigestId),
  });
  const known = new Set(found.map((r) => r.id as string));
  return files.filter((f) => known.has(fileDigestId(f)));
}
