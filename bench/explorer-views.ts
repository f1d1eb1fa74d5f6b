// `npm run bench:explorer`: how long the explorer takes to draw views of 500, 2,000 and 10,000
// elements (resources + connections, as the explorer counts them) in headless Chromium, with the
// canvas renderer and with WebGL, and the longest time the tab is frozen meanwhile. Each view is a
// breadth-first neighbourhood of a generated estate, shaped and drawn by the explorer's own code
// (bench/explorer/page.ts). Goals (issue 13): 2,000 under 3 s, 10,000 under 10 s, no freeze over 200 ms.
//
// A big view draws its crowded boxes as counted nodes (SPEC G11), as the explorer does; `drawn` is what it
// then drew, and `open ms` the time to open the biggest counted node (its members drawn in its place,
// until painted). `--unfolded` draws every resource, as before G11, for comparison. `hover ms` is a pointer
// move over the zoomed drawing until painted (WebGL draws every element again into its picking buffer).
//
// `--trace DIR` records a Chromium trace of each view and prints, for each main-thread task over 200 ms,
// what it spent its time in and what the GPU process did meanwhile; `--gl-calls` times every WebGL call
// and counts the texture bytes uploaded (docs/benchmarks.md, "WebGL in software").
//
//   tsx bench/explorer-views.ts [--sizes 500,2000,10000] [--renderers canvas,webgl] [--layout fcose|concentric|breadthfirst|grid] [--unfolded] [--profile] [--gl-calls] [--trace DIR] [--screenshots DIR] [--json FILE]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import type { GraphEdge, ResourceNode } from '../graph/model.ts';
import { openSqliteStore } from '../graph/stores/sqlite/index.ts';
import { shapeElements } from '../client/src/graph/shape.ts';
import { LAYOUTS } from '../client/src/state/view-state.ts';
import { deliveryFiles, generateEnvironment } from '../world/generator/index.ts';
import { parseFiles } from './lib/dataset.ts';
import { benchFlags } from './lib/args.ts';
import { fmtMs, table } from './lib/measure.ts';
import type { ViewInput, ViewResult } from './explorer/page.ts';

const USAGE =
  'usage: tsx bench/explorer-views.ts [--sizes 500,2000,10000] [--renderers canvas,webgl] [--layout fcose|concentric|breadthfirst|grid] [--unfolded] [--profile] [--gl-calls] [--trace DIR] [--screenshots DIR] [--json FILE]';
const CHROMIUM = process.env.CONFIGGRAPH_CHROMIUM ?? '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

/** Nodes in breadth-first order from `root`, continuing with the next unvisited node when a component ends. */
function bfsOrder(nodes: ResourceNode[], edges: GraphEdge[], root: string): string[] {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    adj.set(e.source, [...(adj.get(e.source) ?? []), e.target]);
    adj.set(e.target, [...(adj.get(e.target) ?? []), e.source]);
  }
  const order: string[] = [];
  const seen = new Set<string>();
  const starts = [root, ...nodes.map((n) => n.key).sort()];
  for (const s of starts) {
    if (seen.has(s)) continue;
    seen.add(s);
    const queue = [s];
    for (let i = 0; i < queue.length; i++) {
      const k = queue[i]!;
      order.push(k);
      for (const m of (adj.get(k) ?? []).sort())
        if (!seen.has(m)) {
          seen.add(m);
          queue.push(m);
        }
    }
  }
  return order;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Where the main thread spent its time: functions by self time and by total (inclusive) time. */
function printProfile(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${path.basename(f.url.split('?')[0] ?? '')}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
    self.set(nameOf(id), (self.get(nameOf(id)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(nameOf(at));
    for (const n of seen) total.set(n, (total.get(n) ?? 0) + ms);
  });
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(
    table(
      ['function (self time)', 'ms'],
      top(self).map(([n, ms]) => [n, fmtMs(ms)]),
    ),
  );
  console.log(
    table(
      ['function (total time)', 'ms'],
      top(total).map(([n, ms]) => [n, fmtMs(ms)]),
    ),
  );
}

/** WebGL calls by name: how often, how long in all, the longest; and each call over 20 ms, in order. */
interface GlCalls {
  byName: Record<string, { n: number; ms: number; max: number }>;
  slow: { name: string; ms: number; at: number }[];
  /** Texture bytes uploaded from canvases. */
  uploadedMiB: number;
}
type GlTimed = { glCalls: GlCalls };

/**
 * Run in the page before its scripts (`--gl-calls`): times every WebGL2 call on the main thread. A call
 * that waits for the GPU process (SwiftShader, a CPU rasteriser here) blocks the tab for its duration.
 */
function timeGlCalls(): void {
  const calls: GlCalls = { byName: {}, slow: [], uploadedMiB: 0 };
  (window as unknown as GlTimed).glCalls = calls;
  const proto = WebGL2RenderingContext.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d || typeof d.value !== 'function' || name === 'constructor') continue;
    const f = d.value as (...args: unknown[]) => unknown;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const t = performance.now();
      try {
        return f.apply(this, args);
      } finally {
        const ms = performance.now() - t;
        const s = (calls.byName[name] ??= { n: 0, ms: 0, max: 0 });
        s.n++;
        s.ms += ms;
        s.max = Math.max(s.max, ms);
        if (ms > 20) calls.slow.push({ name, ms, at: t });
        // A texture atlas uploaded whole from its canvas (Cytoscape does so whenever one of its textures is new).
        const source = args[5] as { width?: number; height?: number } | undefined;
        if (name === 'texImage2D' && source?.width && source.height)
          calls.uploadedMiB += (source.width * source.height * 4) / 2 ** 20;
      }
    };
  }
}

function printGlCalls(calls: GlCalls): void {
  const top = Object.entries(calls.byName)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 12);
  console.log(
    table(
      ['WebGL call', 'calls', 'ms', 'longest ms'],
      top.map(([name, s]) => [name, s.n, fmtMs(s.ms), fmtMs(s.max)]),
    ),
  );
  console.log(`textures uploaded: ${fmtMs(calls.uploadedMiB)} MiB`);
  if (calls.slow.length > 0)
    console.log(`calls over 20 ms: ${calls.slow.map((c) => `${c.name} ${fmtMs(c.ms)} at ${fmtMs(c.at)}`).join(', ')}`);
}

/** What `--trace` records: the main thread's tasks and what runs in them, GPU work included. */
const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink',
  'cc',
  'gpu',
  // ANGLE's own events: where the GPU process spends a frame (SwiftShader's readback waits for the raster).
  'gpu.angle',
  'v8.execute',
];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * The page's main-thread tasks over 200 ms in a Chromium trace (`--trace DIR`), each with the events that
 * spent its time (self time: an event's duration less its children's), longest first.
 */
function printTrace(file: string): void {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as TraceEvent[] | { traceEvents: TraceEvent[] };
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const threadsNamed = (name: string) =>
    new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === name).map((e) => `${e.pid}:${e.tid}`));
  const mains = threadsNamed('CrRendererMain');
  const gpus = threadsNamed('CrGpuMain');
  // Nesting on one thread: each span's self time and the top-level task it runs in.
  const selfTimes = (threads: Set<string>) => {
    const spans = events
      .filter((e) => e.ph === 'X' && e.dur !== undefined && threads.has(`${e.pid}:${e.tid}`))
      .sort((a, b) => a.pid - b.pid || a.tid - b.tid || a.ts - b.ts || b.dur! - a.dur!);
    const self = new Map<TraceEvent, number>();
    const taskOf = new Map<TraceEvent, TraceEvent>();
    const stack: TraceEvent[] = [];
    for (const e of spans) {
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.pid === e.pid && top.tid === e.tid && e.ts < top.ts + top.dur!) break;
        stack.pop();
      }
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent, self.get(parent)! - e.dur!);
      self.set(e, e.dur!);
      taskOf.set(e, parent ? taskOf.get(parent)! : e);
      stack.push(e);
    }
    return { spans, self, taskOf };
  };
  const top = (byName: Map<string, number>) =>
    [...byName]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([n, us]) => `${n} ${fmtMs(us / 1000)}`)
      .join(', ');
  const main = selfTimes(mains);
  const gpu = selfTimes(gpus);
  const long = main.spans.filter((e) => main.taskOf.get(e) === e && e.dur! > 200_000);
  for (const task of long) {
    const byName = new Map<string, number>();
    for (const [e, us] of main.self)
      if (main.taskOf.get(e) === task) byName.set(e.name, (byName.get(e.name) ?? 0) + us);
    // What the GPU process did meanwhile (a wait above is for this).
    const inGpu = new Map<string, number>();
    for (const [e, us] of gpu.self)
      if (e.ts >= task.ts && e.ts < task.ts + task.dur!) inGpu.set(e.name, (inGpu.get(e.name) ?? 0) + us);
    console.log(`  task of ${fmtMs(task.dur! / 1000)} ms: ${top(byName)}`);
    if (inGpu.size > 0) console.log(`    GPU process meanwhile: ${top(inGpu)}`);
  }
  console.log(`  ${long.length} task(s) over 200 ms; trace written to ${file} (open it in Perfetto or DevTools)`);
}

const emptyFilters = { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] };

/** The smallest breadth-first prefix whose shaped view has at least `target` elements. */
function viewOf(all: Map<string, ResourceNode>, edges: GraphEdge[], order: string[], target: number, root: string) {
  const pick = (k: number) => {
    const keys = new Set(order.slice(0, k));
    const nodes = [...keys].map((key) => all.get(key)!);
    const es = edges.filter((e) => keys.has(e.source) && keys.has(e.target));
    const shaped = shapeElements({
      graph: {
        nodes: new Map(nodes.map((n) => [n.key, n])),
        edges: new Map(es.map((e) => [e.id, e])),
        truncated: false,
      },
      root,
      filters: emptyFilters,
      grouping: true,
      expanded: [],
    });
    return { nodes, edges: es, elements: shaped.visibleNodes.length + shaped.visibleEdges.length };
  };
  let lo = 1;
  let hi = order.length;
  if (pick(hi).elements < target) throw new Error(`the estate has fewer than ${target} elements`);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pick(mid).elements >= target) hi = mid;
    else lo = mid + 1;
  }
  return pick(lo);
}

async function main(): Promise<number> {
  const values = benchFlags(
    {
      sizes: { type: 'string', default: '500,2000,10000' },
      renderers: { type: 'string', default: 'canvas,webgl' },
      layout: { type: 'string', default: 'fcose' },
      profile: { type: 'boolean', default: false },
      unfolded: { type: 'boolean', default: false },
      screenshots: { type: 'string' },
      'gl-calls': { type: 'boolean', default: false },
      trace: { type: 'string' },
      json: { type: 'string' },
    },
    USAGE,
  );
  if (typeof values === 'number') return values;
  const sizes = (values.sizes ?? '').split(',').map(Number);
  const renderers = (values.renderers ?? '').split(',');
  const layout = LAYOUTS.find((l) => l === values.layout);
  if (
    !sizes.every((n) => Number.isInteger(n) && n > 0) ||
    !renderers.every((r) => r === 'canvas' || r === 'webgl') ||
    !layout
  ) {
    console.error(USAGE);
    return 2;
  }

  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `configgraph explorer benchmark — Node ${process.version}, Chromium ${CHROMIUM}, ${new Date().toISOString().slice(0, 10)}, load ${load()}\n`,
  );
  // An estate large enough for the biggest view: its graph now, from the store the explorer reads.
  const env = generateEnvironment({
    seed: 'bench-explorer',
    accounts: 3,
    regions: ['us-east-1', 'eu-west-1'],
    vpcsPerRegion: 5,
    subnetsPerVpc: 6,
    instancesPerSubnet: 8,
    days: 2,
    changeRate: 0.02,
  });
  const parsed = parseFiles(deliveryFiles(env.items));
  const store = openSqliteStore(':memory:');
  await store.ingest({ source: 'bench', scope: 'explorer', items: parsed.items, snapshots: parsed.snapshots });
  const snapshot = await store.graphAt();
  await store.close();
  const all = new Map(snapshot.nodes.map((n) => [n.key, n]));
  const root = snapshot.nodes
    .filter((n) => n.resourceType === 'AWS::EC2::VPC')
    .sort((a, b) => a.key.localeCompare(b.key))[0]!.key;
  const order = bfsOrder(snapshot.nodes, snapshot.edges, root);
  console.log(
    `estate: ${snapshot.nodes.length} resources, ${snapshot.edges.length} relationships; views grow breadth-first from ${root}`,
  );

  const outDir = path.join(repoRoot, '.tmp/bench-explorer', String(process.pid));
  mkdirSync(outDir, { recursive: true });
  await build({
    root: path.join(here, 'explorer'),
    configFile: false,
    logLevel: 'warn',
    base: './',
    build: { outDir, emptyOutDir: true, assetsInlineLimit: 0, chunkSizeWarningLimit: 3000, minify: !values.profile },
  });
  const server = await preview({
    root: path.join(here, 'explorer'),
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server has no address');

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const results: (ViewResult & { target: number; renderer: string })[] = [];
  try {
    for (const target of sizes) {
      const view = viewOf(all, snapshot.edges, order, target, root);
      for (const renderer of renderers) {
        // A fresh tab per view: nothing left from the previous one competes for the main thread.
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        if (values['gl-calls']) await page.addInitScript(timeGlCalls);
        await page.goto(url);
        await page.waitForFunction(() => 'drawView' in window);
        const input: ViewInput = {
          nodes: view.nodes,
          edges: view.edges,
          root,
          webgl: renderer === 'webgl',
          layout,
          ...(values.unfolded ? { unfolded: true } : {}),
        };
        const cdp = values.profile ? await page.context().newCDPSession(page) : undefined;
        if (cdp) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
          await cdp.send('Profiler.start');
        }
        const shots = values.screenshots;
        const trace = values.trace && path.join(values.trace, `${target}-${renderer}.json`);
        if (trace) {
          mkdirSync(values.trace!, { recursive: true });
          await browser.startTracing(page, { path: trace, categories: TRACE_CATEGORIES });
        }
        const r = await page.evaluate(
          ([json, keep]) =>
            (window as unknown as { drawView(json: string, keep: boolean): Promise<ViewResult> }).drawView(json, keep),
          [JSON.stringify(input), shots !== undefined] as const,
        );
        if (trace) {
          await browser.stopTracing();
          printTrace(trace);
        }
        if (shots) {
          // The view as drawn, fitted, then zoomed in to where labels show (after they settle).
          mkdirSync(shots, { recursive: true });
          const name = `${target}-${renderer}${values.unfolded ? '-unfolded' : ''}`;
          type Viewed = { view: { fit(): void; zoomBy(f: number): void } };
          await page.evaluate(() => (window as unknown as Viewed).view.fit());
          await page.waitForTimeout(500);
          await page.screenshot({ path: path.join(shots, `${name}-fitted.png`) });
          await page.evaluate(() => (window as unknown as Viewed).view.zoomBy(6));
          await page.waitForTimeout(1500);
          await page.screenshot({ path: path.join(shots, `${name}-zoomed.png`) });
        }
        if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
        if (values['gl-calls']) printGlCalls(await page.evaluate(() => (window as unknown as GlTimed).glCalls));
        await page.close();
        results.push({ ...r, target, renderer });
        console.log(
          `${target} elements, ${renderer}: ready in ${fmtMs(r.readyMs)} ms, longest block ${fmtMs(r.longestTaskMs)} ms (load ${load()})`,
        );
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
  }

  const goal = (n: number) => (n <= 500 ? undefined : n <= 2000 ? 3000 : 10_000);
  console.log(
    '\n' +
      table(
        [
          'view',
          'renderer',
          'elements',
          'drawn',
          'connections',
          'folds',
          'first layout',
          'JSON ms',
          'shape ms',
          'add ms',
          'layout ms',
          'fit ms',
          'paint ms',
          'zoom ms',
          'ready ms',
          'hover ms',
          'open ms',
          'frame ms',
          'goal ms',
          'long tasks',
          'blocked ms',
          'longest ms',
          'longest in',
          'longest per phase',
          '> 200 ms',
        ],
        results.map((r) => [
          `${r.target}`,
          r.webgl ? 'webgl' : 'canvas',
          r.elements,
          r.drawnElements,
          r.drawnConnections,
          r.folds,
          r.packed ? 'boxes' : layout,
          fmtMs(r.jsonMs),
          fmtMs(r.shapeMs),
          fmtMs(r.addMs),
          fmtMs(r.layoutMs),
          fmtMs(r.fitMs),
          fmtMs(r.paintMs),
          fmtMs(r.zoomMs),
          fmtMs(r.readyMs),
          fmtMs(r.hoverMs),
          r.openedCount ? `${fmtMs(r.openMs)} (${r.openedCount})` : '-',
          fmtMs(r.frameMs),
          goal(r.target) ?? '-',
          r.longTasks,
          fmtMs(r.blockedMs),
          fmtMs(r.longestTaskMs),
          r.longestPhase || '-',
          Object.entries(r.longestByPhase)
            .map(([phase, ms]) => `${phase} ${fmtMs(ms)}`)
            .join(', ') || '-',
          r.tasksOver200,
        ]),
      ),
  );
  if (values.json) {
    writeFileSync(
      values.json,
      JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2),
    );
    console.log(`\nresults written to ${values.json}`);
  }
  return 0;
}

process.exitCode = await main();
