// The explorer benchmark's page: the explorer's own shaping and GraphView, drawing one view in a
// fixed-size container, timed from the data in memory until the graph is laid out and answers a
// zoom; long tasks (main-thread blocks over 50 ms) are observed throughout.
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { shapingSteps } from '../../client/src/graph/shape.ts';
import type { LayoutName } from '../../client/src/state/view-state.ts';
import { GraphView } from '../../client/src/views/graph-view.ts';
import { inSteps } from '../../client/src/views/yielding.ts';

export interface ViewInput {
  nodes: ResourceNode[];
  edges: GraphEdge[];
  root: string;
  webgl: boolean;
  layout?: LayoutName;
  /** Draw every resource (no counted boxes), as before G11: for comparison. */
  unfolded?: boolean;
}

export interface ViewResult {
  elements: number;
  drawn: number;
  jsonMs: number;
  /** Grouping and shaping (client/src/graph/shape.ts). */
  shapeMs: number;
  /** Creating the Cytoscape elements and their style (in slices for a big view). */
  addMs: number;
  /** The layout: fCoSE, or packing the boxes of a big view. */
  layoutMs: number;
  /** Fitting the drawing to the screen. */
  fitMs: number;
  /** From the draw's end until the first frame is painted. */
  paintMs: number;
  /** From a zoom until it is painted. */
  zoomMs: number;
  /**
   * The pointer moved over the zoomed drawing until painted: Cytoscape finds what is under it (WebGL draws
   * every element again into a picking buffer, once after each pan or zoom; the canvas renderer searches).
   */
  hoverMs: number;
  /** Elements drawn: boxes, counted nodes (G11) and rerouted connections included. */
  drawnElements: number;
  /** Connections drawn (after folding, SPEC G11): whether they show while zoomed out depends on it (G16). */
  drawnConnections: number;
  /** Counted nodes (G11) the view drew for its crowded boxes. */
  folds: number;
  /** Opening the biggest counted node (its members drawn in its place) until painted; 0 when none. */
  openMs: number;
  /** Resources the opened counted node stood for. */
  openedCount: number;
  drawMs: number;
  packed: boolean;
  /**
   * One frame of the drawing as it stands (fitted, after opening), forced synchronously and read back
   * (a 1-pixel readPixels waits for WebGL's raster, as the compositor does without a GPU): the fastest
   * of five, so it says what a frame costs whatever else runs on the machine. Measured after the long
   * tasks are counted.
   */
  frameMs: number;
  /** From the data in memory until a zoom after the layout has been painted. */
  readyMs: number;
  longTasks: number;
  longestTaskMs: number;
  /** Sum of the long tasks: time the tab could not answer input. */
  blockedMs: number;
  tasksOver200: number;
  /** The longest long task in each phase it was seen in (by when it started). */
  longestByPhase: Record<string, number>;
  /** The phase of the longest long task ('' when there was none). */
  longestPhase: string;
  webgl: boolean;
}

/** Each task's phase is the one it spent most of its time in (phases are given by when they end). */
function byPhase(tasks: { start: number; ms: number }[], ends: [string, number][]): Record<string, number> {
  const sorted = [...ends].sort((a, b) => a[1] - b[1]);
  const out: Record<string, number> = {};
  for (const t of tasks) {
    let phase = 'after';
    let most = 0;
    let from = -Infinity;
    for (const [name, end] of sorted) {
      const overlap = Math.min(end, t.start + t.ms) - Math.max(from, t.start);
      if (overlap > most) [phase, most] = [name, overlap];
      from = end;
    }
    out[phase] = Math.max(out[phase] ?? 0, t.ms);
  }
  return out;
}

/** Cytoscape's renderer, as far as a forced frame needs it (not in its typings). */
interface Renderer {
  NODE: number;
  WEBGL: number;
  data: { canvasNeedsRedraw: boolean[]; contexts: (WebGL2RenderingContext | CanvasRenderingContext2D)[] };
  render(options: object): void;
}

/** The fastest of five frames drawn synchronously, each read back (see ViewResult.frameMs). */
function forcedFrame(view: GraphView): number {
  // The whole drawing on screen, as the user first sees it.
  view.fit();
  const r = (view.cy as unknown as { renderer(): Renderer }).renderer();
  const gl = view.usingWebgl ? (r.data.contexts[r.WEBGL] as WebGL2RenderingContext) : undefined;
  const ctx = gl ? undefined : (r.data.contexts[r.NODE] as CanvasRenderingContext2D);
  const pixel = new Uint8Array(4);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    r.data.canvasNeedsRedraw[r.NODE] = true;
    r.render({});
    if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    else ctx!.getImageData(0, 0, 1, 1);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/**
 * `json`: a ViewInput as the API's answer would arrive, parsed inside the timing. `keep`: leave the
 * view drawn, as `window.view` (the big-view browser test looks at it).
 */
async function drawView(json: string, keep = false): Promise<ViewResult> {
  const container = document.getElementById('graph')!;
  // The explorer creates its canvas once, when the page opens (client/src/views/canvas.ts), not per view.
  const view = new GraphView(container, {
    select: () => undefined,
    toggle: () => undefined,
    viewport: () => undefined,
  });
  const entries: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) entries.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ type: 'longtask' });
  // A task is observed only if it starts after observe(): the work starts in a task of its own.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const tJson = performance.now();
  const input = JSON.parse(json) as ViewInput;
  // The API's answer is parsed in a task of its own (the fetch's), then shaped and drawn.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const t0 = performance.now();
  const graph = {
    nodes: new Map(input.nodes.map((n) => [n.key, n])),
    edges: new Map(input.edges.map((e) => [e.id, e])),
    truncated: false,
  };
  // As the explorer shapes a view (client/src/views/canvas.ts, a step per task): crowded boxes folded, none
  // opened yet.
  const shapeWith = async (openBoxes: string[]) => {
    const steps = shapingSteps({
      graph,
      root: input.root,
      filters: { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] },
      grouping: true,
      expanded: [],
      openBoxes: input.unfolded ? undefined : openBoxes,
    });
    return (await inSteps(steps, () => false))!;
  };
  const shaped = await shapeWith([]);
  const t1 = performance.now();
  await view.draw(shaped.elements, { layout: input.layout ?? 'fcose', relayout: true, webgl: input.webgl });
  const t2 = performance.now();
  // The first draw's phases: opening a counted box below draws again, and its phases are the open's.
  const first = { ...view.lastPhases, marks: { ...view.lastPhases.marks } };
  // The renderer paints in requestAnimationFrame: the second frame starts once the first is drawn.
  await frame();
  await frame();
  const tPainted = performance.now();
  view.zoomBy(1.25);
  await frame();
  await frame();
  const t3 = performance.now();
  // The pointer moves over the middle of the drawing, in a task of its own as a real move would be.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const tMove = performance.now();
  const box = container.getBoundingClientRect();
  const top = container.querySelectorAll('canvas');
  top[top.length - 1]!.dispatchEvent(
    new MouseEvent('mousemove', {
      clientX: box.left + box.width / 2,
      clientY: box.top + box.height / 2,
      bubbles: true,
    }),
  );
  await frame();
  await frame();
  const tHovered = performance.now();
  // The user opens the biggest counted box (a click): its members are drawn in its place.
  const biggest = [...shaped.folds].sort((a, b) => b.members.length - a.members.length)[0];
  if (biggest) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const opened = await shapeWith([biggest.id]);
    await view.draw(opened.elements, { layout: input.layout ?? 'fcose', relayout: false, webgl: input.webgl });
    await frame();
    await frame();
  }
  const t4 = performance.now();
  // Long-task entries arrive asynchronously; give the last one time to be reported.
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const e of observer.takeRecords()) entries.push({ start: e.startTime, ms: e.duration });
  observer.disconnect();
  const frameMs = forcedFrame(view);
  const tasks = entries.map((e) => e.ms);
  const m = first.marks;
  const longestByPhase = byPhase(entries, [
    ['JSON', t0],
    ['shape', t1],
    ['add', m.add],
    ['layout', m.layout],
    ['fit', m.fit],
    ['paint', tPainted],
    ['zoom', t3],
    ['hover', tHovered],
    ...(biggest ? ([['open', t4]] as [string, number][]) : []),
  ]);
  const longestPhase = Object.entries(longestByPhase).reduce<[string, number]>(
    (a, b) => (b[1] > a[1] ? b : a),
    ['', 0],
  )[0];
  const result: ViewResult = {
    elements: shaped.visibleNodes.length + shaped.visibleEdges.length,
    drawn: shaped.elements.length,
    jsonMs: t0 - tJson,
    shapeMs: t1 - t0,
    addMs: first.addMs,
    layoutMs: first.layoutMs,
    fitMs: first.fitMs,
    paintMs: tPainted - t2,
    zoomMs: t3 - tPainted,
    drawnElements: shaped.elements.length,
    drawnConnections: shaped.elements.filter((el) => el.group === 'edges').length,
    folds: shaped.folds.length,
    hoverMs: tHovered - tMove,
    openMs: biggest ? t4 - tHovered - 300 : 0,
    openedCount: biggest?.members.length ?? 0,
    frameMs,
    drawMs: t2 - t1,
    packed: first.packed,
    readyMs: t3 - tJson,
    longTasks: tasks.length,
    longestTaskMs: Math.max(0, ...tasks),
    blockedMs: tasks.reduce((a, b) => a + b, 0),
    tasksOver200: tasks.filter((d) => d > 200).length,
    longestByPhase,
    longestPhase,
    webgl: view.usingWebgl,
  };
  if (keep) (window as unknown as { view: GraphView }).view = view;
  else view.cy.destroy();
  return result;
}

(window as unknown as { drawView: typeof drawView }).drawView = drawView;
