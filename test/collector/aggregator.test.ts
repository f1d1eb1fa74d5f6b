// Aggregator mode: one command for every account and region an organisation aggregator covers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLIANCE_RESOURCE_TYPE } from '../../graph/compliance.ts';
import { CollectionFailed } from '../../server/collect/collector.ts';
import {
  ConfigWorld,
  generatorItems,
  startConfigEndpoint,
  worldKey,
  type ConfigEndpoint,
} from '../support/config-endpoint/index.ts';
import { harness, useFakeCredentials, type Harness } from './helpers.ts';

useFakeCredentials();

describe('collect --aggregator', () => {
  let endpoint: ConfigEndpoint;
  let world: ConfigWorld;
  const hs: Harness[] = [];
  const NOT_QUERYABLE = ['AWS::EC2::EIP'];

  beforeAll(async () => {
    const g = generatorItems({
      seed: 9,
      accounts: 3,
      regions: ['us-east-1', 'eu-west-1'],
      vpcsPerRegion: 1,
      subnetsPerVpc: 3,
      instancesPerSubnet: 4,
      days: 3,
      changeRate: 0.05,
    });
    world = new ConfigWorld(g.items, { notQueryable: NOT_QUERYABLE });
    endpoint = await startConfigEndpoint({
      world,
      aggregators: ['org'],
      pageSize: { ListAggregateDiscoveredResources: 4 },
    });
  });
  afterAll(async () => {
    for (const h of hs) await h.cleanup();
    await endpoint.close();
  });
  const h = () => {
    const x = harness(endpoint.url, { aggregator: 'org', regions: ['us-east-1'] });
    hs.push(x);
    return x;
  };

  it('stores every account and region, types advanced query skips included, within the call budget', async () => {
    const before = endpoint.log.length;
    const run = h();
    const summary = await run.run();
    const current = world.current();
    expect(summary.resources).toBe(current.length);
    const stored = new Set((await run.store.canonicalExport()).versions.filter((v) => !v.inferred).map((v) => v.key));
    expect(stored).toEqual(new Set(current.map(worldKey)));
    expect(new Set(current.map((c) => c.accountId)).size).toBe(3);
    // Compliance items of every account are collected with everything else, and the run counts them.
    const compliance = current.filter((c) => c.resourceType === COMPLIANCE_RESOURCE_TYPE);
    expect(new Set(compliance.map((c) => c.accountId)).size).toBe(3);
    expect(summary.run.counts.compliance).toBe(compliance.length);

    const log = endpoint.log.slice(before);
    const eips = current.filter((c) => NOT_QUERYABLE.includes(c.resourceType)).length;
    const queryable = current.length - eips;
    expect(log.filter((l) => l.operation === 'SelectAggregateResourceConfig')).toHaveLength(Math.ceil(queryable / 100));
    expect(log.filter((l) => l.operation === 'ListAggregateDiscoveredResources')).toHaveLength(Math.ceil(eips / 4));
    expect(log.filter((l) => l.operation === 'BatchGetAggregateResourceConfig')).toHaveLength(Math.ceil(eips / 100));
    expect(log.filter((l) => l.operation === 'GetAggregateDiscoveredResourceCounts')).toHaveLength(1);
    expect(log.every((l) => l.region === 'us-east-1')).toBe(true);
    // One snapshot per (account, region) seen: deletions can be inferred organisation-wide.
    expect(summary.snapshots).toBe(new Set(current.map((c) => `${c.accountId}|${c.awsRegion}`)).size);
  });

  it('filters source accounts and regions in the query itself', async () => {
    const account = world.accounts()[1]!;
    const before = endpoint.log.length;
    const run = h();
    const summary = await run.run({ accounts: [account], sourceRegions: ['eu-west-1'], history: '1d' });
    const expr = String(
      endpoint.log.slice(before).find((l) => l.operation === 'SelectAggregateResourceConfig')?.params.Expression,
    );
    expect(expr).toContain(`WHERE accountId = '${account}' AND awsRegion IN ('eu-west-1', 'global')`);
    const expected = world
      .current({ accountId: account })
      .filter((c) => c.awsRegion === 'eu-west-1' || c.awsRegion === 'global');
    expect(summary.resources).toBe(expected.length);
    expect(summary.notes.join('\n')).toMatch(/history is not available through an aggregator/);
  });

  it('fails clearly for an unknown aggregator and leaves the store untouched', async () => {
    const run = harness(endpoint.url, { aggregator: 'nope', regions: ['us-east-1'] });
    hs.push(run);
    await expect(run.run()).rejects.toThrow(CollectionFailed);
    await expect(run.run()).rejects.toThrow(/aggregator "nope" not found in us-east-1/);
    expect(await run.store.runs()).toHaveLength(0);
  });
});
