// Where a Neo4j ingest spends its time, statement by statement (docs/benchmarks.md, "Neo4j store"):
// the server's own time for each kind of statement (from the result summary, so pipelining does not blur
// it), the commit, and the Node side (the rest of the wall clock), next to the floor's two statements.
// Starts the local Neo4j (NEO4J_LOCAL_HEAP / NEO4J_LOCAL_PAGECACHE), warms it with the small estate, then
// imports the chosen estate twice on an emptied database and reports the second import.
//
//   tsx bench/neo4j-ingest-profile.ts [--size small|medium|large] [--items-per-run N]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import neo4j, { ManagedTransaction, Transaction } from 'neo4j-driver';
import { openNeo4jStore } from '../graph/stores/neo4j/index.ts';
import { storeImport } from '../server/import.ts';
import { startLocalNeo4j } from '../test/neo4j-local/start.ts';
import { isSizeName } from '../world/generator/index.ts';
import { benchDataset } from './lib/dataset.ts';
import { fmtMs, table } from './lib/measure.ts';
import { neo4jCpuMs, neo4jProcess } from './lib/neo4j-cpu.ts';

interface Tally {
  /** When the first of them was sent, ms after the import started. */
  firstAt: number;
  count: number;
  serverMs: number;
  rows: number;
}
const tallies = new Map<string, Tally>();
let commitMs = 0;
let commits = 0;
let startedAt = 0;
let lastCommitAt = 0;

/**
 * One run's wall time split where it goes: from its first statement (the lock) to its first write is the plan
 * (its reads' round trips, and Node between them); then the writes until the commit is asked; then the commit.
 * The gap is what passes between a run's commit and the next run's first statement (Node, outside any transaction).
 */
interface RunPhases {
  start: number;
  nodeCpuAtStart: number;
  reads: number;
  readMs: number;
  firstWrite?: number;
  nodeCpuAtFirstWrite?: number;
  commitAt?: number;
  committed?: number;
}
const phases: RunPhases[] = [];
const nodeCpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const READ = /\bRETURN\b/;

/** A statement's kind: its text with whitespace folded and without its `CYPHER` options, cut short. */
const kindOf = (cypher: string) =>
  cypher
    .replace(/\s+/g, ' ')
    .replace(/^CYPHER [^ ]+ /, '')
    .slice(0, 130);

interface Observer {
  onKeys?: (k: string[]) => void;
  onNext?: (r: unknown) => void;
  onCompleted?: (s: unknown) => void;
  onError?: (e: Error) => void;
}
type Summary = { resultAvailableAfter: unknown; resultConsumedAfter: unknown };

// Every statement of a managed transaction goes through ManagedTransaction.run; its summary carries the
// server's time (available + consumed), whoever consumes the result.
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
const run = ManagedTransaction.prototype.run as (this: ManagedTransaction, ...a: unknown[]) => unknown;
ManagedTransaction.prototype.run = function (this: ManagedTransaction, ...args: unknown[]) {
  const result = run.apply(this, args) as { _subscribe: (o: Observer, ...rest: unknown[]) => unknown };
  const subscribe = result._subscribe.bind(result);
  const params = args[1] as { rows?: unknown[] } | undefined;
  const kind = kindOf(args[0] as string);
  const sentAt = performance.now();
  const isRead = READ.test(args[0] as string);
  let current = phases.at(-1);
  if (!current || current.committed !== undefined) {
    current = { start: sentAt, nodeCpuAtStart: nodeCpuMs(), reads: 0, readMs: 0 };
    phases.push(current);
  } else if (!isRead && current.firstWrite === undefined && current.reads > 0) {
    current.firstWrite = sentAt;
    current.nodeCpuAtFirstWrite = nodeCpuMs();
  }
  const phase = current;
  if (!tallies.has(kind)) tallies.set(kind, { firstAt: performance.now() - startedAt, count: 0, serverMs: 0, rows: 0 });
  result._subscribe = (o: Observer, ...rest: unknown[]) =>
    subscribe(
      {
        onKeys: o.onKeys?.bind(o),
        onNext: o.onNext?.bind(o),
        onError: o.onError?.bind(o),
        onCompleted: (s: unknown) => {
          const summary = s as Summary;
          const t = tallies.get(kind)!;
          t.count++;
          t.serverMs += Number(summary.resultAvailableAfter) + Number(summary.resultConsumedAfter);
          t.rows += Array.isArray(params?.rows) ? params.rows.length : 0;
          if (isRead) {
            phase.reads++;
            phase.readMs += performance.now() - sentAt;
          }
          tallies.set(kind, t);
          o.onCompleted?.(s);
        },
      },
      ...rest,
    );
  return result as never;
};
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
const commit = Transaction.prototype.commit;
Transaction.prototype.commit = async function (this: Transaction) {
  const t0 = performance.now();
  lastCommitAt = t0 - startedAt;
  const phase = phases.at(-1);
  if (phase) phase.commitAt = t0;
  try {
    return await commit.call(this);
  } finally {
    commitMs += performance.now() - t0;
    if (phase) phase.committed = performance.now();
    commits++;
  }
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'medium' },
      'items-per-run': { type: 'string' },
      // An experiment: indexes dropped (by name, comma-separated) before the measured imports.
      without: { type: 'string' },
      // A Java Flight Recording of the measured import (read it with `jfr print --events jdk.ExecutionSample`).
      jfr: { type: 'string' },
    },
  });
  const size = values.size ?? 'medium';
  if (!isSizeName(size)) throw new Error('usage: tsx bench/neo4j-ingest-profile.ts [--size small|medium|large]');
  const itemsPerRun = values['items-per-run'] ? Number(values['items-per-run']) : undefined;
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
  console.log(`Neo4j ingest profile — size ${size}, load average ${load()} at start\n`);
  const data = benchDataset(size);
  const local = await startLocalNeo4j();
  const driver = neo4j.driver(local.uri);
  const clear = async () => {
    for (;;) {
      const r = await driver.executeQuery('MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS c');
      if (Number(r.records[0]?.get('c')) === 0) return;
    }
  };
  try {
    const store = await openNeo4jStore({ uri: local.uri });
    for (const name of values.without?.split(',') ?? []) {
      const c = await driver.executeQuery('SHOW CONSTRAINTS YIELD name WHERE name = $name RETURN name', { name });
      await driver.executeQuery(`${c.records.length ? 'DROP CONSTRAINT' : 'DROP INDEX'} \`${name}\``);
      console.log(`dropped ${name} (an experiment)`);
    }
    const warm = benchDataset('small');
    for (let i = 0; i < 2; i++) {
      await store.ingest({ source: 'bench', scope: 'warm-up', items: warm.items, snapshots: warm.snapshots });
      await clear();
    }
    const input = { source: 'bench', scope: size, items: data.items, snapshots: data.snapshots };
    let wall = 0;
    let javaCpu = 0;
    let nodeCpu = 0;
    for (let i = 0; i < 2; i++) {
      if (i > 0) await clear();
      tallies.clear();
      phases.length = 0;
      commitMs = 0;
      commits = 0;
      const t0 = (startedAt = performance.now());
      const jfr = i > 0 && values.jfr ? neo4jProcess()?.pid : undefined;
      if (jfr) execFileSync('jcmd', [jfr, 'JFR.start', 'name=ingest', 'settings=profile'], { stdio: 'ignore' });
      const [j0, n0] = [neo4jCpuMs(), process.cpuUsage()];
      await storeImport(store, input, itemsPerRun);
      if (jfr) execFileSync('jcmd', [jfr, 'JFR.stop', 'name=ingest', `filename=${values.jfr}`], { stdio: 'ignore' });
      wall = performance.now() - t0;
      javaCpu = neo4jCpuMs() - j0;
      const n = process.cpuUsage(n0);
      nodeCpu = (n.user + n.system) / 1000;
    }
    const all = [...tallies].sort((a, b) => a[1].firstAt - b[1].firstAt);
    const server = all.reduce((n, [, t]) => n + t.serverMs, 0);
    console.log(
      table(
        ['statement (in the order first sent)', 'first at ms', 'runs', 'rows', 'server ms'],
        all.map(([k, t]) => [k, fmtMs(t.firstAt), t.count, t.rows, fmtMs(t.serverMs)]),
      ),
    );
    console.log(
      `\nwall ${fmtMs(wall)} ms: statements (server) ${fmtMs(server)} ms, commits ${fmtMs(commitMs)} ms (${commits}, the last begun at ${fmtMs(lastCommitAt)} ms), ` +
        `the rest (Node, Bolt, waiting) ${fmtMs(wall - server - commitMs)} ms; ` +
        `CPU: Neo4j ${fmtMs(javaCpu)} ms, Node ${fmtMs(nodeCpu)} ms; load average ${load()} at end`,
    );
    const done = phases.filter((p) => p.firstWrite !== undefined && p.committed !== undefined);
    const sum = (f: (p: RunPhases, i: number) => number) => done.reduce((n, p, i) => n + f(p, i), 0);
    const plan = sum((p) => p.firstWrite! - p.start);
    const reads = sum((p) => p.readMs);
    const planCpu = sum((p) => p.nodeCpuAtFirstWrite! - p.nodeCpuAtStart);
    const writes = sum((p) => p.commitAt! - p.firstWrite!);
    const commitTotal = sum((p) => p.committed! - p.commitAt!);
    const gaps = sum((p, i) => (i === 0 ? p.start - startedAt : p.start - done[i - 1]!.committed!));
    const tail = done.length ? wall - (done.at(-1)!.committed! - startedAt) : 0;
    console.log(
      `\nper run (${done.length} runs, sums): plan ${fmtMs(plan)} ms (its ${sum((p) => p.reads)} reads' round trips ${fmtMs(reads)} ms, ` +
        `Node CPU in it ${fmtMs(planCpu)} ms), writes until the commit ${fmtMs(writes)} ms, commits ${fmtMs(commitTotal)} ms, ` +
        `before and between runs ${fmtMs(gaps)} ms, after the last ${fmtMs(tail)} ms`,
    );
    await store.close();
  } finally {
    await driver.close();
    await local.stop();
  }
  return 0;
}

process.exitCode = await main();
