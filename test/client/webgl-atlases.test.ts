// Cytoscape's WebGL atlases (client/src/views/webgl-atlases.ts): rows touch and textures are mipmapped, so
// a row whose height is not a power of two lends its pixels to the row below at small zoom (a sliver of a
// box's dashed border showed under a label in readable-instance-webgl.png).
import { describe, expect, it } from 'vitest';
import { WEBGL_ATLASES } from '../../client/src/views/webgl-atlases.ts';

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

describe('WebGL texture atlases', () => {
  it('rows of labels and of node bodies are a power of two pixels tall, so no mip level mixes two rows', () => {
    const { webglTexSize, webglTexRows, webglTexRowsNodes } = WEBGL_ATLASES;
    expect(isPowerOfTwo(webglTexSize)).toBe(true);
    for (const rows of [webglTexRows, webglTexRowsNodes]) expect(isPowerOfTwo(webglTexSize / rows)).toBe(true);
    // No less sharp than Cytoscape's own label rows (2048 px / 36 rows = 56 px).
    expect(webglTexSize / webglTexRows).toBeGreaterThanOrEqual(56);
  });
});
