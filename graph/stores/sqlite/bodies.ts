// How a version is stored (schema step 6): its configuration and supplementary configuration once per
// distinct content in `configurations`, keyed by their SHA-256, and the rest of the version in
// `versions.body`; both compressed (zstd where this Node has it, else deflate: the first bytes tell which
// on reading, so a store stays readable by either). Resources keep the same configuration across many
// captures, and the snapshots repeat it, so most versions add only their small remainder.
import { createHash, hash } from 'node:crypto';
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
 * The native handle and write state of a zstd stream, driven synchronously by zstdFrames and zstdUnframes as
 * Node's own synchronous path does; undefined (the stream closed) where those internals are not there. A
 * failure is thrown by the caller, synchronously; the stream's own 'error' event, a tick later, must not
 * crash the process.
 */
function nativeOf(
  engine: zlib.ZstdCompress | zlib.ZstdDecompress,
): { handle: NativeHandle; state: Uint32Array } | undefined {
  const { _handle: handle, _writeState: state } = engine as typeof engine & {
    _handle?: NativeHandle;
    _writeState?: unknown;
  };
  if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array) || state.length !== 2) {
    engine.close();
    return undefined;
  }
  engine.on('error', () => {});
  return { handle, state };
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
  const engine = zlib.createZstdCompress();
  const native = nativeOf(engine);
  if (!native) return undefined;
  const { handle, state } = native;
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

function pack(text: string | Buffer): Buffer {
  const raw = typeof text === 'string' ? Buffer.from(text) : text;
  if (frames === null) frames = zstdFrames();
  if (!frames) return zstd ? zlib.zstdCompressSync(raw) : zlib.deflateSync(raw);
  try {
    return frames(raw);
  } catch (e) {
    frames = null; // a new context next time
    throw e;
  }
}

/**
 * The size a zstd frame's header declares for its content, or undefined when it declares none. Every frame
 * compressed in one call (zstdCompressSync, zstdFrames) declares it (RFC 8878, 3.1.1.1).
 */
export function zstdContentSize(frame: Buffer): number | undefined {
  if (frame.length < 6 || frame.readUInt32LE(0) !== ZSTD_MAGIC) return undefined;
  const descriptor = frame[4]!;
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]!;
  const bytes = sizeFlag === 0 ? singleSegment : [0, 2, 4, 8][sizeFlag]!;
  if (bytes === 0 || frame.length < at + bytes) return undefined;
  if (bytes === 1) return frame[at]!;
  if (bytes === 2) return frame.readUInt16LE(at) + 256;
  if (bytes === 4) return frame.readUInt32LE(at);
  const size = frame.readBigUInt64LE(at);
  return size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : undefined;
}

/** Frames larger than this are decompressed by zstdDecompressSync, one output chunk at a time. */
const ONE_BUFFER_MAX = 64 * 1024 * 1024;

/**
 * Complete zstd frames decompressed by one long-lived context, into a buffer of the size the frame declares.
 * `zlib.zstdDecompressSync` builds a stream and a new context for every call, which costs about 100 µs for a
 * stored body whose decompression takes 5 µs (docs/benchmarks.md, "Ingest: what grows with the number of runs"): a
 * streamed import reads back the stored versions of every resource a later run brings again. Undefined for a
 * frame this cannot take whole (no declared size, too large) or when the stream's internals are not there:
 * the caller decompresses it with zstdDecompressSync. A frame whose output is not exactly its declared size
 * is an error, and the context is not used again.
 */
export function zstdUnframes(): ((frame: Buffer) => Buffer | undefined) | undefined {
  if (!zstd) return undefined;
  const engine = zlib.createZstdDecompress();
  const native = nativeOf(engine);
  if (!native) return undefined;
  const { handle, state } = native;
  let broken: Error | undefined;
  const check = () => {
    if (engine.destroyed) broken ??= engine.errored ?? new Error('zstd decompression context closed');
    if (broken) throw broken;
  };
  return (frame) => {
    check();
    const size = zstdContentSize(frame);
    if (size === undefined || size > ONE_BUFFER_MAX) return undefined;
    // One byte more than declared: a frame that says less than it holds shows as a full buffer.
    const out = Buffer.allocUnsafe(size + 1);
    handle.writeSync(zlib.constants.ZSTD_e_end, frame, 0, frame.length, out, 0, out.length);
    check();
    const [outLeft = 0, inLeft = 0] = state;
    if (inLeft !== 0 || outLeft !== 1) {
      engine.close();
      broken = new Error(`a zstd frame of ${frame.length} bytes did not decompress to the ${size} bytes it declares`);
      throw broken;
    }
    return out.subarray(0, size);
  };
}

let unframes: ((frame: Buffer) => Buffer | undefined) | undefined | null = null;

function unzstd(data: Buffer): Buffer {
  if (unframes === null) unframes = zstdUnframes();
  if (unframes) {
    try {
      const out = unframes(data);
      if (out) return out;
    } catch (e) {
      unframes = null; // a new context next time
      throw e;
    }
  }
  return zlib.zstdDecompressSync(data);
}

function unpack(data: Buffer | string): string {
  if (typeof data === 'string') return data; // a row written before step 6 and not yet rewritten
  const z = data.length >= 4 && data.readUInt32LE(0) === ZSTD_MAGIC;
  return (z ? unzstd(data) : zlib.inflateSync(data)).toString();
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
export const packBody = (body: string | Buffer): Buffer => pack(body);

export const configData = (configJson: string | Buffer): Buffer => pack(configJson);

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
