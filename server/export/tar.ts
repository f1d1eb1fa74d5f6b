// A minimal POSIX ustar writer and reader: enough for the CSV export's few small regular files,
// readable by any `tar` (GNU, bsdtar, 7-Zip) so a user can unpack and check the files by hand.

const BLOCK = 512;

export interface TarEntry {
  name: string;
  content: Uint8Array;
}

/** A file to archive: its bytes in one piece or in several (a table written page by page). */
export interface TarInput {
  name: string;
  content: Uint8Array | readonly Uint8Array[];
}

function octal(value: number, width: number): string {
  // width includes the terminating NUL.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtimeSeconds: number): Uint8Array {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar entry name too long: ${name}`);
  const h = Buffer.alloc(BLOCK, 0);
  nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'ascii'); // mode
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtimeSeconds, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum placeholder: eight spaces while summing
  h.write('0', 156, 'ascii'); // regular file
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** Yields the archive block by block; `mtime` is fixed by the caller so equal exports are equal bytes. */
export function* tarArchive(entries: TarInput[], mtime: Date): Generator<Uint8Array> {
  const seconds = Math.floor(mtime.getTime() / 1000);
  for (const entry of entries) {
    const parts = entry.content instanceof Uint8Array ? [entry.content] : entry.content;
    let size = 0;
    for (const p of parts) size += p.byteLength;
    yield header(entry.name, size, seconds);
    yield* parts;
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad > 0) yield new Uint8Array(pad);
  }
  yield new Uint8Array(BLOCK * 2); // end-of-archive marker
}

/** Reads the regular files of a ustar archive; throws naming what is wrong with it. */
export function readTar(bytes: Uint8Array): TarEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= buf.length) {
    const h = buf.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) return entries;
    const stored = parseInt(
      h
        .subarray(148, 156)
        .toString('ascii')
        .replace(/[\0 ]+$/g, '')
        .trim(),
      8,
    );
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
    if (stored !== sum) throw new Error(`not a tar archive (bad header checksum at byte ${offset})`);
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 0);
    offset += BLOCK;
    if (offset + size > buf.length) throw new Error(`tar archive is truncated inside ${name}`);
    if (type === '0' || type === '\0') entries.push({ name, content: buf.subarray(offset, offset + size) });
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error('tar archive is truncated (no end-of-archive marker)');
}
