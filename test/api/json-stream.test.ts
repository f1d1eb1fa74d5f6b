// A streamed JSON body is byte for byte what JSON.stringify writes (the diff route sends it in pieces).
import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../server/http/json-stream.ts';

describe('jsonPieces', () => {
  it('gives the bytes of JSON.stringify, in more than one piece, whatever the depth', () => {
    const value = {
      from: '2026-01-01T00:00:00.000Z',
      resources: {
        added: [{ key: 'a', tags: { Name: 'x "quoted" \u2028' }, gone: undefined, n: 1.5 }, null],
        removed: [],
        changed: [{ node: { key: 'b' }, fromCaptureTime: undefined, when: new Date(0) }],
      },
      edges: { added: [[1, 2, [3]], 'é'], removed: [{}] },
      skipped: () => 1,
      empty: {},
    };
    for (const depth of [0, 1, 2, 3, 6]) {
      const pieces = [...jsonPieces(value, depth)];
      expect(pieces.join(''), `depth ${depth}`).toBe(JSON.stringify(value));
      if (depth > 0) expect(pieces.length).toBeGreaterThan(1);
    }
    for (const scalar of [null, 0, 'text', true, [], {}])
      expect([...jsonPieces(scalar)].join('')).toBe(JSON.stringify(scalar));
  });
});
