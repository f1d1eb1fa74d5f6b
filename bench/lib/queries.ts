// The query workload, written against the GraphStore port so every store runs the same one:
// neighbourhoods at depth 1–3 (instances, and a VPC hub), search, resource-as-of, history,
// graphAt, diff and path. Inputs are picked deterministically from the generated items.
import type { GraphStore } from '../../graph/store.ts';
import type { GeneratedEnvironment } from '../../world/generator/index.ts';
import { latencies, type Latency } from './measure.ts';

export interface QueryFigure {
  name: string;
  latency: Latency;
  /** Average result size (nodes, hits, versions…), to show what was measured. */
  avgResult: number;
}

/** `count` elements spread evenly over `list` (all of it when shorter). */
export function every<T>(list: T[], count: number): T[] {
  if (list.length <= count) return list;
  const step = list.length / count;
  return Array.from({ length: count }, (_, k) => list[Math.floor(k * step)]!);
}

/** The whole-estate reads issue 13 holds to a goal, by the names the figures carry. */
export const WHOLE_GRAPH_AT = 'graphAt mid-period, whole estate';
export const WHOLE_DIFF = 'diff day 1 → end, whole estate';

export async function measureQueries(
  store: GraphStore,
  env: GeneratedEnvironment,
  opts: { samples?: number; only?: RegExp } = {},
): Promise<QueryFigure[]> {
  const n = opts.samples ?? 20;
  const latest = new Map<string, (typeof env.items)[number]>();
  for (const i of env.items) latest.set(`${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`, i);
  const alive = [...latest.values()].filter((i) => i.configurationItemStatus !== 'ResourceDeleted');
  const instances = every(
    alive.filter((i) => i.resourceType === 'AWS::EC2::Instance'),
    n,
  );
  const vpcs = every(
    alive.filter((i) => i.resourceType === 'AWS::EC2::VPC'),
    Math.min(n, 5),
  );
  const start = Date.parse(env.start);
  const end = Date.parse(env.end);
  const mid = new Date((start + end) / 2).toISOString();
  const dayAfterStart = new Date(start + 86_400_000).toISOString();
  const searchTerms = instances.flatMap((i) => {
    const c = JSON.parse(i.configuration) as { privateIpAddress: string };
    return [i.resourceId, c.privateIpAddress, i.tags.Name ?? i.resourceId];
  });

  const out: QueryFigure[] = [];
  const run = async <I>(name: string, inputs: I[], fn: (input: I) => Promise<number>) => {
    if (opts.only && !opts.only.test(name)) return;
    let total = 0;
    const latency = await latencies(inputs, async (input) => {
      total += await fn(input);
    });
    out.push({ name, latency, avgResult: inputs.length ? Math.round(total / (inputs.length + 1)) : 0 });
  };

  for (const depth of [1, 2, 3])
    await run(
      `neighborhood instance depth ${depth}`,
      instances,
      async (i) => (await store.neighborhood(i.resourceId, { depth })).nodes.length,
    );
  await run(
    'neighborhood instance depth 2, at mid-period',
    instances,
    async (i) => (await store.neighborhood(i.resourceId, { depth: 2, at: mid })).nodes.length,
  );
  await run(
    'neighborhood VPC depth 1 (hub, capped)',
    vpcs,
    async (v) => (await store.neighborhood(v.resourceId, { depth: 1 })).nodes.length,
  );
  await run(
    'search (id, private IP, Name tag)',
    searchTerms,
    async (q) => (await store.search(q, { limit: 20 })).length,
  );
  await run('resource at mid-period', instances, async (i) =>
    (await store.resource(i.resourceId, { at: mid })).existsAt ? 1 : 0,
  );
  await run('history', instances, async (i) => (await store.history(i.resourceId)).versions.length);
  await run('path instance → its VPC', instances, async (i) => {
    const vpcId = (JSON.parse(i.configuration) as { vpcId: string }).vpcId;
    return (await store.path(i.resourceId, vpcId, { maxDepth: 3 })).nodes.length;
  });
  const scope = { accountId: env.options.accounts[0]!, awsRegion: env.options.regions[0]! };
  await run(
    'graphAt mid-period, one account+region',
    [mid, mid, mid],
    async (t) => (await store.graphAt(t, scope)).nodes.length,
  );
  // Three runs each after a warm-up, read as the best (bench/whole-graph.ts reads graphAt the same way).
  await run(WHOLE_GRAPH_AT, [mid, mid, mid], async (t) => (await store.graphAt(t)).nodes.length);
  await run(WHOLE_DIFF, [dayAfterStart, dayAfterStart, dayAfterStart], async (t) => {
    const d = await store.diff(t, env.end);
    return d.resources.added.length + d.resources.removed.length + d.resources.changed.length;
  });
  return out;
}
