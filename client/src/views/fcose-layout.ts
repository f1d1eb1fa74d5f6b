// fCoSE, the force layout of views of BIG_VIEW resources or fewer, run in a Web Worker
// (layout.worker.ts) on a headless Cytoscape, so the tab keeps answering while it simulates
// (docs/benchmarks.md, "Explorer at scale"). Headless Cytoscape cannot measure labels, so the page
// measures each node's layout size and label box here and sends them with the elements.
import type { Core, EdgeCollection, LayoutOptions, NodeCollection, NodeSingular, Position } from 'cytoscape';

export interface FixedNode {
  nodeId: string;
  position: Position;
}

/** fCoSE's options, the same in the page and in the worker. */
export function fcoseOptions(incremental: boolean, fixed: FixedNode[]): LayoutOptions {
  return {
    name: 'fcose',
    // Big views never get here on a first draw (they are packed), so fCoSE keeps its default quality.
    quality: 'default',
    randomize: !incremental,
    animate: false,
    nodeDimensionsIncludeLabels: true,
    packComponents: true,
    // Compact: boxes hold their members closely, so a fitted view of a VPC stays readable.
    nodeRepulsion: () => 3500,
    idealEdgeLength: () => 40,
    nestingFactor: 0.1,
    gravityCompound: 1.5,
    tile: true,
    tilingPaddingVertical: 6,
    tilingPaddingHorizontal: 6,
    ...(fixed.length ? { fixedNodeConstraint: fixed } : {}),
  } as LayoutOptions;
}

/** A node as the worker needs it: where it is, its size with its label, and its label's box. */
export interface LayoutNode {
  id: string;
  parent?: string;
  classes: string;
  position: Position;
  /** Layout size including the label (what fCoSE asks `layoutDimensions` for). */
  w: number;
  h: number;
  /** The label's own box (what fCoSE asks `boundingBox({ includeNodes: false })` for). */
  labelW: number;
  labelH: number;
}

export interface LayoutRequest {
  /** Math.random's seed while fCoSE runs (SPEC G10: same drawing, same positions). */
  seed: number;
  incremental: boolean;
  fixed: FixedNode[];
  nodes: LayoutNode[];
  edges: { id: string; source: string; target: string }[];
}

export type LayoutAnswer = { positions: Record<string, Position> } | { error: string };

/** What fCoSE would measure of `nodes` in the page (their style and labels), for the worker. */
export function measureNodes(nodes: NodeCollection): LayoutNode[] {
  return nodes.map((n: NodeSingular) => {
    const dims = n.layoutDimensions({ nodeDimensionsIncludeLabels: true });
    const label = n.boundingBox({ includeLabels: true, includeNodes: false, includeOverlays: false });
    const parent = n.parent().nonempty() ? n.parent().first().id() : undefined;
    return {
      id: n.id(),
      ...(parent !== undefined ? { parent } : {}),
      classes: n.classes().join(' '),
      position: { ...n.position() },
      w: dims.w,
      h: dims.h,
      labelW: label.w,
      labelH: label.h,
    };
  });
}

/** The connections as the worker needs them. */
export function edgeEnds(edges: EdgeCollection): LayoutRequest['edges'] {
  return edges.map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id() }));
}

/** Puts the worker's positions on the page's leaf nodes. */
export function applyPositions(cy: Core, positions: Record<string, Position>): void {
  cy.batch(() => {
    for (const [id, p] of Object.entries(positions)) {
      const n = cy.getElementById(id);
      if (n.nonempty() && n.isChildless()) n.position(p);
    }
  });
}

/**
 * One worker per drawing, started on first use. A layout asked for while another runs ends the
 * older one (its worker is stopped): only the newest drawing's positions matter.
 */
export class LayoutWorker {
  private worker: Worker | undefined;
  private pending: ((answer: LayoutAnswer) => void) | undefined;

  /** Whether the page can run a worker at all (else the caller lays out in the page). */
  static get available(): boolean {
    return typeof Worker !== 'undefined';
  }

  run(request: LayoutRequest): Promise<LayoutAnswer> {
    if (this.pending) this.stop({ error: 'superseded' });
    const worker = (this.worker ??= new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' }));
    return new Promise((resolve) => {
      this.pending = resolve;
      worker.onmessage = (e: MessageEvent<LayoutAnswer>) => {
        this.pending = undefined;
        resolve(e.data);
      };
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.stop({ error: e.message || 'the layout worker failed' });
      };
      worker.postMessage(request);
    });
  }

  /** Ends the worker (and any layout it runs). */
  stop(answer: LayoutAnswer = { error: 'stopped' }): void {
    this.worker?.terminate();
    this.worker = undefined;
    const pending = this.pending;
    this.pending = undefined;
    pending?.(answer);
  }
}
