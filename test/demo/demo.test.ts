// The demo environment ingested into the real SQLite store: every scenario the explorer's
// end-to-end tests rely on is checked here through the GraphStore port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../graph/parse/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { DEMO, demoEnvironment, demoTimes } from '../../world/demo.ts';

const demo = demoEnvironment();
let store: GraphStore;

const idsOf = (nodes: { resourceId: string }[]) => nodes.map((n) => n.resourceId).sort();

beforeAll(async () => {
  const parsed = parseDocument(demo.items, 'demo');
  expect(parsed.skipped).toEqual([]);
  store = openSqliteStore(':memory:');
  await store.ingest({
    source: 'demo',
    scope: 'demo',
    items: parsed.items,
    snapshots: parsed.snapshots,
    startedAt: demoTimes.end,
  });
});

afterAll(async () => {
  await store?.close();
});

describe('demo environment', () => {
  it('is reproducible and fixed in time', () => {
    expect(JSON.stringify(demoEnvironment().items)).toBe(JSON.stringify(demo.items));
    expect(demo.start).toBe(demoTimes.start);
    expect(demo.end).toBe(demoTimes.end);
    for (const i of demo.items) {
      expect(i.configurationItemCaptureTime >= demoTimes.start).toBe(true);
      expect(i.configurationItemCaptureTime <= demoTimes.end).toBe(true);
    }
    const times = Object.values(demoTimes);
    expect([...times].sort()).toEqual(times);
    expect(demo.description).toContain(DEMO.instanceId);
  });

  it('has 300–800 resources in 2 accounts and 2 regions, plus IAM in "global"', async () => {
    const stats = await store.stats();
    expect(stats.resources).toBeGreaterThanOrEqual(300);
    expect(stats.resources).toBeLessThanOrEqual(800);
    expect(Object.keys(stats.byAccount).sort()).toEqual([DEMO.accountId, DEMO.secondAccountId].sort());
    expect(Object.keys(stats.byRegion).sort()).toEqual(['eu-west-1', 'global', 'us-east-1']);
  });

  it('shows the instance with its network interface, volumes, security groups, subnet and VPC', async () => {
    const n = await store.neighborhood(DEMO.instanceId, { depth: 1 });
    const ids = idsOf(n.nodes);
    for (const id of [
      DEMO.networkInterfaceId,
      DEMO.rootVolumeId,
      DEMO.dataVolumeId,
      DEMO.securityGroupId,
      DEMO.appSecurityGroupId,
      DEMO.publicSubnetId,
      DEMO.vpcId,
    ])
      expect(ids, id).toContain(id);
    expect(ids).not.toContain(DEMO.deletedVolumeId);
    expect(n.truncated).toBe(false);
    for (const q of [DEMO.instancePrivateIp, DEMO.instancePrivateDnsName, DEMO.instancePublicIp, DEMO.instanceName]) {
      const hits = await store.search(q);
      expect(
        hits.map((h) => h.node.resourceId),
        q,
      ).toContain(DEMO.instanceId);
    }
    const view = await store.resource(DEMO.instanceId);
    expect(view.node.tags.Name).toBe(DEMO.instanceName);
    expect(idsOf(n.nodes)).toContain(DEMO.elasticIpAllocationId);
  });

  it('records the scenario VPC as Config does: containment from both ends, one-sided NAT and endpoint, routes to gateways', async () => {
    const id = (key: string) => key.split('|')[3];
    const pairs = async (ref: string) =>
      (await store.neighborhood(ref, { depth: 1, limit: 500 })).edges.map(
        (e) => `${id(e.source)} ${e.name} ${id(e.target)}`,
      );
    const vpc = await pairs(DEMO.vpcId);
    expect(vpc).toEqual(
      expect.arrayContaining([
        `${DEMO.vpcId} Contains Subnet ${DEMO.publicSubnetId}`,
        `${DEMO.publicSubnetId} Is contained in Vpc ${DEMO.vpcId}`,
        `${DEMO.vpcId} Contains Instance ${DEMO.instanceId}`,
        `${DEMO.instanceId} Is contained in Vpc ${DEMO.vpcId}`,
        `${DEMO.vpcId} Contains RouteTable ${DEMO.privateRouteTableId}`,
        `${DEMO.vpcId} Is attached to InternetGateway ${DEMO.internetGatewayId}`,
        `${DEMO.internetGatewayId} Is attached to Vpc ${DEMO.vpcId}`,
        `${DEMO.natGatewayId} Is contained in  ${DEMO.vpcId}`, // bare name "Is contained in " + space
        `${DEMO.peeringConnectionId} Is associated with  ${DEMO.vpcId}`,
      ]),
    );
    // Recorded from one end only: the VPC does not list its NAT gateway, endpoint or peering.
    expect(vpc).not.toContain(`${DEMO.vpcId} Contains NatGateway ${DEMO.natGatewayId}`);
    const subnet = await pairs(DEMO.publicSubnetId);
    expect(subnet).toEqual(
      expect.arrayContaining([
        `${DEMO.publicSubnetId} Contains Instance ${DEMO.instanceId}`,
        `${DEMO.publicSubnetId} Contains NetworkInterface ${DEMO.networkInterfaceId}`,
        `${DEMO.publicSubnetId} Is contained in RouteTable ${DEMO.publicRouteTableId}`,
        `${DEMO.publicRouteTableId} Contains Subnet ${DEMO.publicSubnetId}`,
        `${DEMO.publicSubnetId} Is attached to NetworkAcl ${DEMO.networkAclId}`,
        `${DEMO.networkAclId} Is attached to Subnet ${DEMO.publicSubnetId}`,
      ]),
    );
    const sg = await pairs(DEMO.securityGroupId);
    expect(sg).toEqual(
      expect.arrayContaining([
        `${DEMO.securityGroupId} Is associated with Instance ${DEMO.instanceId}`,
        `${DEMO.securityGroupId} Is associated with NetworkInterface ${DEMO.networkInterfaceId}`,
      ]),
    );
    const targets = async (ref: string) => (await store.neighborhood(ref, { depth: 1 })).nodes.map((n) => n.resourceId);
    expect(await targets(DEMO.publicRouteTableId)).toEqual(expect.arrayContaining([DEMO.internetGatewayId]));
    expect(await targets(DEMO.privateRouteTableId)).toEqual(expect.arrayContaining([DEMO.natGatewayId]));
    expect(await targets(DEMO.networkInterfaceId)).toEqual(expect.arrayContaining([DEMO.elasticIpAllocationId]));
  });

  it('brings the deleted volume back when looking before its deletion', async () => {
    const before = await store.neighborhood(DEMO.instanceId, { depth: 1, at: demoTimes.volumeAttached });
    expect(idsOf(before.nodes)).toContain(DEMO.deletedVolumeId);
    expect((await store.resource(DEMO.deletedVolumeId, { at: demoTimes.volumeAttached })).existsAt).toBe(true);
    expect((await store.resource(DEMO.deletedVolumeId, { at: demoTimes.afterVolumeDeleted })).existsAt).toBe(false);
    const d = await store.diff(demoTimes.volumeAttached, demoTimes.afterVolumeDeleted);
    expect(d.resources.removed.map((r) => r.resourceId)).toContain(DEMO.deletedVolumeId);
  });

  it('records the security group ingress rule change and tag change as real diffs', async () => {
    const h = await store.history(DEMO.securityGroupId);
    expect(h.versions.map((v) => v.captureTime)).toEqual(
      expect.arrayContaining([demoTimes.securityGroupRuleChanged, demoTimes.securityGroupTagChanged]),
    );
    const rule = h.versions.find((v) => v.captureTime === demoTimes.securityGroupRuleChanged);
    expect(rule?.changes.configuration).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: expect.stringMatching(/^ipPermissions/),
          oldValue: '0.0.0.0/0',
          newValue: '203.0.113.0/24',
        }),
      ]),
    );
    const tag = h.versions.find((v) => v.captureTime === demoTimes.securityGroupTagChanged);
    expect(tag?.changes.tags).toEqual(
      expect.arrayContaining([{ key: 'Owner', change: 'changed', oldValue: 'team-web', newValue: 'team-platform' }]),
    );
  });

  it('keeps hostile tag text verbatim', async () => {
    const view = await store.resource(DEMO.hostileInstanceId);
    expect(view.node.tags).toEqual(DEMO.hostileTags);
    const hits = await store.search('onerror');
    expect(hits.map((h) => h.node.resourceId)).toContain(DEMO.hostileInstanceId);
  });

  it('resolves the Lambda role named by resourceName only to the recorded global role', async () => {
    const n = await store.neighborhood(DEMO.lambdaName, { depth: 1 });
    const role = n.nodes.find((x) => x.resourceType === 'AWS::IAM::Role');
    expect(role).toMatchObject({
      resourceId: DEMO.lambdaRoleId,
      resourceName: DEMO.lambdaRoleName,
      awsRegion: 'global',
      recorded: true,
    });
  });

  it('has an instance created midway', async () => {
    expect((await store.resource(DEMO.createdInstanceId, { at: demoTimes.afterVolumeDeleted })).existsAt).toBe(false);
    expect((await store.resource(DEMO.createdInstanceId, { at: demoTimes.end })).existsAt).toBe(true);
  });
});

describe('demo environment as S3 delivery files', () => {
  it('gives the same graph as its API-spelled items', async () => {
    const { deliveryFiles } = await import('../../world/generator/index.ts');
    const { parseFileContent } = await import('../../graph/parse/index.ts');
    const files = deliveryFiles(demo.items);
    const items = [];
    const snapshots = [];
    for (const f of files) {
      const r = parseFileContent(f.body, f.key);
      expect(r.skipped, f.key).toEqual([]);
      items.push(...r.items);
      snapshots.push(...r.snapshots);
    }
    const fromFiles = openSqliteStore(':memory:');
    try {
      const run = await fromFiles.ingest({
        source: 'files',
        scope: 'demo',
        items,
        snapshots,
        startedAt: demoTimes.end,
      });
      expect(run.counts.inferredDeletions).toBe(0);
      const a = await fromFiles.canonicalExport();
      const b = await store.canonicalExport();
      expect(a.resources).toEqual(b.resources);
      expect(a.edges).toEqual(b.edges);
      expect(a.versions.map((v) => `${v.key}@${v.captureTime}:${v.status}`)).toEqual(
        b.versions.map((v) => `${v.key}@${v.captureTime}:${v.status}`),
      );
      // Same content too (V2): the API carries supplementary scalars as text ("IsRequesterPaysEnabled":
      // "false") where S3 files carry JSON values (false); the parser decodes both to the same value.
      expect(a.versions.map((v) => v.contentHash)).toEqual(b.versions.map((v) => v.contentHash));
    } finally {
      await fromFiles.close();
    }
  });
});
