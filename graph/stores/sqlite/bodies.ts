// How a version is stored (schema step 6): its configuration and supplementary configuration once per
// distinct content in `configurations`, keyed by their SHA-256, and the rest of the version in
// `versions.body`; both compressed (zstd where this Node has it, else deflate: the first bytes tell which
// on reading, so a store stays readable by either). Resources keep the same configuration across many
// captures, and the snapshots repeat it, so most versions add only their small remainder.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { ResourceVersion } from '../../model.ts';

const ZSTD_MAGIC = 0xfd2fb528; // little-endian start of every zstd frame; deflate (zlib) data starts with 0x78

const zstd = typeof zlib.zstdCompressSync === 'function';

function pack(text: string): Buffer {
  const raw = Buffer.from(text);
  return zstd ? zlib.zstdCompressSync(raw) : zlib.deflateSync(raw);
}

function unpack(data: Buffer | string): string {
  if (typeof data === 'string') return data; // a row written before step 6 and not yet rewritten
  const z = data.length >= 4 && data.readUInt32LE(0) === ZSTD_MAGIC;
  return (z ? zlib.zstdDecompressSync(data) : zlib.inflateSync(data)).toString();
}

export interface StoredVersion {
  /** The version without its configurations, compressed. */
  body: Buffer;
  /** The SHA-256 of its configurations' JSON: their row in `configurations`. */
  config: Buffer;
  /** Their JSON, compressed only when the row is new (see configData). */
  configJson: string;
}

/** A version split for storage. Key order is kept: the configurations stay in place as nulls. */
export function storedVersion(v: ResourceVersion): StoredVersion {
  const configJson = JSON.stringify([v.configuration, v.supplementaryConfiguration]);
  return {
    body: pack(JSON.stringify({ ...v, configuration: null, supplementaryConfiguration: null })),
    config: createHash('sha256').update(configJson).digest(),
    configJson,
  };
}

export const configData = (configJson: string): Buffer => pack(configJson);

/** A version read back from its body and (when it has one) its configurations row. */
export function versionOf(body: Buffer | string, config: Buffer | string | null): ResourceVersion {
  const v = JSON.parse(unpack(body)) as ResourceVersion;
  if (config !== null) {
    const [configuration, supplementaryConfiguration] = JSON.parse(unpack(config)) as [
      unknown,
      Record<string, unknown>,
    ];
    v.configuration = configuration;
    v.supplementaryConfiguration = supplementaryConfiguration;
  }
  return v;
}

/** The columns versionOf reads, for `versions v`. */
export const VERSION_COLUMNS =
  'v.body AS body, (SELECT c.data FROM configurations c WHERE c.hash = v.config) AS config';

/**
 * Schema step 6 for rows written before it: every version body (JSON text) split and compressed, in
 * batches so that no more than a batch is held in memory.
 */
export function compactVersions(db: import('better-sqlite3').Database): void {
  db.exec(`ALTER TABLE versions ADD COLUMN config BLOB;
    CREATE TABLE configurations (hash BLOB PRIMARY KEY, data BLOB NOT NULL);`);
  // A rowid table: WITHOUT ROWID would keep the blobs in the key's b-tree, at twice their size on disk.
  const page = db.prepare(
    "SELECT rowid AS id, body FROM versions WHERE rowid > ? AND typeof(body) = 'text' ORDER BY rowid LIMIT 500",
  );
  const rewrite = db.prepare('UPDATE versions SET body = ?, config = ? WHERE rowid = ?');
  const addConfig = db.prepare('INSERT OR IGNORE INTO configurations (hash, data) VALUES (?, ?)');
  for (let last = 0; ;) {
    const rows = page.all(last) as { id: number; body: string }[];
    if (rows.length === 0) return;
    for (const r of rows) {
      const s = storedVersion(JSON.parse(r.body) as ResourceVersion);
      addConfig.run(s.config, configData(s.configJson));
      rewrite.run(s.body, s.config, r.id);
      last = r.id;
    }
  }
}
