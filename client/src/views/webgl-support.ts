// Whether this browser's WebGL runs on a graphics card: Cytoscape's WebGL renderer is faster than its
// canvas one for thousands of elements on a GPU, and slower without one (software rendering such as
// SwiftShader or llvmpipe rasterises every frame on the CPU; docs/benchmarks.md, "WebGL in software").

export type WebglKind = 'hardware' | 'software' | 'none';

// Renderer names of the software rasterisers browsers fall back to when there is no usable GPU.
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render driver|microsoft basic|lavapipe/i;

/** What a WebGL renderer's name (WEBGL_debug_renderer_info's, else RENDERER) says; none when there is no WebGL. */
export function webglKindOf(renderer: string | null | undefined): WebglKind {
  if (renderer === null || renderer === undefined) return 'none';
  return SOFTWARE.test(renderer) ? 'software' : 'hardware';
}

/** The WebGL setting's label: what it does here, truly. */
export function webglLabel(kind: WebglKind): string {
  switch (kind) {
    case 'hardware':
      return 'Draw with WebGL (on the graphics card: smoother with thousands of elements)';
    case 'software':
      return 'Draw with WebGL (no graphics card here: software rendering, slower than the default)';
    case 'none':
      return 'Draw with WebGL (not available in this browser)';
  }
}

let probed: WebglKind | undefined;

/** Asks the browser once, on a throw-away canvas whose context is released at once. */
export function probeWebgl(): WebglKind {
  if (probed) return probed;
  let renderer: string | null = null;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    renderer = null;
  }
  probed = webglKindOf(renderer);
  return probed;
}
