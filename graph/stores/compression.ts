// Compressed text, as both stores keep version bodies and configurations (issue 13: compact storage): zstd where
// this Node has it, else deflate. The first bytes tell which on reading, so a store stays readable by either.
import zlib from 'node:zlib';

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

/** Text (or its UTF-8 bytes) compressed: zstd where this Node has it, else deflate. */
export function compress(text: string | Buffer): Buffer {
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

/** What `compress` was given, as text; text written before compression (not yet rewritten) is returned as it is. */
export function decompressText(data: Buffer | string): string {
  if (typeof data === 'string') return data;
  const z = data.length >= 4 && data.readUInt32LE(0) === ZSTD_MAGIC;
  return (z ? unzstd(data) : zlib.inflateSync(data)).toString();
}
