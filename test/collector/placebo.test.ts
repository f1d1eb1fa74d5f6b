// The collector against an endpoint serving the real cloud-custodian recordings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigWorld,
  placeboHistoryItems,
  PLACEBO_ACCOUNT,
  startConfigEndpoint,
  worldKey,
  type ConfigEndpoint,
} from '../support/config-endpoint/index.ts';
import { harness, useFakeCredentials, type Harness } from './helpers.ts';

useFakeCredentials();

describe('collect from recorded Config data (placebo recordings)', () => {
  const world = new ConfigWorld(placeboHistoryItems(), { notQueryable: ['AWS::ECS::TaskDefinition'] });
  let endpoint: ConfigEndpoint;
  let h: Harness;

  beforeAll(async () => {
    endpoint = await startConfigEndpoint({ world, pageSize: { SelectResourceConfig: 2 } });
    h = harness(endpoint.url, { regions: ['us-east-1', 'us-east-2'] });
  });
  afterAll(async () => {
    await h.cleanup();
    await endpoint.close();
  });

  it('stores every current resource once, with relationships and tags from Select', async () => {
    const summary = await h.run();
    const current = world.current({ accountId: PLACEBO_ACCOUNT });
    expect(summary.resources).toBe(current.length);
    const exported = await h.store.canonicalExport();
    const keys = exported.versions.filter((v) => !v.inferred).map((v) => v.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(current.map(worldKey)));

    const sg = await h.store.resource(`${PLACEBO_ACCOUNT}|us-east-1|AWS::EC2::SecurityGroup|sg-a38ed1de`);
    expect(sg.version?.tags).toEqual({ NetworkLocation: 'DMZ', App: 'blue-moon' });
    expect(sg.outgoing.map((e) => e.target)).toContain(`${PLACEBO_ACCOUNT}|us-east-1|AWS::EC2::VPC|vpc-72885e14`);

    // The type advanced query does not return came through ListDiscoveredResources + BatchGet, without tags/relationships.
    const td = await h.store.resource(`${PLACEBO_ACCOUNT}|us-east-1|AWS::ECS::TaskDefinition|app-fargate-task:2`);
    expect(td.version?.relationships).toBeNull();
    expect(summary.notes.join('\n')).toMatch(
      /AWS::ECS::TaskDefinition from BatchGetResourceConfig .*no relationships or tags/,
    );
    expect(summary.apiCalls.ListDiscoveredResources).toBe(1);
    expect(summary.apiCalls.BatchGetResourceConfig).toBe(1);
    expect(summary.status).toBe('succeeded');
    expect(summary.snapshots).toBe(2);
  });
});

describe('regions that reject the credentials', () => {
  const world = new ConfigWorld(placeboHistoryItems());

  it('a disabled opt-in region is reported and the others are stored', async () => {
    const endpoint = await startConfigEndpoint({
      world,
      faults: [{ kind: 'unrecognized-client', region: 'ap-east-1', times: Infinity }],
    });
    const h = harness(endpoint.url, { regions: ['us-east-1', 'ap-east-1'] });
    try {
      const summary = await h.run();
      expect(summary.status).toBe('partial');
      expect(summary.resources).toBe(world.current({ region: 'us-east-1' }).length);
      expect(summary.skipped.map((s) => s.reason).join('\n')).toMatch(
        /ap-east-1: AWS rejected the credentials \(UnrecognizedClientException.*opt-in region/,
      );
    } finally {
      await h.cleanup();
      await endpoint.close();
    }
  });

  it('when every region rejects them the run fails and stores nothing', async () => {
    const endpoint = await startConfigEndpoint({ world, faults: [{ kind: 'unrecognized-client', times: Infinity }] });
    const h = harness(endpoint.url, { regions: ['us-east-1', 'us-east-2'] });
    try {
      await expect(h.run()).rejects.toThrow(/AWS rejected or could not find credentials/);
      expect(await h.store.runs()).toHaveLength(0);
    } finally {
      await h.cleanup();
      await endpoint.close();
    }
  });
});

describe('snapshots and endpoints', () => {
  it('infers the deletion of a resource a later full collection no longer returns', async () => {
    const world = new ConfigWorld(placeboHistoryItems());
    const endpoint = await startConfigEndpoint({ world });
    const h = harness(endpoint.url, { regions: ['us-east-2'] });
    try {
      await h.run({ now: new Date('2021-06-01T00:00:00Z') });
      const key = `${PLACEBO_ACCOUNT}|us-east-2|AWS::EKS::Cluster|kapil-dev`;
      expect((await h.store.resource(key)).existsAt).toBe(true);
      const [last] = world.history(key).slice(-1);
      world.add([
        {
          ...last!,
          configurationItemCaptureTime: '2021-06-02T00:00:00.000Z',
          configurationStateId: '1',
          configurationItemStatus: 'ResourceDeleted',
          configuration: 'null',
          relationships: [],
        },
      ]);
      const summary = await h.run({ now: new Date('2021-06-03T00:00:00Z') });
      expect(summary.run.counts.inferredDeletions).toBe(1);
      const versions = await h.store.versionsOf(key);
      expect(versions[versions.length - 1]).toMatchObject({ inferred: true, captureTime: '2021-06-03T00:00:00.000Z' });
    } finally {
      await h.cleanup();
      await endpoint.close();
    }
  });

  it('honours AWS_ENDPOINT_URL from the environment (standard SDK behaviour)', async () => {
    const world = new ConfigWorld(placeboHistoryItems());
    const endpoint = await startConfigEndpoint({ world });
    const h = harness(endpoint.url, { regions: ['us-east-2'], endpointUrl: undefined });
    process.env.AWS_ENDPOINT_URL = endpoint.url;
    try {
      const summary = await h.run();
      expect(summary.resources).toBe(world.current({ region: 'us-east-2' }).length);
      expect(endpoint.calls('SelectResourceConfig')).toBe(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
      await h.cleanup();
      await endpoint.close();
    }
  });
});
