// fCoSE, the force layout of views of BIG_VIEW resources or fewer, run in a Web Worker
// (layout.worker.ts) on a headless Cytoscape, so the tab keeps answering while it simulates
// (docs/benchmarks.md, "Explorer at scale"). Headless Cytoscape cannot measure labels, so the page
// measures each node's layout size and label box here and sends them with the elements.
import type {
  Core,
  EdgeCollection,
  EdgeSingular,
  LayoutOptions,
  NodeCollection,
  NodeSingular,
  Position,
} from 'cytoscape';

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
    idealEdgeLength: (edge: EdgeSingular) =>
      idealEdgeLength(
        String(edge.data('caption') ?? ''),
        Math.max(edge.source().degree(false), edge.target().degree(false)),
      ),
    nestingFactor: 0.1,
    gravityCompound: 1.5,
    tile: true,
    tilingPaddingVertical: 6,
    tilingPaddingHorizontal: 6,
    ...(fixed.length ? { fixedNodeConstraint: fixed } : {}),
  } as LayoutOptions;
}

/** fCoSE's ideal length of a connection with no label (compact: see nodeRepulsion). */
const SHORT_EDGE = 40;
/** A generous width of one character of an edge label at 9 px (DejaVu Sans, the usual fallback, averages ~4 px). */
const LABEL_CHAR_PX = 4.4;

/** More connections than this at either end: the labels there cross one another whatever the length. */
const FEW_CONNECTIONS = 6;

/**
 * fCoSE's ideal length of a connection: compact, but where few lines meet, long enough for the widest line of its
 * label to lie between the two resources (G8: a label that runs under a resource's icon cannot be read). At a hub
 * (a security group of fifty instances) the labels overlap one another anyway, and long spokes would only make
 * the fitted view too small to read. Estimated from the characters, so the worker, which measures no text, gives
 * the same lengths as the page.
 */
export function idealEdgeLength(caption: string, connectionsAtBusierEnd: number): number {
  if (connectionsAtBusierEnd > FEW_CONNECTIONS) return SHORT_EDGE;
  const widest = Math.max(0, ...caption.split('\n').map((line) => line.length));
  return Math.max(SHORT_EDGE, Math.ceil(widest * LABEL_CHAR_PX) + 12);
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
  /** The connections, with the label as drawn (their ideal length depends on it). */
  edges: { id: string; source: string; target: string; caption: string }[];
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

/** A connection as the worker needs it, from its element data. */
export function layoutEdge(data: {
  id?: string;
  source?: string;
  target?: string;
  caption?: string;
}): LayoutRequest['edges'][number] {
  return { id: String(data.id), source: String(data.source), target: String(data.target), caption: data.caption ?? '' };
}

/** The connections as the worker needs them. */
export function edgeEnds(edges: EdgeCollection): LayoutRequest['edges'] {
  return edges.map((e) => layoutEdge(e.data() as Parameters<typeof layoutEdge>[0]));
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
