// The steps every scenario runs: lay the estate out, let the recorder discover it, run the schedule
// and hand back the items (generateEnvironment, the real-shaped account and the demo add their own
// resources and history in between).
import { World } from './world.ts';
import {
  accountIds,
  buildAccountIam,
  buildBuckets,
  buildVpcSite,
  discoveryTime,
  ENVS,
  peerVpcs,
  type Layout,
} from './environment.ts';
import { complianceItems } from './compliance.ts';
import type { ApiConfigItem, GeneratedEnvironment, GeneratorOptions } from './types.ts';

const DAY = 86_400_000;

export type ResolvedOptions = GeneratedEnvironment['options'];

export function resolveOptions(
  o: GeneratorOptions = {},
): Omit<ResolvedOptions, 'accounts'> & { accounts: string[] | number } {
  return {
    seed: o.seed ?? 'configgraph',
    accounts: o.accounts ?? 2,
    regions: o.regions ?? ['us-east-1', 'eu-west-1'],
    vpcsPerRegion: o.vpcsPerRegion ?? 2,
    subnetsPerVpc: o.subnetsPerVpc ?? 4,
    instancesPerSubnet: o.instancesPerSubnet ?? 3,
    days: o.days ?? 7,
    changeRate: o.changeRate ?? 0.05,
    start: o.start ?? '2026-03-02T00:00:00.000Z',
    services: o.services ?? true,
    compliance: o.compliance ?? true,
  };
}

/** Lay the estate out without capturing anything (scenarios add resources before discovery). */
export function layoutEnvironment(options: GeneratorOptions = {}): { layout: Layout; options: ResolvedOptions } {
  const r = resolveOptions(options);
  const start = Date.parse(r.start);
  if (Number.isNaN(start)) throw new Error(`generator: start "${r.start}" is not an ISO time`);
  const world = new World(r.seed, start, start + r.days * DAY);
  const accounts = accountIds(world, r.accounts);
  const layout: Layout = { world, accounts: [], nextHost: new Map() };
  let octet = 0;
  for (const accountId of accounts) {
    const site = {
      accountId,
      ...buildAccountIam(world, accountId),
      regions: [] as Layout['accounts'][number]['regions'],
    };
    layout.accounts.push(site);
    for (const region of r.regions) {
      const place = { accountId, region };
      const vpcs = [];
      for (let v = 0; v < r.vpcsPerRegion; v++)
        vpcs.push(
          buildVpcSite(
            layout,
            place,
            ENVS[v % ENVS.length]! + (v >= ENVS.length ? String(Math.floor(v / ENVS.length)) : ''),
            octet++ % 256,
            r.subnetsPerVpc,
            r.instancesPerSubnet,
            r.services,
          ),
        );
      peerVpcs(world, vpcs);
      site.regions.push({ region, vpcs, buckets: buildBuckets(world, place, 2) });
    }
  }
  return { layout, options: { ...r, accounts } };
}

/** The recorder's first sweep: every resource created before `start` gets a ResourceDiscovered CI. */
export function discoverAll(layout: Layout): void {
  const { world } = layout;
  for (const r of world.resources())
    if (r.createdAt <= world.start && r.lastCapture === 0) world.capture(r, discoveryTime(world));
}

/** Run the schedule and hand back the items in capture-time order. */
export function finishEnvironment(layout: Layout, options: ResolvedOptions): GeneratedEnvironment {
  const { world } = layout;
  world.runSchedule();
  const captured = sortByTime(world.items);
  // Compliance items come after the captures they evaluate, so appending them keeps ties in capture order.
  const items = options.compliance ? sortByTime([...captured, ...complianceItems(captured, world.end)]) : captured;
  const ids = new Set(items.map((i) => `${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`));
  return {
    items,
    options,
    start: new Date(world.start).toISOString(),
    end: new Date(world.end).toISOString(),
    resourceCount: ids.size,
  };
}

// Stable sort: equal capture times keep the order they were captured in.
function sortByTime(items: readonly ApiConfigItem[]): ApiConfigItem[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) =>
      a.item.configurationItemCaptureTime < b.item.configurationItemCaptureTime
        ? -1
        : a.item.configurationItemCaptureTime > b.item.configurationItemCaptureTime
          ? 1
          : a.i - b.i,
    )
    .map((x) => x.item);
}
