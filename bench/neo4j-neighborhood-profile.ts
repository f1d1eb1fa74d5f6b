// Where a Neo4j neighbourhood spends its time (docs/benchmarks.md, "Neo4j store"): imports the estate into
// the local Neo4j, then answers the depth-2 (and 1, 3) neighbourhoods of the bench's instances several
// rounds, printing p50 / p95 of the whole call, and the PROFILE of the one statement for the slowest start:
// each operator's rows, db hits and time.
//
//   tsx bench/neo4j-neighborhood-profile.ts [--size small|medium|large] [--items-per-run N] [--rounds N]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import neo4j, { ManagedTransaction, type ProfiledPlan } from 'neo4j-driver';
import { openNeo4jStore } from '../graph/stores/neo4j/index.ts';
import { subgraphStatement } from '../graph/stores/neo4j/neighborhood.ts';
import { nodeStateParams } from '../graph/stores/neo4j/node-state.ts';
import { HUB_FANOUT } from '../graph/traverse.ts';
import { storeImport } from '../server/import.ts';
import { startLocalNeo4j } from '../test/neo4j-local/start.ts';
import { isSizeName } from '../world/generator/index.ts';
import { benchDataset } from './lib/dataset.ts';
import { fmtMs, latencies, table } from './lib/measure.ts';
import { every } from './lib/queries.ts';

/** Statements sent and the server's time for them, per kind (the first words of the statement). */
const statements = new Map<string, { count: number; serverMs: number }>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
const run = ManagedTransaction.prototype.run as (this: ManagedTransaction, ...a: unknown[]) => unknown;
ManagedTransaction.prototype.run = function (this: ManagedTransaction, ...args: unknown[]) {
  const result = run.apply(this, args) as Promise<{
    summary: { resultAvailableAfter: unknown; resultConsumedAfter: unknown };
  }>;
  const kind = (args[0] as string).replace(/\s+/g, ' ').trim().slice(0, 60);
  void result.then(
    (r) => {
      const t = statements.get(kind) ?? { count: 0, serverMs: 0 };
      t.count++;
      t.serverMs += Number(r.summary.resultAvailableAfter) + Number(r.summary.resultConsumedAfter);
      statements.set(kind, t);
    },
    () => {},
  );
  return result as never;
};

function printPlan(p: ProfiledPlan, depth = 0, out: string[][] = []): string[][] {
  const time = Number((p as unknown as { time?: number }).time ?? 0) / 1e6;
  out.push([`${'  '.repeat(depth)}${p.operatorType}`, String(p.rows), String(p.dbHits), time.toFixed(1)]);
  for (const c of p.children) printPlan(c, depth + 1, out);
  return out;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'medium' },
      'items-per-run': { type: 'string' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const size = values.size ?? 'medium';
  if (!isSizeName(size)) throw new Error('usage: tsx bench/neo4j-neighborhood-profile.ts [--size medium|large]');
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
  const data = benchDataset(size);
  const local = await startLocalNeo4j();
  const driver = neo4j.driver(local.uri);
  try {
    const store = await openNeo4jStore({ uri: local.uri });
    const t0 = performance.now();
    await storeImport(
      store,
      { source: 'bench', scope: size, items: data.items, snapshots: data.snapshots },
      values['items-per-run'] ? Number(values['items-per-run']) : undefined,
    );
    console.log(`imported ${size} in ${fmtMs(performance.now() - t0)} ms; load average ${load()}\n`);
    const latest = new Map<string, (typeof data.env.items)[number]>();
    for (const i of data.env.items) latest.set(`${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`, i);
    const instances = every(
      [...latest.values()].filter(
        (i) => i.resourceType === 'AWS::EC2::Instance' && i.configurationItemStatus !== 'ResourceDeleted',
      ),
      20,
    );
    const slowest = new Map<number, { ms: number; key: string }>();
    const rowsOut: (string | number)[][] = [];
    for (const depth of [1, 2, 3]) {
      const inputs = Array.from({ length: Number(values.rounds) }, () => instances).flat();
      statements.clear();
      const l = await latencies(inputs, async (i) => {
        const s = performance.now();
        await store.neighborhood(i.resourceId, { depth });
        const ms = performance.now() - s;
        const key = `${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`;
        if (ms > (slowest.get(depth)?.ms ?? 0)) slowest.set(depth, { ms, key });
      });
      const per = [...statements].map(
        ([k, t]) => `${(t.count / l.runs).toFixed(2)}× ${k} (${fmtMs(t.serverMs / t.count)} ms)`,
      );
      rowsOut.push([`depth ${depth}`, l.runs, fmtMs(l.p50), fmtMs(l.p95), fmtMs(l.max), per.join('; ')]);
    }
    console.log(
      table(
        ['neighbourhood of an instance', 'runs', 'p50 ms', 'p95 ms', 'max ms', 'statements per call (server ms each)'],
        rowsOut,
      ),
    );
    const worst = slowest.get(2)!;
    const res = await driver.executeQuery(`PROFILE ${subgraphStatement(2)}`, {
      ref: worst.key,
      key: worst.key,
      types: null,
      hub: HUB_FANOUT,
      ...nodeStateParams(undefined),
    });
    const plan = res.summary.profile;
    if (plan) {
      console.log(`\nPROFILE, depth 2 from ${worst.key} (${fmtMs(worst.ms)} ms as the slowest call):`);
      console.log(table(['operator', 'rows', 'db hits', 'ms'], printPlan(plan)));
    }
    console.log(`\nload average ${load()} at end`);
    await store.close();
  } finally {
    await driver.close();
    await local.stop();
  }
  return 0;
}

process.exitCode = await main();
