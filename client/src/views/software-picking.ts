// What is under the pointer, found on the CPU when WebGL is rasterised in software (no graphics card).
// Cytoscape's WebGL renderer finds it by drawing every element again into a picking framebuffer after each pan
// or zoom and reading a pixel back, which waits for the software rasteriser: the first pointer move after a
// zoom blocked the page 150–240 ms at 2,000 and 10,000 elements on the benchmark's VM. Cytoscape's own search
// (the canvas renderer's) finds the same topmost node and nearest connection from the geometry it keeps for
// drawing anyway: 17–30 ms for that move on the canvas renderer (docs/benchmarks.md, "fifteenth session").
import type { Core, SingularElementArgument } from 'cytoscape';

type Find = (x: number, y: number, interactiveOnly: boolean, isTouch: boolean) => SingularElementArgument[];

/** The part of Cytoscape's renderer (not in its typings) this needs: WebGL's picking is an own property. */
type PickingRenderer = { findNearestElements?: Find };

/**
 * Makes `cy`'s WebGL renderer find elements under the pointer on the CPU, leaving out those `omit` names
 * (elements WebGL does not draw, which its picking never found). False when there was no WebGL picking.
 */
export function pickOnCpu(cy: Core, omit: (ele: SingularElementArgument) => boolean): boolean {
  const renderer = (cy as unknown as { renderer(): PickingRenderer }).renderer();
  const cpu = (Object.getPrototypeOf(renderer) as PickingRenderer).findNearestElements;
  if (!Object.prototype.hasOwnProperty.call(renderer, 'findNearestElements') || typeof cpu !== 'function') return false;
  renderer.findNearestElements = function (x, y, interactiveOnly, isTouch) {
    // Drawn last, found first: a box is found only where no resource or connection is, and is then left out.
    return cpu.call(this, x, y, interactiveOnly, isTouch).filter((ele) => !omit(ele));
  };
  return true;
}
