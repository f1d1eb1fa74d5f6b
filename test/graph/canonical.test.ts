// Canonical JSON (content hashes V2, export hashes Q8): the text is the same whatever the key order, and the
// same as the piece-by-piece definition it had before it was written from a sorted copy.
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalPieces } from '../../graph/canonical.ts';

/** The definition, written plainly: keys sorted by UTF-16 code units, JSON.stringify's scalars, no whitespace. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError(`cannot write ${value} as canonical JSON`);
    if (typeof value === 'bigint') throw new TypeError('cannot write a bigint as canonical JSON');
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return reference(withJson.toJSON());
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : reference(v))).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .flatMap((k) => {
      const m = (value as Record<string, unknown>)[k];
      return m === undefined || typeof m === 'function' || typeof m === 'symbol'
        ? []
        : [`${JSON.stringify(k)}:${reference(m)}`];
    });
  return `{${members.join(',')}}`;
}

/** A seeded generator of JSON-like values with the awkward parts: key orders, index keys, escapes, undefined. */
function randomValue(seed: number): unknown {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const keys = ['b', 'a', 'Z', 'é', '10', '2', '0', '__proto__', 'toJSON', '', 'key "q"', '\u2028', 'aa', 'a\u0000'];
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.35) {
      const scalars = [0, -0, 1.5, 1e21, -7, 'x', '', '"\\\n', '\ud83d\ude00', '\udc00', true, false, null, undefined];
      return scalars[Math.floor(next() * scalars.length)];
    }
    if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const out: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 6); i > 0; i--)
      Object.defineProperty(out, keys[Math.floor(next() * keys.length)]!, {
        value: value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  };
  return value(0);
}

describe('canonical JSON', () => {
  it('is the same text for the same content in any key order, sorted by UTF-16 code units', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: 'é', Z: true })).toBe(
      '{"Z":true,"a":"é","b":[1,{"c":null,"d":"x"}]}',
    );
    expect(canonicalJson({ a: 'é', Z: true, b: [1, { c: null, d: 'x' }] })).toBe(
      canonicalJson({ b: [1, { d: 'x', c: null }], a: 'é', Z: true }),
    );
  });

  it('places array-index keys by their text, not first in numeric order as objects list them', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', 2: 'two', a: { 1: true, x: 0 } })).toBe(
      '{"10":"ten","2":"two","a":{"1":true,"x":0},"b":1}',
    );
  });

  it('keeps a __proto__ key as a member, drops undefined members, writes undefined array items as null', () => {
    const value = JSON.parse('{"z":1,"__proto__":{"b":2,"a":1}}') as Record<string, unknown>;
    value.gone = undefined;
    value.list = [undefined, 1, () => 1];
    expect(canonicalJson(value)).toBe('{"__proto__":{"a":1,"b":2},"list":[null,1,null],"z":1}');
  });

  it('writes what toJSON gives (dates), and refuses numbers JSON cannot say', () => {
    expect(canonicalJson({ when: new Date(Date.UTC(2026, 0, 2)), n: -0 })).toBe(
      '{"n":0,"when":"2026-01-02T00:00:00.000Z"}',
    );
    expect(() => canonicalJson({ a: { b: [Number.NaN] } })).toThrow(/cannot write NaN/);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/cannot write Infinity/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
  });

  it('equals the plain definition on 2,000 generated values, whole and in pieces', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const v = randomValue(seed);
      const expected = reference(v);
      expect(canonicalJson(v), `seed ${seed}`).toBe(expected);
      expect([...canonicalPieces(v, 2)].join(''), `seed ${seed}`).toBe(expected);
    }
  });
});
