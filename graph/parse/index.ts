// Entry points for turning bytes or JSON values into configuration items.
import { gunzipSync } from 'node:zlib';
import { parseDocument, type ParseResult } from './document.ts';
import { importLimits } from '../limits.ts';
import type { ItemContext } from './item.ts';

export { parseDocument, type ParseResult } from './document.ts';
export {
  normaliseItem,
  normaliseItemWithNotes,
  ItemError,
  looksLikeConfigItem,
  parseTags,
  type ItemContext,
} from './item.ts';

function failed(file: string, reason: string): ParseResult {
  return { shape: 'unreadable', items: [], skipped: [{ file, reason }], snapshots: [], notes: [] };
}

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Parses a file's bytes (plain JSON or gzip, recognised by content). Never throws for bad data. */
export function parseFileContent(bytes: Uint8Array, file: string, ctx: ItemContext = {}): ParseResult {
  const { maxFileBytes } = importLimits(ctx.limits);
  const tooLarge = `holds more than ${maxFileBytes} bytes (the import limit; raise it with --max-file-mb)`;
  let data = bytes;
  if (isGzip(bytes)) {
    try {
      // maxOutputLength stops inflating at the limit: a small file holding gigabytes is not expanded.
      data = gunzipSync(bytes, { maxOutputLength: maxFileBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        return failed(file, `decompressed, it ${tooLarge}`);
      return failed(file, `gzip data is truncated or corrupt (${(e as Error).message})`);
    }
  } else if (file.endsWith('.gz')) {
    return failed(file, 'file ends in .gz but is not gzip data');
  } else if (bytes.length > maxFileBytes) {
    return failed(file, `the file ${tooLarge}`);
  }
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (text.trim() === '') return failed(file, 'file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return failed(file, `invalid JSON: ${(e as Error).message}`);
  }
  return parseDocument(value, file, ctx);
}
