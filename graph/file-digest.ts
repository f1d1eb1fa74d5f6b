// How a file's contents are known to the imported-files record (R7): by SHA-256 and size, as one id that
// every store keys its record by (Neo4j stores it as the node's id) and an import compares answers with.
import type { DownloadedObject, FileDigest, ImportedFile } from './model.ts';

export const fileDigestId = (f: FileDigest): string => `${f.sha256}:${f.bytes}`;

/** The S3 objects among a run's imported files, with their listings: what the run remembers beside them (R7). */
export const listedObjectsOf = (files: readonly ImportedFile[]): DownloadedObject[] =>
  files.flatMap((f) => (f.listing ? [{ ...f.listing, path: f.path, sha256: f.sha256, bytes: f.bytes }] : []));
