// A new WebGL renderer's canvas kept out of the page's composited frames until the GPU has drawn it.
// Without a graphics card the compositor is software: it reads every WebGL frame back, and the page's
// main thread waits in that readback for the GPU process to rasterise the frame. A new renderer's first
// frame is the dear one (its texture atlases uploaded and mipmapped, SwiftShader's routines built for the
// first draws: 95–125 ms), and waiting for it made the view's first frame a 200–270 ms block
// (docs/benchmarks.md, "WebGL in software, fifth pass"). Hidden, the canvas is not read back: a fence
// after each frame tells when the GPU is done, looked at from later tasks while the main thread is free,
// and the canvas is shown once the newest frame's has passed (its readback then waits for nothing).
// Meanwhile the boxes behind WebGL (box-layer.ts) are already on screen.
import type { Core } from 'cytoscape';

/** The part of Cytoscape's WebGL renderer (≥ 3.31, not in its typings) this needs. */
interface WebglRenderer {
  WEBGL: number;
  data: { canvases: HTMLCanvasElement[]; contexts: unknown[] };
  /** A frame is asked for (drawn in the next animation frame). */
  requestedFrame: boolean;
  render(options?: object): void;
  findNearestElements(x: number, y: number, interactiveOnly: boolean, isTouch: boolean): unknown[];
}

/** How often the fence is looked at (a frame at 60 Hz). */
const POLL_MS = 16;
/** Shown after this whatever the fences say, so a driver that never signals cannot hide the view for good. */
const GIVE_UP_MS = 3000;

/** The canvases hidden now, each until shown, and how to keep one hidden until a newer drawing's last slice. */
const hidden = new WeakMap<Core, { shown: Promise<void>; holdUntil(notBefore: Promise<unknown>): void }>();

/**
 * Hides `cy`'s WebGL canvas until the frames drawn into it from now on have been rasterised, not before
 * `notBefore` settles (a drawing added in slices: its last added; asked again while hidden, the newest
 * `notBefore`), and resolves once it is shown (the same promise while it is hidden); undefined (nothing
 * changed) when this Cytoscape has no WebGL canvas drawn that way.
 */
export function showWhenDrawn(cy: Core, notBefore: Promise<unknown> = Promise.resolve()): Promise<void> | undefined {
  const pending = hidden.get(cy);
  if (pending) {
    pending.holdUntil(notBefore);
    return pending.shown;
  }
  const r = (cy as unknown as { renderer(): Partial<WebglRenderer> }).renderer();
  const canvas = r.data?.canvases[r.WEBGL ?? -1];
  const gl = r.data?.contexts[r.WEBGL ?? -1];
  const { render, findNearestElements: pick } = r;
  if (!canvas || !(gl instanceof WebGL2RenderingContext) || typeof render !== 'function' || typeof pick !== 'function')
    return undefined;
  canvas.style.visibility = 'hidden';
  // The give-up time counts from the end of the hold: a drawing slower to add than that is not shown early.
  let started = performance.now();
  // Drawn in slices, a drawing brings a frame after each: shown before its last, every later frame is read
  // back as it is drawn (150 ms for one of a 500-element view on a slow VM).
  let holding: Promise<unknown> | undefined;
  const holdUntil = (until: Promise<unknown>) => {
    holding = until;
    void until.finally(() => {
      if (holding !== until) return;
      holding = undefined;
      started = performance.now();
    });
  };
  holdUntil(notBefore);
  let fence: WebGLSync | null = null;
  let polling: ReturnType<typeof setTimeout> | undefined;
  const shown = new Promise<void>((resolve) => {
    const show = () => {
      hidden.delete(cy);
      clearTimeout(polling);
      if (fence && !gl.isContextLost()) gl.deleteSync(fence);
      fence = null;
      r.render = render;
      r.findNearestElements = pick;
      canvas.style.visibility = '';
      resolve();
    };
    const poll = () => {
      if (cy.destroyed() || gl.isContextLost()) return show();
      // WebGL 2 updates a fence's status between tasks only: each look is a task of its own. A frame asked
      // for and not drawn yet will bring a newer fence.
      const drawn =
        holding === undefined &&
        fence !== null &&
        !r.requestedFrame &&
        gl.getSyncParameter(fence, gl.SYNC_STATUS) === gl.SIGNALED;
      if (drawn || (holding === undefined && performance.now() - started > GIVE_UP_MS)) show();
      else polling = setTimeout(poll, POLL_MS);
    };
    // Nothing is under the pointer while nothing is shown: WebGL's picking reads its own buffer back,
    // which would wait for the GPU to finish every frame before it, the very wait this avoids.
    r.findNearestElements = () => [];
    r.render = function (options) {
      render.call(this, options);
      // The newest frame's fence replaces the one before (frames finish in order), sent to the GPU now
      // so that it rasterises while the page goes on.
      if (fence) gl.deleteSync(fence);
      fence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
      gl.flush();
      polling ??= setTimeout(poll, POLL_MS);
    };
  });
  hidden.set(cy, { shown, holdUntil });
  return shown;
}
