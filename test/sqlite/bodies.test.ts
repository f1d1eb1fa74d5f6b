// Version bodies are compressed and read back through long-lived zstd contexts (graph/stores/compression.ts):
// each call must give a complete frame, the same bytes zstdCompressSync gives, and read back exactly the bytes
// zstdDecompressSync gives, whatever came before it.
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zstdContentSize, zstdFrames, zstdUnframes } from '../../graph/stores/compression.ts';
import { storedVersion, versionOf } from '../../graph/stores/sqlite/bodies.ts';
import type { ResourceVersion } from '../../graph/model.ts';

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

  const bodies = [
    Buffer.from(''),
    Buffer.from(JSON.stringify({ resourceId: 'i-0abc', configuration: { state: 'running' } })),
    Buffer.from(JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ k: `key-${i}`, v: i * 7919 })))),
    randomBytes(300 * 1024),
    Buffer.from('x'.repeat(70_000)), // a size field of 4 bytes
  ];

  it('reads each frame back through one context, as zstdDecompressSync does, in any order', () => {
    const unframes = zstdUnframes()!;
    const frames = bodies.map((b) => zlib.zstdCompressSync(b));
    for (const i of [0, 1, 2, 3, 4, 2, 0, 3, 1, 4]) {
      expect(zstdContentSize(frames[i]!)).toBe(bodies[i]!.length);
      expect(unframes(frames[i]!)!.equals(bodies[i]!)).toBe(true);
    }
  });

  it('refuses a corrupt or truncated frame, and the next frame is read by a fresh context', () => {
    const frame = zlib.zstdCompressSync(Buffer.from('hello, stored version '.repeat(50)));
    const corrupt = Buffer.from(frame);
    corrupt[10]! ^= 0x55;
    corrupt[corrupt.length - 3]! ^= 0xff;
    expect(() => zstdUnframes()!(corrupt)).toThrow();
    expect(() => zstdUnframes()!(frame.subarray(0, frame.length - 4))).toThrow();
    const v = { key: 'k', configuration: { a: 1 }, supplementaryConfiguration: {} } as unknown as ResourceVersion;
    const stored = storedVersion(v);
    const broken = Buffer.from(stored.body);
    broken[broken.length - 2]! ^= 0xff;
    expect(() => versionOf(broken, null)).toThrow();
    expect(versionOf(stored.body, zlib.zstdCompressSync(stored.configJson)).configuration).toEqual({ a: 1 });
  });

  it('leaves a frame that declares no size to zstdDecompressSync', () => {
    const frame = zlib.zstdCompressSync(Buffer.from('abc'));
    const noSize = Buffer.from(frame);
    noSize[4] = 0; // descriptor: no content size, not single segment (what the header then holds is not read)
    expect(zstdContentSize(noSize)).toBeUndefined();
    expect(zstdUnframes()!(noSize)).toBeUndefined();
  });
});
