// How a version is stored (schema step 6): its configuration and supplementary configuration once per
// distinct content in `configurations`, keyed by their SHA-256, and the rest of the version in
// `versions.body`; both compressed (zstd where this Node has it, else deflate: the first bytes tell which
// on reading, so a store stays readable by either). Resources keep the same configuration across many
// captures, and the snapshots repeat it, so most versions add only their small remainder.
import { createHash, hash } from 'node:crypto';
import type { ResourceVersion } from '../../model.ts';
import { compress, decompressText } from '../compression.ts';

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
  const { body, configJson } = versionTexts(v);
  return { body: packBody(body), config: configHash(configJson), configJson };
}

/** A version's two texts before compression: its configurations' JSON, and the rest of it. */
export function versionTexts(v: ResourceVersion): { body: string; configJson: string } {
  return {
    body: JSON.stringify({ ...v, configuration: null, supplementaryConfiguration: null }),
    configJson: JSON.stringify([v.configuration, v.supplementaryConfiguration]),
  };
}

/**
 * The key of a configurations row: the SHA-256 of their JSON (as text, or as its UTF-8 bytes: the same). In one
 * call where this Node has it, with no Hash object per version (the same digest).
 */
export const configHash: (configJson: string | Buffer) => Buffer =
  typeof hash === 'function'
    ? (configJson) => hash('sha256', configJson, 'buffer')
    : (configJson) => createHash('sha256').update(configJson).digest();

/** A version body's JSON (as text, or as its UTF-8 bytes) as stored. */
export const packBody = (body: string | Buffer): Buffer => compress(body);

export const configData = (configJson: string | Buffer): Buffer => compress(configJson);

/** A version read back from its body and (when it has one) its configurations row. */
export function versionOf(body: Buffer | string, config: Buffer | string | null): ResourceVersion {
  const v = JSON.parse(decompressText(body)) as ResourceVersion;
  if (config !== null) {
    const [configuration, supplementaryConfiguration] = JSON.parse(decompressText(config)) as [
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
