// Version bodies are compressed through one long-lived zstd context (graph/stores/sqlite/bodies.ts): each
// call must give a complete frame, the same bytes zstdCompressSync gives, whatever came before it.
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zstdFrames } from '../../graph/stores/sqlite/bodies.ts';

const hasZstd = typeof zlib.zstdCompressSync === 'function';

describe.skipIf(!hasZstd)('zstd frames from one context', () => {
  const frames = zstdFrames();

  it('is available on this Node', () => {
    expect(frames).toBeTypeOf('function');
  });

  it('writes each body as its own frame, byte for byte as zstdCompressSync does, small and large alike', () => {
    const bodies = [
      Buffer.from(''),
      Buffer.from(JSON.stringify({ resourceId: 'i-0abc', configuration: { state: 'running' } })),
      Buffer.from(JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ k: `key-${i}`, v: i * 7919 })))),
      randomBytes(300 * 1024), // incompressible: more output than one output buffer holds
      Buffer.from('again, after a large one'),
    ];
    for (const b of [...bodies, ...bodies]) {
      const frame = frames!(b);
      expect(frame.equals(zlib.zstdCompressSync(b))).toBe(true);
      expect(zlib.zstdDecompressSync(frame).equals(b)).toBe(true);
    }
  });
});
