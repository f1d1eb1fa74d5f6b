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

/** The native half of a Node zlib stream, as Node's own synchronous calls drive it. */
interface NativeHandle {
  writeSync(
    flush: number,
    input: Buffer,
    inOff: number,
    inLen: number,
    out: Buffer,
    outOff: number,
    outLen: number,
  ): void;
}

/**
 * One zstd frame per call from a single long-lived compression context. `zlib.zstdCompressSync` builds a
 * stream and a new context for every call, which costs ten times the compression of a typical 1 KiB body
 * (docs/benchmarks.md, "Ingest profile"); this drives the same native handle the same way Node's synchronous
 * path does, ending a frame per call, so the bytes are the ones zstdCompressSync writes. Where the stream's
 * internals are not there (another Node), undefined: the caller compresses one call at a time.
 */
export function zstdFrames(): ((raw: Buffer) => Buffer) | undefined {
  if (!zstd) return undefined;
  const engine = zlib.createZstdCompress() as zlib.ZstdCompress & { _handle?: NativeHandle; _writeState?: unknown };
  const handle = engine._handle;
  const state = engine._writeState;
  if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array) || state.length !== 2) {
    engine.close();
    return undefined;
  }
  // A failure destroys the stream at once (its error event comes later), as Node's own loop sees it.
  const check = () => {
    if (engine.destroyed) throw engine.errored ?? new Error('zstd compression context closed');
  };
  const out = Buffer.allocUnsafe(64 * 1024);
  const end = zlib.constants.ZSTD_e_end;
  return (raw) => {
    check();
    const parts: Buffer[] = [];
    for (let inOff = 0; ;) {
      handle.writeSync(end, raw, inOff, raw.length - inOff, out, 0, out.length);
      check();
      const [outLeft = 0, inLeft = 0] = state;
      parts.push(Buffer.from(out.subarray(0, out.length - outLeft)));
      inOff = raw.length - inLeft;
      // Output room left over: the frame is complete (as Node's own loop decides).
      if (outLeft !== 0) return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    }
  };
}

let frames: ((raw: Buffer) => Buffer) | undefined | null = null;

function pack(text: string): Buffer {
  const raw = Buffer.from(text);
  if (frames === null) frames = zstdFrames();
  if (!frames) return zstd ? zlib.zstdCompressSync(raw) : zlib.deflateSync(raw);
  try {
    return frames(raw);
  } catch (e) {
    frames = null; // a new context next time
    throw e;
  }
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
