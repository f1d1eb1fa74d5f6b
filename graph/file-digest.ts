// How a file's contents are known to the imported-files record (R7): by SHA-256 and size, as one id that
// every store keys its record by (Neo4j stores it as the node's id) and an import compares answers with.
import type { FileDigest } from './model.ts';

export const fileDigestId = (f: FileDigest): string => `${f.sha256}:${f.bytes}`;
