// The layout worker (fcose-layout.ts): runs fCoSE on a headless Cytoscape and answers with the
// positions of the leaf nodes. Headless Cytoscape measures no label, so the sizes the page measured
// (with labels) are what fCoSE is given: the two element methods it asks are answered from them.
import cytoscape from 'cytoscape';
import type { ElementDefinition } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { withSeededRandom } from '../graph/seeded.ts';
import { cyStyle } from './cy-style.ts';
import { fcoseOptions, type LayoutAnswer, type LayoutRequest } from './fcose-layout.ts';

cytoscape.use(fcose);

type Measured = { w?: number; h?: number; labelW?: number; labelH?: number };
type Box = { x1: number; y1: number; x2: number; y2: number; w: number; h: number };
type Methods = {
  layoutDimensions: (this: cytoscape.NodeCollection, o: unknown) => { w: number; h: number };
  boundingBox: (this: cytoscape.Collection, o?: { includeNodes?: boolean; includeLabels?: boolean }) => Box;
};

let patched = false;
/** Answers fCoSE's two measuring calls from the page's measures (patched once, on the shared prototype). */
function answerFromMeasures(cy: cytoscape.Core): void {
  if (patched) return;
  patched = true;
  const proto = Object.getPrototypeOf(cy.collection()) as Methods;
  const layoutDimensions = proto.layoutDimensions;
  const boundingBox = proto.boundingBox;
  proto.layoutDimensions = function (o) {
    const d = this.length === 1 ? (this.data() as Measured) : {};
    return d.w !== undefined && d.h !== undefined ? { w: d.w, h: d.h } : layoutDimensions.call(this, o);
  };
  proto.boundingBox = function (o) {
    const d = this.length === 1 ? (this.data() as Measured) : {};
    if (o?.includeNodes === false && o.includeLabels && d.labelW !== undefined && d.labelH !== undefined)
      return { x1: 0, y1: 0, x2: d.labelW, y2: d.labelH, w: d.labelW, h: d.labelH };
    return boundingBox.call(this, o);
  };
}

function layout(req: LayoutRequest): LayoutAnswer {
  const elements: ElementDefinition[] = [
    ...req.nodes.map((n) => ({
      group: 'nodes' as const,
      data: {
        id: n.id,
        ...(n.parent !== undefined ? { parent: n.parent } : {}),
        w: n.w,
        h: n.h,
        labelW: n.labelW,
        labelH: n.labelH,
      },
      classes: n.classes,
      position: n.position,
    })),
    ...req.edges.map((e) => ({ group: 'edges' as const, data: { ...e } })),
  ];
  const cy = cytoscape({ headless: true, styleEnabled: true, style: cyStyle(), elements });
  try {
    answerFromMeasures(cy);
    // The page fits the drawing itself; a headless instance has no screen to fit.
    const run = cy.layout({ ...fcoseOptions(req.incremental, req.fixed), fit: false } as cytoscape.LayoutOptions);
    withSeededRandom(req.seed, () => run.run());
    const positions: Record<string, { x: number; y: number }> = {};
    cy.nodes().forEach((n) => {
      if (n.isChildless()) positions[n.id()] = { ...n.position() };
    });
    return { positions };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    cy.destroy();
  }
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(answer: LayoutAnswer): void;
};
scope.onmessage = (e) => scope.postMessage(layout(e.data));
