// What each run of a streamed `configgraph import` costs, in order: does a run cost more as the store grows?
// Imports delivery files into a new SQLite store in this process, as `configgraph import DIR --items-per-run N`
// does (server/import.ts), and prints per run its items, the CPU and wall time of its ingest (plan, writes and
// commit, one transaction), and the time spent between runs (reading, parsing, collecting the heap). Issue 13's
// xlarge import is 43 runs; a large estate in runs of a few thousand items has the same shape at a fifth of
// the cost (docs/benchmarks.md, "Ingest at xlarge: cost per run").
//
//   tsx bench/import-runs.ts DIR [--items-per-run 5000] [--db FILE] [--json FILE] [--writer-thread|--in-process]
// With the writer thread it also prints where the two threads wait for each other: the main thread's plan
// (the writer thread idle until the run's versions are handed over in it) and the writes after the plan.
//   (generate DIR first: tsx bench/generate-files.ts DIR --size large)
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants as perf } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { keyOf } from '../graph/identity.ts';
import type { RunRecord } from '../graph/model.ts';
import type { IngestAhead, RunInput } from '../graph/store.ts';
import { openSqliteStore } from '../graph/stores/sqlite/index.ts';
import { writerThreadOn } from '../server/cli/common.ts';
import { DEFAULT_ITEMS_PER_RUN, importPaths } from '../server/import.ts';
import { table } from './lib/measure.ts';

const USAGE =
  'usage: tsx bench/import-runs.ts DIR [--items-per-run N|default] [--db FILE] [--json FILE] [--writer-thread|--in-process]';

interface RunCost {
  run: number;
  items: number;
  reexamined: number;
  /** Resources this run brought that an earlier run brought too: their stored versions are read, their edges rewritten. */
  again: number;
  versions: number;
  ingestMs: number;
  ingestCpuMs: number;
  /** The main thread's part of the ingest: the plan and the hand-over (in process: the whole ingest). */
  planMs: number;
  planCpuMs: number;
  /** Since the run before ended: reading and parsing files, collecting the heap. */
  betweenMs: number;
  betweenCpuMs: number;
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
/** The main thread's CPU time (ms), the writer thread's not included. */
const threadCpuMs = () => {
  const c = process.threadCpuUsage();
  return (c.user + c.system) / 1000;
};

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        'items-per-run': { type: 'string', default: '5000' },
        db: { type: 'string' },
        json: { type: 'string' },
        // Experiments: SQLite's automatic checkpoint of the write-ahead log (pages; 0: only when closing).
        'wal-autocheckpoint': { type: 'string' },
        // Runs written on the store's writer thread, or not: as `configgraph import` when neither is given.
        'writer-thread': { type: 'boolean' },
        'in-process': { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const dir = parsed.positionals[0];
  // `default`: as `configgraph import` without --items-per-run (runs of DEFAULT_ITEMS_PER_RUN, re-examination unbounded).
  const asCli = parsed.values['items-per-run'] === 'default';
  const perRun = asCli ? DEFAULT_ITEMS_PER_RUN : Number(parsed.values['items-per-run']);
  if (!dir || !(Number.isInteger(perRun) && perRun > 0)) {
    console.error(USAGE);
    return 2;
  }
  const work = parsed.values.db ? undefined : mkdtempSync(join(tmpdir(), 'configgraph-runs-'));
  const db = parsed.values.db ?? join(work!, 'store.sqlite');
  const writerThread = parsed.values['in-process']
    ? false
    : (parsed.values['writer-thread'] ?? writerThreadOn(process.env));
  const store = openSqliteStore(db, { writerThread });
  const autocheckpoint = parsed.values['wal-autocheckpoint'];
  if (autocheckpoint !== undefined)
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma(
      `wal_autocheckpoint = ${Number(autocheckpoint)}`,
    );
  const costs: RunCost[] = [];
  let lastWall = performance.now();
  let lastCpu = cpuMs();
  const ingest = store.ingest.bind(store);
  const brought = new Set<string>();
  store.ingest = async (run: RunInput, ahead?: IngestAhead): Promise<RunRecord> => {
    const [w0, c0, t0] = [performance.now(), cpuMs(), threadCpuMs()];
    // Planned and handed over before `ingest` returns its promise (on the writer thread, written after).
    const stored = ingest(run, ahead);
    const [wPlanned, tPlanned] = [performance.now(), threadCpuMs()];
    const record = await stored;
    const [w1, c1] = [performance.now(), cpuMs()];
    const keys = new Set(run.items.map(keyOf));
    let again = 0;
    for (const k of keys) if (brought.has(k)) again++;
    for (const k of keys) brought.add(k);
    costs.push({
      run: costs.length + 1,
      items: run.items.length,
      reexamined: record.reexamined?.resources ?? 0,
      again,
      versions: record.counts.versions,
      ingestMs: w1 - w0,
      ingestCpuMs: c1 - c0,
      planMs: wPlanned - w0,
      planCpuMs: tPlanned - t0,
      betweenMs: w0 - lastWall,
      betweenCpuMs: c0 - lastCpu,
    });
    [lastWall, lastCpu] = [w1, c1];
    return record;
  };
  // Garbage collection in this process, by kind: a streamed import also collects the heap fully between runs.
  const gcMs = { major: 0, minor: 0, other: 0 };
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const which =
        kind === perf.NODE_PERFORMANCE_GC_MAJOR ? 'major' : kind === perf.NODE_PERFORMANCE_GC_MINOR ? 'minor' : 'other';
      gcMs[which] += e.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const load0 = loadavg()[0]!;
  const [t0, cpu0, main0] = [performance.now(), cpuMs(), threadCpuMs()];
  const summary = await importPaths(store, [dir], asCli ? {} : { itemsPerRun: perRun });
  const [ms, cpu] = [performance.now() - t0, cpuMs() - cpu0];
  const mainCpu = threadCpuMs() - main0;
  const writerCpu = store.writerThreadCpuMs;
  gc.disconnect();
  await store.close();
  const bytes = statSync(db).size;
  if (work) rmSync(work, { recursive: true, force: true });

  const f = (n: number) => n.toFixed(0);
  console.log(
    table(
      [
        'run',
        'items',
        'again',
        're-examined',
        'versions',
        'plan ms',
        'plan CPU ms',
        'ingest ms',
        'ingest CPU ms',
        'CPU µs/item',
        'between ms',
        'between CPU ms',
      ],
      costs.map((c) => [
        c.run,
        c.items,
        c.again,
        c.reexamined,
        c.versions,
        f(c.planMs),
        f(c.planCpuMs),
        f(c.ingestMs),
        f(c.ingestCpuMs),
        c.items ? f((1000 * c.ingestCpuMs) / c.items) : '',
        f(c.betweenMs),
        f(c.betweenCpuMs),
      ]),
    ),
  );
  const sum = (pick: (c: RunCost) => number) => costs.reduce((n, c) => n + pick(c), 0);
  const withItems = costs.filter((c) => c.items > 0);
  const half = Math.floor(withItems.length / 2);
  const perItem = (list: RunCost[]) =>
    (1000 * list.reduce((n, c) => n + c.ingestCpuMs, 0)) /
    Math.max(
      1,
      list.reduce((n, c) => n + c.items, 0),
    );
  console.log(
    `\n${writerThread ? 'Writer thread' : 'In process'}: ${summary.items} items in ${costs.length} runs of at most ${perRun} (${summary.files} files): ${(ms / 1000).toFixed(1)} s wall, ` +
      `${(cpu / 1000).toFixed(1)} s CPU (main thread ${(mainCpu / 1000).toFixed(1)} s, writer thread ${(writerCpu / 1000).toFixed(1)} s); ingest ${(sum((c) => c.ingestCpuMs) / 1000).toFixed(1)} s CPU, between runs ` +
      `${(sum((c) => c.betweenCpuMs) / 1000).toFixed(1)} s CPU; re-examination runs (no items) ` +
      `${(sum((c) => (c.items ? 0 : c.ingestCpuMs)) / 1000).toFixed(1)} s CPU; ${sum((c) => c.again)} resources brought again by a later run. Ingest CPU per item: first half of the runs with items ` +
      `${perItem(withItems.slice(0, half)).toFixed(0)} µs, second half ${perItem(withItems.slice(half)).toFixed(0)} µs. ` +
      `Garbage collection ${(gcMs.major / 1000).toFixed(1)} s major, ${(gcMs.minor / 1000).toFixed(1)} s minor, ${(gcMs.other / 1000).toFixed(1)} s other; ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB. Store ${(bytes / 1048576).toFixed(0)} MiB. Load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
  );
  // Where the two threads wait for each other: the writer thread has nothing to write while the main thread
  // plans a run's versions (the plan reads what the run before committed; the thread writes the versions while
  // the rest is planned), and the main thread, once it has parsed and prepared the next run, waits for the
  // commit (its wall beyond its CPU).
  if (writerThread)
    console.log(
      `Main thread: plans ${(sum((c) => c.planMs) / 1000).toFixed(1)} s wall (${(sum((c) => c.planCpuMs) / 1000).toFixed(1)} s CPU), ` +
        `the writer thread idle until each run's versions are handed over; runs written and committed ${(sum((c) => c.ingestMs - c.planMs) / 1000).toFixed(1)} s wall after their plan; ` +
        `main thread off CPU ${((ms - mainCpu) / 1000).toFixed(1)} s of the ${(ms / 1000).toFixed(1)} s wall.`,
    );
  if (parsed.values.json)
    writeFileSync(
      parsed.values.json,
      JSON.stringify(
        {
          dir,
          itemsPerRun: perRun,
          runs: summary.runs.length,
          counts: {
            resources: summary.resources,
            versions: summary.versions,
            edges: summary.edges,
            duplicates: summary.duplicates,
            inferredDeletions: summary.inferredDeletions,
          },
          ms,
          cpuMs: cpu,
          mainCpuMs: mainCpu,
          writerCpuMs: writerCpu,
          gcMs,
          costs,
          loadAverage: [load0, loadavg()[0]],
        },
        null,
        2,
      ),
    );
  return 0;
}

process.exitCode = await main();
