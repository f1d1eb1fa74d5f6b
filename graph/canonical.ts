// Canonical JSON and hashing: equal content ⇒ equal bytes ⇒ equal hash (version content hashes, export
// hashes). Object keys sorted by UTF-16 code units, no whitespace, numbers and strings as ECMAScript's
// JSON.stringify writes them, undefined members dropped. For the data we hash (no NaN/Infinity, no -0)
// this is RFC 8785 (JCS), so anyone can recompute an export's hash.
import { createHash, hash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return Array.from(canonicalPieces(value, 0)).join('');
}

/** Yields the canonical text in pieces (one per array element down to `splitDepth`), so a large
 * graph can be hashed and written without first building one giant string. */
export function* canonicalPieces(value: unknown, splitDepth = 2): Generator<string> {
  yield* pieces(value, splitDepth);
}

function* pieces(value: unknown, split: number): Generator<string> {
  if (value === null || typeof value !== 'object') {
    yield scalar(value);
    return;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield* pieces((value as { toJSON: () => unknown }).toJSON(), split);
    return;
  }
  if (split <= 0) {
    yield whole(value);
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const item: unknown = value[i];
      // JSON.stringify writes undefined and functions inside arrays as null.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* pieces(item, split - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const key of sortedKeys(value as Record<string, unknown>)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* pieces(member, split - 1);
  }
  yield '}';
}

/**
 * A leaf's canonical text: one native JSON.stringify of a copy whose object keys are inserted in sorted order
 * (JSON.stringify writes an object's keys in insertion order, and its scalars as canonical JSON does). Every
 * version's content hash is written this way: building the text piece by piece made a rope of thousands of
 * small strings that SHA-256 then had to flatten, together about 1.5 times the cost (docs/benchmarks.md, "Ingest,
 * fifth pass"). An object with an array-index key (which any object lists first, in numeric order)
 * or a `__proto__` key cannot be copied so: the value is then written piece by piece.
 */
function whole(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  try {
    return JSON.stringify(sortedCopy(value));
  } catch (e) {
    if (e === UNSORTABLE) return concatenated(value);
    throw e;
  }
}

const UNSORTABLE = new Error('an object key that insertion order cannot place');
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function sortedCopy(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value !== 'object') {
    if (typeof value === 'number' || typeof value === 'bigint') scalar(value); // throws where JSON cannot say it
    return value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return sortedCopy((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = sortedCopy(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(value as Record<string, unknown>)) {
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57 && ARRAY_INDEX.test(key)) || key === '__proto__') throw UNSORTABLE;
    out[key] = sortedCopy((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** Direct recursion, one string built as it goes: for the values sortedCopy cannot take. */
function concatenated(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return concatenated((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : concatenated(item);
    }
    return out + ']';
  }
  let out = '{';
  for (const key of sortedKeys(value as Record<string, unknown>)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    out += `${out.length > 1 ? ',' : ''}${quotedKey(key)}:${concatenated(member)}`;
  }
  return out + '}';
}

// Object keys repeat across every version of a type: each is quoted once.
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 100_000) quotedKeys.set(key, q);
  }
  return q;
}

function scalar(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as canonical JSON`);
    return JSON.stringify(value);
  }
  if (typeof value === 'bigint') throw new TypeError('cannot write a bigint as canonical JSON');
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

function sortedKeys(obj: Record<string, unknown>): string[] {
  // Default sort compares UTF-16 code units, which is what RFC 8785 asks for.
  return Object.keys(obj).sort();
}

// One call, no Hash object: content hashes and edge ids are many small inputs (same digest as createHash).
const oneShot = typeof hash === 'function';

export function sha256(text: string): string {
  return oneShot ? hash('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}
