import { describe, expect, it } from 'vitest';
import { webglKindOf, webglLabel } from '../../client/src/views/webgl-support.ts';

describe('the WebGL setting says what WebGL does here', () => {
  it('tells software rasterisers from graphics cards by the renderer name', () => {
    // Debian Chromium with --disable-gpu (this VM, the browser tests), Mesa without a GPU, Windows without a driver.
    for (const software of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
    ])
      expect(webglKindOf(software)).toBe('software');
    for (const hardware of [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Apple M2',
      'Mesa Intel(R) UHD Graphics 620 (KBL GT2)',
    ])
      expect(webglKindOf(hardware)).toBe('hardware');
    expect(webglKindOf(null)).toBe('none');
  });

  it('claims speed only on a graphics card', () => {
    expect(webglLabel('hardware')).toMatch(/graphics card.*smoother/);
    expect(webglLabel('software')).toMatch(/slower/);
    expect(webglLabel('software')).not.toMatch(/faster|smoother/);
    expect(webglLabel('none')).toMatch(/not available/);
  });
});
