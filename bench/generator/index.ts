// The synthetic AWS Config environment generator: `generateEnvironment(options)` returns raw
// configuration items with history, in the API spelling; `./s3-delivery.ts` turns them into the
// gzipped ConfigSnapshot / ConfigHistory files Config delivers to S3.
import { World } from './world.ts';
import {
  accountIds,
  buildAccountIam,
  buildBuckets,
  buildVpcSite,
  discoveryTime,
  peerVpcs,
  type Layout,
} from './environment.ts';
import { ENVS } from './environment.ts';
import { addRandomHistory } from './history.ts';
import { complianceItems } from './compliance.ts';
import type { ApiConfigItem, GeneratedEnvironment, GeneratorOptions } from './types.ts';

export type {
  ApiConfigItem,
  ApiRelationship,
  S3ConfigItem,
  S3Relationship,
  GeneratedEnvironment,
  GeneratorOptions,
} from './types.ts';
export { toS3Item, fromApiItems } from './wire.ts';
export { deliveryFiles, writeDeliveryFiles, type DeliveryFile } from './s3-delivery.ts';
export { realShapedEnvironment, REAL_SHAPED } from './real-shaped.ts';

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

export function generateEnvironment(options: GeneratorOptions = {}): GeneratedEnvironment {
  const { layout, options: resolved } = layoutEnvironment(options);
  discoverAll(layout);
  addRandomHistory(layout, resolved.changeRate);
  return finishEnvironment(layout, resolved);
}

/** Presets: small ≈ the demo's scale, medium ≈ 13k CIs, large ≈ 88k CIs, compliance items included (see docs/benchmarks.md). */
export const SIZES: Record<'small' | 'medium' | 'large', GeneratorOptions> = {
  small: {
    accounts: 2,
    regions: ['us-east-1', 'eu-west-1'],
    vpcsPerRegion: 2,
    subnetsPerVpc: 4,
    instancesPerSubnet: 2,
    days: 14,
    changeRate: 0.05,
  },
  medium: {
    accounts: 3,
    regions: ['us-east-1', 'eu-west-1'],
    vpcsPerRegion: 4,
    subnetsPerVpc: 6,
    instancesPerSubnet: 8,
    days: 7,
    changeRate: 0.05,
  },
  large: {
    accounts: 4,
    regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
    vpcsPerRegion: 10,
    subnetsPerVpc: 6,
    instancesPerSubnet: 11,
    days: 7,
    changeRate: 0.05,
  },
};

export type SizeName = keyof typeof SIZES;

export function isSizeName(s: string): s is SizeName {
  return s === 'small' || s === 'medium' || s === 'large';
}
