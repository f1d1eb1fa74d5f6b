// The Cytoscape canvas: draws shaped elements, keeps positions stable as the graph grows (known
// nodes keep where they were, new ones are laid out around them), and reports what the user does.
import cytoscape from 'cytoscape';
import type {
  Core,
  EdgeCollection,
  EdgeSingular,
  ElementDefinition,
  LayoutOptions,
  NodeSingular,
  Position,
} from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { boxRects, packByBoxes } from '../graph/box-packing.ts';
import { hashString, seededRandom, withSeededRandom } from '../graph/seeded.ts';
import type { Element, NodeElement } from '../graph/shape.ts';
import type { LayoutName } from '../state/view-state.ts';
import { BoxLayer, leaveOutOfWebgl } from './box-layer.ts';
import { cyStyle } from './cy-style.ts';
import { showWhenDrawn } from './first-frame.ts';
import { wrapLabelsOnce } from './label-wrap-cache.ts';
import { pickOnCpu } from './software-picking.ts';
import { probeWebgl } from './webgl-support.ts';
import { WEBGL_ATLASES } from './webgl-atlases.ts';
import { inTimedSlices, nextTask, type SliceBudget } from './yielding.ts';
import {
  applyPositions,
  edgeEnds,
  fcoseOptions,
  layoutEdge,
  type FixedNode,
  LayoutWorker,
  type LayoutNode,
  measureNodes,
} from './fcose-layout.ts';

cytoscape.use(fcose);

/**
 * Resources above which a drawing counts as crowded: fitted to the screen its labels are a pixel or
 * two high, so they are drawn only once zoomed in enough to read (see docs/benchmarks.md).
 */
export const CROWDED = 1000;
/**
 * Resources above which a view is big: its first layout packs each box's members in rows
 * (graph/box-packing.ts) instead of running fCoSE, and its labels are made only for what is on screen
 * once zoomed in enough to read them (docs/benchmarks.md, "Explorer at scale").
 */
export const BIG_VIEW = 300;
/** Zoom from which a big view's resources on screen get their labels (12 px text at 6 px or more). */
export const NODE_LABEL_ZOOM = 0.5;
/**
 * Connections drawn (after folding, SPEC G11) above which a big view hides them below NODE_LABEL_ZOOM
 * (SPEC G16): fitted, hundreds of lines are a texture that says nothing and costs most of every frame,
 * while the few dozen of a folded view are its overview (docs/benchmarks.md, "Explorer at scale").
 */
export const DISTANT_CONNECTIONS = 500;
// Edge labels are drawn from zoom 1 (the stylesheet's min-zoomed-font-size).
const EDGE_LABEL_ZOOM = 1;

/** How long the last draw spent in each phase (the explorer benchmark prints them). */
export interface DrawPhases {
  /** Creating the elements (Cytoscape computes most of their style when it first paints them). */
  addMs: number;
  /** Running the layout (or packing the boxes of a big view). */
  layoutMs: number;
  /** Fitting the drawing to the screen (measures every element). */
  fitMs: number;
  /** Whether the first layout packed boxes (a big view) rather than running the chosen layout. */
  packed: boolean;
  /** When each phase ended (performance.now()), so long tasks can be put in their phase. */
  marks: { start: number; layout: number; add: number; fit: number };
}

// Cytoscape draws a label only when its size on screen (rounded to a power of two) reaches this.
// The selected resource keeps its label at any zoom, as edges in focus do.
const crowdedLabels = [
  { selector: 'node.resource.crowded', style: { 'min-zoomed-font-size': 8 } },
  { selector: 'node.resource.crowded:selected', style: { 'min-zoomed-font-size': 0 } },
  // A big view's labels are not even measured until they are on screen and readable (measuring
  // thousands of labels is most of the time Cytoscape takes to style them); selection and hover show them.
  { selector: '.unlabelled', style: { label: '' } },
  { selector: 'node.unlabelled:selected', style: { label: 'data(label)' } },
  { selector: 'edge.unlabelled.hover, edge.unlabelled.focus', style: { label: 'data(caption)' } },
  // Nor, when it draws more than DISTANT_CONNECTIONS, are its connections drawn before they can be told
  // apart (fitted, hundreds of lines are a texture that costs most of every frame): they appear on screen
  // from NODE_LABEL_ZOOM, with the selection's, a path's and compare's marked ones at any zoom (G16).
  { selector: 'edge.distant', style: { display: 'none' as const } },
  {
    selector: 'edge.distant.focus, edge.distant.on-path, edge.distant.diff-added, edge.distant.diff-removed',
    style: { display: 'element' as const },
  },
  // A big view's boxes are plain rectangles behind the resources, sized from the packing (boxRects):
  // Cytoscape would otherwise measure every compound box from all its members.
  {
    selector: 'node.plainbox',
    style: {
      width: 'data(w)',
      height: 'data(h)',
      padding: '0px',
      'z-compound-depth': 'bottom' as const,
    },
  },
  // Outer boxes behind inner ones (account › region › VPC › zone › subnet).
  ...[0, 1, 2, 3, 4, 5].map((depth) => ({ selector: `node.plainbox.depth-${depth}`, style: { 'z-index': depth } })),
];
/**
 * How a big view adds its elements: a slice per task, yielding between them so the tab keeps answering,
 * each sized to take about 80 ms at the pace of the last (yielding.ts).
 */
const SLICES: SliceBudget = { first: 200, ms: 80 };
/** Nodes a first fCoSE draw styles and measures per task (a few hundred milliseconds at most). */
const MEASURE_SLICE = 40;
/** Elements a first fCoSE draw adds per task once placed. */
const DRAW_SLICE = 60;

export interface GraphViewEvents {
  select(key: string | undefined): void;
  toggle(key: string): void;
  viewport(): void;
}

export interface DrawOptions {
  layout: LayoutName;
  /** Forget remembered positions and lay everything out again (the user chose a layout). */
  relayout: boolean;
  webgl: boolean;
  /** An element to centre on once drawn, at the zoom of the moment (a resource shown by opening its box). */
  focus?: string;
}

export class GraphView {
  cy: Core;
  private readonly positions = new Map<string, Position>();
  private webgl = false;
  /** Drawing with WebGL rasterised in software (no graphics card): boxes behind it, labels on demand. */
  private webglInSoftware = false;
  /** Resolved once the drawing is on screen (a new drawing's first WebGL frames: first-frame.ts). */
  private shown: Promise<void> = Promise.resolve();

  constructor(
    private readonly container: HTMLElement,
    private readonly events: GraphViewEvents,
  ) {
    this.cy = this.create(false);
  }

  private create(webgl: boolean): Core {
    this.webgl = webgl;
    this.webglInSoftware = webgl && probeWebgl() === 'software';
    const options: cytoscape.CytoscapeOptions & { renderer?: Record<string, string | number | boolean> } = {
      container: this.container,
      style: [...cyStyle(), ...crowdedLabels],
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      // WebGL (Cytoscape ≥ 3.31) keeps thousands of elements interactive on a graphics card.
      ...(webgl ? { renderer: { name: 'canvas', webgl: true, ...WEBGL_ATLASES } } : {}),
    };
    const cy = cytoscape(options);
    wrapLabelsOnce(cy);
    // WebGL rasterised in software: the boxes are drawn on a 2D canvas behind it (box-layer.ts), and what is
    // under the pointer is found on the CPU (software-picking.ts).
    if (this.webglInSoftware) {
      const isBox = (ele: cytoscape.SingularElementArgument) => ele.hasClass('group');
      if (leaveOutOfWebgl(cy, isBox)) new BoxLayer(this.container, cy, '.group');
      pickOnCpu(cy, isBox);
    }
    this.shown = Promise.resolve();
    cy.on('tap', 'node.resource', (e) => this.events.select((e.target as NodeSingular).id()));
    cy.on('tap', (e) => {
      if (e.target === cy) this.events.select(undefined);
    });
    cy.on('dbltap', 'node.resource', (e) => this.events.toggle((e.target as NodeSingular).id()));
    cy.on('dragfree', 'node.resource', (e) => this.remember(e.target as NodeSingular));
    cy.on('viewport render', () => this.events.viewport());
    // Edge labels: drawn when zoomed in enough to read them (the stylesheet's min-zoomed-font-size), and
    // always for the edge under the pointer, a selected edge and the edges of the selected node.
    cy.on('mouseover', 'edge', (e) => {
      (e.target as EdgeSingular).addClass('hover');
      this.sizeLabels();
    });
    cy.on('mouseout', 'edge', (e) => {
      const edge = e.target as EdgeSingular;
      edge.removeClass('hover');
      this.sizeLabels(edge);
    });
    cy.on('select unselect', () => this.focusEdges());
    cy.on('zoom', () => this.sizeLabels());
    // Labels of a big view follow the viewport once it has settled (see labelOnScreen).
    let settle: ReturnType<typeof setTimeout> | undefined;
    cy.on('viewport', () => {
      if (!this.labelsOnDemand) return;
      clearTimeout(settle);
      settle = setTimeout(() => {
        if (!cy.destroyed()) this.labelOnScreen();
      }, 120);
    });
    return cy;
  }

  /** Marks the edges of the selected elements so their labels show at any zoom. */
  private focusEdges(): void {
    const cy = this.cy;
    const before = cy.edges('.focus');
    cy.batch(() => {
      before.removeClass('focus');
      cy.$(':selected').forEach((el) => {
        if (el.isEdge()) el.addClass('focus');
        else (el as NodeSingular).connectedEdges().addClass('focus');
      });
    });
    this.sizeLabels(before);
  }

  /** A readable size on screen (11px) for labels shown whatever the zoom. */
  private sizeLabels(released?: EdgeCollection): void {
    const cy = this.cy;
    cy.batch(() => {
      released?.filter((e) => !e.hasClass('hover') && !e.hasClass('focus')).removeStyle('font-size');
      const size = Math.max(8, 11 / cy.zoom());
      cy.edges('.hover, .focus').style('font-size', size);
    });
  }

  private remember(node: NodeSingular): void {
    this.positions.set(node.id(), { ...node.position() });
  }

  /** Replaces the drawing with `elements`, laying out only what is new unless told otherwise; resolves once on screen. */
  async draw(elements: Element[], opts: DrawOptions): Promise<void> {
    let finished = () => {};
    const drawnAll = new Promise<void>((resolve) => (finished = resolve));
    try {
      await this.drawNow(elements, opts, drawnAll);
    } finally {
      finished();
    }
    await this.shown;
  }

  /** `drawnAll` settles once this draw has added its last slice (or given way). */
  private async drawNow(elements: Element[], opts: DrawOptions, drawnAll: Promise<void>): Promise<void> {
    const t0 = performance.now();
    let resourceCount = 0;
    // A counted node (G11) counts as the resources it stands for: opening it keeps the view big.
    for (const el of elements)
      if (el.group === 'nodes' && el.data.kind === 'resource') resourceCount += el.data.count ?? 1;
    const crowded = resourceCount > CROWDED;
    this.big = resourceCount > BIG_VIEW;
    // What is drawn decides, not what it stands for: a folded big view of a few dozen elements fits
    // below NODE_LABEL_ZOOM and would otherwise show no connection at all (G16).
    const distant = this.big && elements.filter((el) => el.group === 'edges').length > DISTANT_CONNECTIONS;
    if (opts.webgl !== this.webgl) {
      const asked = ++this.generation;
      // WebGL's context and shaders take 70–80 ms in software: in a task of their own, not added to the
      // caller's, which has just shaped the view (150–200 ms at 10,000 elements; docs/benchmarks.md,
      // "WebGL in software, fourth pass"). A newer draw started meanwhile owns the drawing.
      if (opts.webgl) await nextTask();
      if (asked !== this.generation) return;
      if (opts.webgl !== this.webgl) {
        this.cy.destroy();
        this.cy = this.create(opts.webgl);
        // And the drawing in the next: the renderer's creation (shaders compiled, the container measured)
        // and the first slice of a view were one 220–290 ms block on a slow VM (docs/benchmarks.md,
        // "fifteenth session").
        if (opts.webgl) {
          await nextTask();
          if (asked !== this.generation) return;
        }
      }
    }
    // WebGL draws every label it is given into its texture atlases in the frame it first meets it, however
    // small on screen (it does not honour min-zoomed-font-size), and in software every label is a draw call
    // of its own: labels come once on screen and readable, as in a big view (docs/benchmarks.md).
    this.labelsOnDemand = this.big || this.webglInSoftware;
    // A counted box opened (G11): its members go where it was, so the big view is packed again, staying
    // where the user is looking (the opened box centred, at the same zoom).
    const ids = new Set(elements.map((el) => el.data.id));
    const opened = this.cy.nodes('.fold').filter((n) => !ids.has(n.id()));
    // Closed again (G12): a new counted node whose members, drawn now in its box, leave; it comes back
    // where they were.
    const leaving = this.cy.nodes('.resource').filter((n) => !ids.has(n.id()));
    const closed = elements.find(
      (el) =>
        el.group === 'nodes' &&
        el.data.count !== undefined &&
        this.cy.getElementById(el.data.id).empty() &&
        leaving.some((n) => n.data('box') === el.data.parent && n.data('resourceType') === el.data.resourceType),
    );
    const repack = this.big && opts.layout === 'fcose' && (opened.nonempty() || closed !== undefined) && !opts.relayout;
    const focus =
      opts.focus ??
      (!repack
        ? undefined
        : opened.nonempty()
          ? String(opened[0]!.data('box') ?? opened[0]!.id())
          : String((closed!.data as { parent?: string }).parent ?? closed!.data.id));
    const keepZoom = this.cy.zoom();
    if (opts.relayout || repack) this.positions.clear();
    const generation = ++this.generation;
    this.container.style.visibility = '';
    const cy = this.cy;
    // The surrounding layout (legend, notices) may have changed the container's size.
    cy.resize();
    const defs: ElementDefinition[] = elements.map((el) => {
      const classes = [el.classes];
      if (crowded && el.group === 'nodes' && el.data.kind === 'resource') classes.push('crowded');
      // Boxes and counted nodes keep their labels: there are few, and they say what the overview shows.
      const named = el.group === 'nodes' && (el.data.kind === 'group' || el.data.count !== undefined);
      if (this.labelsOnDemand && !named) classes.push('unlabelled');
      if (distant && el.group === 'edges') classes.push('distant');
      return { group: el.group, data: { ...el.data }, classes: classes.join(' ') };
    });
    const known = new Set<string>();
    for (const el of elements) if (el.group === 'nodes' && this.positions.has(el.data.id)) known.add(el.data.id);
    // A new drawing's WebGL frames (new textures, in a new renderer new pipelines) kept off screen until its
    // last slice is added and the GPU has drawn it, so the page does not wait for them (first-frame.ts). Not
    // when it grows or a box opens in it: what is drawn already stays in sight.
    if (this.webglInSoftware && known.size === 0 && !repack && elements.length > 0)
      this.shown = showWhenDrawn(cy, drawnAll) ?? this.shown;
    // A big view is placed box by box before its elements exist: no layout to run.
    const packed = this.big && opts.layout === 'fcose';
    if (packed) {
      // The caller shaped the view in this task: place it in another, so neither blocks for both.
      await nextTask();
      if (generation !== this.generation || cy.destroyed()) return;
      const placed = this.placeBig(elements, defs, known);
      const at = repack && focus !== undefined ? { focus, zoom: keepZoom } : undefined;
      await this.drawPacked(elements, placed, known, generation, performance.now(), at);
      if (!repack && focus !== undefined && generation === this.generation) this.centreOn(focus);
      return;
    }
    const tPacked = performance.now();
    if (known.size === 0 && opts.layout === 'fcose' && LayoutWorker.available)
      return this.drawOffThread(defs, generation, t0);
    cy.batch(() => {
      cy.elements().remove();
      cy.add(defs);
      cy.nodes('.resource').forEach((n) => {
        const p = this.positions.get(n.id());
        if (p) n.position(p);
      });
      // New nodes start next to a known neighbour, so incremental layouts grow outwards.
      if (known.size > 0)
        cy.nodes('.resource').forEach((n) => {
          if (known.has(n.id())) return;
          const anchor = n.neighborhood('node.resource').filter((m) => known.has(m.id()))[0];
          if (anchor) n.position(this.beside(n.id(), anchor.position()));
        });
    });
    const t1 = performance.now();
    this.lastPhases = {
      addMs: t1 - tPacked,
      layoutMs: tPacked - t0,
      fitMs: 0,
      packed,
      marks: { start: t0, layout: tPacked, add: t1, fit: t1 },
    };
    const resources = cy.nodes('.resource');
    const fresh = resources.filter((n) => !known.has(n.id()));
    if (resources.length === 0 || fresh.length === 0) {
      if (opts.focus !== undefined) this.centreOn(opts.focus);
      return this.labelOnScreen();
    }
    const incremental = known.size > 0;
    if (!packed) {
      const done = await this.runLayout(opts.layout, incremental, known);
      // A newer draw started meanwhile: it owns the drawing now.
      if (!done || generation !== this.generation || cy.destroyed()) return;
      // fCoSE fixes a node's box including its label, which nudges the node itself by half a label:
      // put known nodes back exactly where they were.
      if (incremental) {
        cy.batch(() => {
          for (const id of known) {
            const p = this.positions.get(id);
            if (p) cy.getElementById(id).position(p);
          }
        });
      }
    }
    const t2 = performance.now();
    this.lastPhases.layoutMs += t2 - t1;
    cy.nodes('.resource').forEach((n) => this.remember(n));
    if (!incremental) cy.fit(undefined, 30);
    if (opts.focus !== undefined) this.centreOn(opts.focus);
    this.lastPhases.fitMs = performance.now() - t2;
    this.lastPhases.marks = { start: t0, layout: t2, add: t1, fit: performance.now() };
    this.labelOnScreen();
  }

  /**
   * A first draw laid out by fCoSE in the worker. The page styles and measures the nodes for it in
   * slices, as plain nodes (in their boxes, measuring each would measure its boxes again from all their
   * members), then draws the placed view in slices: no task styles or paints the whole drawing.
   */
  private async drawOffThread(defs: ElementDefinition[], generation: number, t0: number): Promise<void> {
    const cy = this.cy;
    const stale = () => generation !== this.generation || cy.destroyed();
    cy.elements().remove();
    this.container.style.visibility = 'hidden';
    const nodes = defs.filter((d) => d.group === 'nodes');
    const connections = defs.filter((d) => d.group === 'edges');
    const parentOf = new Map<string, string>();
    for (const d of nodes) if (typeof d.data.parent === 'string') parentOf.set(d.data.id!, d.data.parent);
    const measured: LayoutNode[] = [];
    for (let i = 0; i < nodes.length; i += MEASURE_SLICE) {
      await nextTask();
      if (stale()) return;
      // Measured with their labels, whenever these are shown: the layout leaves room for them.
      const slice = nodes.slice(i, i + MEASURE_SLICE).map((d) => ({
        ...d,
        data: { ...d.data, parent: undefined },
        classes: String(d.classes ?? '')
          .split(' ')
          .filter((c) => c !== 'unlabelled')
          .join(' '),
      }));
      const added = cy.add(slice).nodes();
      for (const n of measureNodes(added)) {
        const parent = parentOf.get(n.id);
        measured.push(parent === undefined ? n : { ...n, parent });
      }
      added.remove();
    }
    const tAdded = performance.now();
    // G10: the same seed as the page's own layout would use, from everything drawn.
    const seed = hashString(
      defs
        .map((d) => d.data.id!)
        .sort()
        .join('\n'),
    );
    const edges = connections.map((d) => layoutEdge(d.data));
    const answer = await this.layoutWorker.run({ seed, incremental: false, fixed: [], nodes: measured, edges });
    if (stale()) return;
    const tLaidOut = performance.now();
    if (!('positions' in answer)) {
      if (answer.error === 'superseded' || answer.error === 'stopped') return;
      console.warn('the layout worker failed, laying out in the page', answer.error);
      cy.add(defs);
      withSeededRandom(seed, () => cy.layout(fcoseOptions(false, [])).run());
    } else {
      const placed = answer.positions;
      // Roughly, from the measured sizes, so the slices appear where they will stay.
      this.fitToPlaced(measured, placed);
      this.container.style.visibility = '';
      // Boxes and resources at their places, then the connections, a slice per task.
      const ordered = [...nodes, ...connections];
      for (let i = 0; i < ordered.length; i += DRAW_SLICE) {
        if (i > 0) await nextTask();
        if (stale()) return;
        // Styled and measured now, within this slice, rather than all at once by the next frame.
        cy.add(
          ordered
            .slice(i, i + DRAW_SLICE)
            .map((d) => (placed[d.data.id!] ? { ...d, position: placed[d.data.id!] } : d)),
        ).boundingBox({});
      }
    }
    // Exactly, boxes and their labels included, now that every slice has been measured (cheap: cached).
    cy.fit(undefined, 30);
    this.container.style.visibility = '';
    cy.nodes('.resource').forEach((n) => this.remember(n));
    const tDrawn = performance.now();
    this.lastPhases = {
      addMs: tAdded - t0 + (tDrawn - tLaidOut),
      layoutMs: tLaidOut - tAdded,
      fitMs: 0,
      packed: false,
      marks: { start: t0, layout: tLaidOut, fit: tLaidOut, add: tDrawn },
    };
    this.labelOnScreen();
  }

  /** Fits the viewport to placed nodes from their measured sizes, without measuring any element. */
  private fitToPlaced(measured: LayoutNode[], placed: Record<string, Position>): void {
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const n of measured) {
      const p = placed[n.id];
      if (!p) continue;
      x1 = Math.min(x1, p.x - n.w / 2);
      x2 = Math.max(x2, p.x + n.w / 2);
      y1 = Math.min(y1, p.y - n.h / 2);
      y2 = Math.max(y2, p.y + n.h / 2);
    }
    if (!Number.isFinite(x1)) return;
    // Room for the boxes around the resources: padding and a label per level.
    const depth = Math.min(5, measured.filter((n) => n.classes.includes('group')).length > 0 ? 3 : 0);
    this.viewExtent(x1, y1, x2, y2, 30 + depth * 12);
  }

  /** Zooms and pans so the model extent (x1, y1)–(x2, y2) fills the screen but for `pad` pixels. */
  private viewExtent(x1: number, y1: number, x2: number, y2: number, pad: number): void {
    const cy = this.cy;
    const zoom = Math.min(
      cy.maxZoom(),
      Math.max(cy.minZoom(), Math.min((cy.width() - 2 * pad) / (x2 - x1), (cy.height() - 2 * pad) / (y2 - y1))),
    );
    cy.viewport({
      zoom,
      pan: { x: cy.width() / 2 - zoom * ((x1 + x2) / 2), y: cy.height() / 2 - zoom * ((y1 + y2) / 2) },
    });
  }

  /** Counts draws, so a big view still adding its slices stops when a newer draw starts. */
  private generation = 0;

  /**
   * Draws a packed big view: boxes as plain rectangles around their members (no compounds), fitted
   * from the packing's own extent, then the elements in slices with a yield between them. Each slice
   * is measured as it is added, so no block measures all of them (docs/benchmarks.md).
   */
  private async drawPacked(
    elements: Element[],
    defs: ElementDefinition[],
    known: Set<string>,
    generation: number,
    t0: number,
    /** Instead of fitting: this element centred at this zoom (a box opened in place). */
    at?: { focus: string; zoom: number },
  ): Promise<void> {
    const cy = this.cy;
    const positions = new Map<string, Position>();
    for (const d of defs) if (d.position) positions.set(d.data.id!, d.position);
    const rects = boxRects(elements, positions);
    const flat: ElementDefinition[] = [];
    for (const d of defs) {
      if (d.group !== 'nodes') {
        flat.push(d);
        continue;
      }
      // The box a node is drawn in stays known (as `box`), but is no compound parent.
      const { parent, ...data } = d.data as { parent?: string; [key: string]: unknown };
      if (parent !== undefined) data['box'] = parent;
      if (data['kind'] !== 'group') {
        flat.push({ ...d, data });
        continue;
      }
      const r = rects.get(d.data.id!);
      if (!r) continue;
      flat.push({
        ...d,
        data: { ...data, w: r.width, h: r.height },
        classes: `${String(d.classes ?? '')} plainbox depth-${Math.min(r.depth, 5)}`,
        position: { x: r.x, y: r.y },
        grabbable: false,
        pannable: true,
      });
    }
    const incremental = known.size > 0;
    const tLaidOut = performance.now();
    cy.elements().remove();
    const centre = at && (rects.get(at.focus) ?? positions.get(at.focus));
    if (at && centre) {
      const zoom = at.zoom;
      cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * centre.x, y: cy.height() / 2 - zoom * centre.y } });
    } else if (!incremental) this.fitTo(flat, rects);
    const tFitted = performance.now();
    // Shaping and packing were one task; each slice is another. Measured now, within its slice, rather than
    // all at once when first painted.
    const added = await inTimedSlices(
      flat,
      SLICES,
      () => generation !== this.generation || cy.destroyed(),
      (slice) => cy.add(slice).boundingBox({}),
    );
    if (!added) return;
    const tAdded = performance.now();
    for (const [id, p] of positions) if (!known.has(id)) this.positions.set(id, { ...p });
    this.lastPhases = {
      addMs: tAdded - tFitted,
      layoutMs: tLaidOut - t0,
      fitMs: tFitted - tLaidOut,
      packed: true,
      marks: { start: t0, layout: tLaidOut, fit: tFitted, add: tAdded },
    };
    this.labelOnScreen();
  }

  /** Fits the viewport to a packed view from its own geometry, without measuring any element. */
  private fitTo(
    defs: ElementDefinition[],
    rects: Map<string, { x: number; y: number; width: number; height: number }>,
  ) {
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const r of rects.values()) {
      x1 = Math.min(x1, r.x - r.width / 2);
      y1 = Math.min(y1, r.y - r.height / 2 - 20);
      x2 = Math.max(x2, r.x + r.width / 2);
      y2 = Math.max(y2, r.y + r.height / 2);
    }
    for (const d of defs)
      if (d.group === 'nodes' && d.data['kind'] === 'resource' && d.data['box'] === undefined && d.position) {
        x1 = Math.min(x1, d.position.x - 60);
        y1 = Math.min(y1, d.position.y - 20);
        x2 = Math.max(x2, d.position.x + 60);
        y2 = Math.max(y2, d.position.y + 62);
      }
    if (!Number.isFinite(x1)) return;
    this.viewExtent(x1, y1, x2, y2, 30);
  }

  /** Whether the drawing is big (see BIG_VIEW). */
  private big = false;
  /** Whether labels are made only once on screen and readable (a big view's, and any drawn with WebGL). */
  private labelsOnDemand = false;

  /**
   * A big view: gives the resources (and, further in, the connections) on screen their labels once
   * readable. Labels once made stay; only what the user has looked at is ever measured.
   */
  private labelOnScreen(): void {
    const cy = this.cy;
    if (!this.labelsOnDemand || cy.zoom() < NODE_LABEL_ZOOM) return;
    const ext = cy.extent();
    // A margin of half a screen, so a short pan finds its labels ready.
    const mx = ext.w / 2;
    const my = ext.h / 2;
    const inView = (p: Position) =>
      p.x >= ext.x1 - mx && p.x <= ext.x2 + mx && p.y >= ext.y1 - my && p.y <= ext.y2 + my;
    const nodes = cy.nodes('.unlabelled').filter((n) => inView(n.position()));
    const endInView = (e: EdgeSingular) => inView(e.source().position()) || inView(e.target().position());
    const shown = cy.edges('.distant').filter(endInView);
    const edges = cy.zoom() >= EDGE_LABEL_ZOOM ? cy.edges('.unlabelled').filter(endInView) : cy.collection();
    if (nodes.empty() && edges.empty() && shown.empty()) return;
    cy.batch(() => {
      nodes.union(edges).removeClass('unlabelled');
      shown.removeClass('distant');
    });
  }

  /** Phases of the last draw. */
  lastPhases: DrawPhases = {
    addMs: 0,
    layoutMs: 0,
    fitMs: 0,
    packed: false,
    marks: { start: 0, layout: 0, add: 0, fit: 0 },
  };

  /** A small offset from `p` that depends on the node only, so a reload puts it in the same place. */
  private beside(id: string, p: Position): Position {
    const jitter = seededRandom(hashString(id));
    return { x: p.x + (jitter() - 0.5) * 80, y: p.y + (jitter() - 0.5) * 80 };
  }

  /**
   * Positions for a big view's definitions: known nodes stay; new ones beside a known neighbour, and
   * the rest packed box by box (all of them on a first draw), right of what is drawn.
   */
  private placeBig(elements: Element[], defs: ElementDefinition[], known: Set<string>): ElementDefinition[] {
    const fresh = elements.filter((el): el is NodeElement => el.group === 'nodes' && !known.has(el.data.id));
    const anchors = new Map<string, Position>();
    if (known.size > 0)
      for (const el of elements) {
        if (el.group !== 'edges') continue;
        const { source, target } = el.data;
        if (known.has(source) && !known.has(target) && !anchors.has(target))
          anchors.set(target, this.beside(target, this.positions.get(source)!));
        if (known.has(target) && !known.has(source) && !anchors.has(source))
          anchors.set(source, this.beside(source, this.positions.get(target)!));
      }
    const rest = packByBoxes(
      known.size > 0 ? fresh.filter((el) => el.data.kind === 'group' || !anchors.has(el.data.id)) : elements,
    );
    let dx = 0;
    if (known.size > 0) {
      let right = -Infinity;
      for (const id of known) right = Math.max(right, this.positions.get(id)!.x);
      dx = right + 200;
    }
    for (const d of defs) {
      if (d.group !== 'nodes' || d.data['kind'] !== 'resource') continue;
      const id = d.data.id!;
      const r = rest.get(id);
      d.position = this.positions.get(id) ?? anchors.get(id) ?? (r && { x: r.x + dx, y: r.y });
    }
    // Boxes first (a child needs its parent), then resources box by box, then connections: a slice
    // then changes few boxes, and Cytoscape measures a box again from all its members on each change.
    const rank = new Map([...rest.keys()].map((id, i) => [id, i]));
    const key = (d: ElementDefinition) =>
      d.group === 'edges' ? Infinity : d.data['kind'] === 'group' ? -1 : (rank.get(d.data.id!) ?? rest.size);
    return defs
      .map((d, i) => ({ d, i, k: key(d) }))
      .sort((a, b) => a.k - b.k || a.i - b.i)
      .map((x) => x.d);
  }

  /** Lays out; false when a newer draw took over meanwhile. */
  private async runLayout(name: LayoutName, incremental: boolean, known: Set<string>): Promise<boolean> {
    const cy = this.cy;
    let options: LayoutOptions;
    let eles = cy.elements();
    if (name === 'fcose') {
      const fixed = incremental
        ? cy
            .nodes('.resource')
            .filter((n) => known.has(n.id()) && n.isChildless())
            .map((n) => ({ nodeId: n.id(), position: { ...(n as NodeSingular).position() } }))
        : [];
      options = fcoseOptions(incremental, fixed);
    } else {
      const common = { animate: false, nodeDimensionsIncludeLabels: true, padding: 30 };
      if (incremental) {
        // Only the new nodes move, into a box beside what is already drawn.
        const bb = cy
          .nodes('.resource')
          .filter((n) => known.has(n.id()))
          .boundingBox({});
        eles = cy.nodes('.resource').filter((n) => !known.has(n.id()));
        const w = Math.max(200, Math.sqrt(eles.length) * 120);
        Object.assign(common, { boundingBox: { x1: bb.x2 + 80, y1: bb.y1, w, h: Math.max(200, bb.h) }, fit: false });
      }
      if (name === 'concentric') {
        const root = cy.nodes('.root');
        options = {
          name: 'concentric',
          ...common,
          minNodeSpacing: 40,
          // Rings: the root, its direct neighbours, everything else.
          concentric: (n: NodeSingular) => (root.nonempty() && n.same(root) ? 3 : n.edgesWith(root).nonempty() ? 2 : 1),
          levelWidth: () => 1,
        };
      } else if (name === 'breadthfirst') {
        options = {
          name: 'breadthfirst',
          ...common,
          directed: false,
          spacingFactor: 1.2,
          roots: cy.nodes('.root'),
        } as LayoutOptions;
      } else {
        options = {
          name: 'grid',
          ...common,
          avoidOverlap: true,
          condense: true,
          sort: (a: NodeSingular, b: NodeSingular) => a.id().localeCompare(b.id()),
        };
      }
    }
    // G10: the layout's random choices come from a seed of what is drawn: same data, same positions.
    const seed = hashString(
      eles
        .map((e) => e.id())
        .sort()
        .join('\n'),
    );
    if (name === 'fcose' && LayoutWorker.available) {
      // Off the main thread: the simulation blocked the tab for a second or more at 500 elements.
      const fixed = (options as { fixedNodeConstraint?: FixedNode[] }).fixedNodeConstraint ?? [];
      const answer = await this.layoutWorker.run({
        seed,
        incremental,
        fixed,
        nodes: measureNodes(eles.nodes()),
        edges: edgeEnds(eles.edges()),
      });
      if ('positions' in answer) {
        if (cy.destroyed()) return false;
        applyPositions(cy, answer.positions);
        // What fCoSE's own `fit` (on by default) did in the page.
        cy.fit(undefined, 30);
        return true;
      }
      // A newer layout took the worker: this one's drawing is gone.
      if (answer.error === 'superseded' || answer.error === 'stopped') return false;
      console.warn('the layout worker failed, laying out in the page', answer.error);
    }
    return new Promise((resolve) => {
      const layout = eles.layout(options);
      layout.one('layoutstop', () => resolve(true));
      try {
        withSeededRandom(seed, () => layout.run());
      } catch (err) {
        // A layout that cannot honour its constraints should not leave the view blank.
        console.warn('layout failed, falling back to grid', err);
        cy.layout({ name: 'grid', animate: false }).run();
        resolve(true);
      }
    });
  }

  /** Runs fCoSE off the main thread (fcose-layout.ts). */
  private readonly layoutWorker = new LayoutWorker();

  select(key: string | undefined): void {
    this.cy.$(':selected').unselect();
    if (key) this.cy.getElementById(key).select();
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }

  zoomBy(factor: number): void {
    const cy = this.cy;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  centreOn(key: string): void {
    const n = this.cy.getElementById(key);
    // No animation: the node is where the user (or a double-click) expects it at once. The node itself
    // goes to the centre (cy.center would centre its box with the label below it, a little off).
    if (n.nonempty()) {
      const p = n.renderedPosition();
      this.cy.panBy({ x: this.cy.width() / 2 - p.x, y: this.cy.height() / 2 - p.y });
    }
  }

  get usingWebgl(): boolean {
    return this.webgl;
  }
}
