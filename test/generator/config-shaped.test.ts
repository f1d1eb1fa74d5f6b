// The fixtures shaped like real Config (test/config-shaped): the public rdk samples of one
// account, copied unchanged, link to each other from both ends; the synthetic companion (made by the
// generator) completes an instance's attachments; the real-shaped estate has what browser tests need.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, parseFileContent } from '../../graph/parse/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import type { GraphEdge } from '../../graph/model.ts';
import { realShapedEnvironment, REAL_SHAPED } from '../../world/generator/index.ts';
import { RDK_COMPANION } from '../../world/generator/rdk-companion.ts';
import { COMPANION_FILE, companionText } from '../../bench/write-fixtures.ts';
import { SAMPLES_DIR } from './samples.ts';

const DIR = join(SAMPLES_DIR, '..', 'config-shaped');
const RDK = join(DIR, 'rdk-264683526309');
const rdkFiles = readdirSync(RDK).filter((f) => f.endsWith('.json'));

let store: GraphStore;
const idOf = (key: string) => key.split('|')[3];
const pairs = (edges: GraphEdge[]) => edges.map((e) => `${idOf(e.source)} ${e.name} ${idOf(e.target)}`);

beforeAll(async () => {
  const items = [];
  for (const f of rdkFiles) {
    const r = parseFileContent(readFileSync(join(RDK, f)), f);
    expect(r.skipped, f).toEqual([]);
    items.push(...r.items);
  }
  const companion = parseFileContent(readFileSync(COMPANION_FILE), 'companion.json');
  expect(companion.skipped).toEqual([]);
  expect(companion.snapshots).toEqual([]);
  items.push(...companion.items);
  store = openSqliteStore(':memory:');
  await store.ingest({
    source: 'files',
    scope: 'config-shaped',
    items,
    startedAt: '2016-11-12T00:00:00.000Z',
  });
});

afterAll(async () => {
  await store?.close();
});

describe('the rdk samples of account 264683526309', () => {
  it('are the public samples, copied unchanged, all from that account', () => {
    expect(rdkFiles.length).toBe(20);
    for (const f of rdkFiles) {
      const mine = readFileSync(join(RDK, f));
      expect(mine.equals(readFileSync(join(SAMPLES_DIR, 'aws-config-rdk', 'example_ci', f))), f).toBe(true);
      expect((JSON.parse(mine.toString('utf8')) as { accountId: string }).accountId, f).toBe('264683526309');
    }
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    expect(readme).toContain('Apache-2.0');
    expect(readme).toContain('bb24bcab6aa948cceebd96d7826f45176c152fa0');
  });

  it('link the VPC and its subnet, route table, network ACL and group from both ends', async () => {
    const n = await store.neighborhood(`264683526309|us-east-1|AWS::EC2::VPC|vpc-0990dc6d`, { depth: 1, limit: 200 });
    const p = pairs(n.edges);
    expect(p).toEqual(
      expect.arrayContaining([
        'vpc-0990dc6d Contains Subnet subnet-29428871',
        'subnet-29428871 Is contained in Vpc vpc-0990dc6d',
        'vpc-0990dc6d Contains SecurityGroup sg-1d56fc66',
        'sg-1d56fc66 Is contained in Vpc vpc-0990dc6d',
        'vpc-0990dc6d Contains RouteTable rtb-50b9b034',
        'rtb-50b9b034 Is contained in Vpc vpc-0990dc6d',
        'vpc-0990dc6d Contains NetworkAcl acl-b48fd1d0',
        'acl-b48fd1d0 Is contained in Vpc vpc-0990dc6d',
        'vpc-0990dc6d Is attached to InternetGateway igw-a5f227c1',
        'igw-a5f227c1 Is attached to Vpc vpc-0990dc6d',
      ]),
    );
  });
});

describe('the synthetic companion (generator, fixed seed)', () => {
  it('is what the generator makes now (regenerate: npx tsx bench/write-fixtures.ts)', () => {
    expect(readFileSync(COMPANION_FILE, 'utf8')).toBe(companionText());
  });

  it('completes the instance the samples list: its interface, volume, Elastic IP, group, subnet and VPC, from both ends where Config records both', async () => {
    const c = RDK_COMPANION;
    const n = await store.neighborhood(`${c.accountId}|${c.region}|AWS::EC2::Instance|${c.instanceId}`, { depth: 1 });
    const recorded = n.nodes.filter((x) => x.recorded).map((x) => x.resourceId);
    expect(recorded).toEqual(
      expect.arrayContaining([c.networkInterfaceId, c.volumeId, c.securityGroupId, c.subnetId, c.vpcId]),
    );
    const p = pairs(n.edges);
    expect(p).toEqual(
      expect.arrayContaining([
        // The subnet's and the VPC's real CIs list the synthetic instance; the instance lists them.
        `${c.subnetId} Contains Instance ${c.instanceId}`,
        `${c.instanceId} Is contained in Subnet ${c.subnetId}`,
        `${c.vpcId} Contains Instance ${c.instanceId}`,
        `${c.instanceId} Is contained in Vpc ${c.vpcId}`,
        `${c.instanceId} Contains NetworkInterface ${c.networkInterfaceId}`,
        `${c.networkInterfaceId} Is attached to Instance ${c.instanceId}`,
      ]),
    );
    const eni = await store.neighborhood(
      `${c.accountId}|${c.region}|AWS::EC2::NetworkInterface|${c.networkInterfaceId}`,
      { depth: 1 },
    );
    expect(pairs(eni.edges)).toEqual(
      expect.arrayContaining([
        `${c.networkInterfaceId} Is attached to ElasticIp ${c.elasticIpAllocationId}`,
        `${c.elasticIpAllocationId} Is attached to NetworkInterface ${c.networkInterfaceId}`,
        `${c.subnetId} Contains NetworkInterface ${c.networkInterfaceId}`,
      ]),
    );
  });
});

describe('the real-shaped estate (realShapedEnvironment)', () => {
  const e = realShapedEnvironment();

  it('is one account, one region (plus IAM), one VPC over two zones, fixed for its seed', () => {
    expect(JSON.stringify(realShapedEnvironment().items)).toBe(JSON.stringify(e.items));
    expect(new Set(e.items.map((i) => i.accountId))).toEqual(new Set([REAL_SHAPED.accountId]));
    expect(new Set(e.items.map((i) => i.awsRegion))).toEqual(new Set([REAL_SHAPED.region, 'global']));
    const ids = (type: string) => new Set(e.items.filter((i) => i.resourceType === type).map((i) => i.resourceId));
    expect(ids('AWS::EC2::VPC').size).toBe(1);
    const subnets = e.items.filter((i) => i.resourceType === 'AWS::EC2::Subnet');
    expect(new Set(subnets.map((s) => s.availabilityZone)).size).toBe(2);
    expect(new Set(subnets.map((s) => s.tags.Tier))).toEqual(new Set(['public', 'private']));
    for (const t of [
      'AWS::EC2::InternetGateway',
      'AWS::EC2::NatGateway',
      'AWS::EC2::RouteTable',
      'AWS::EC2::NetworkAcl',
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::Instance',
      'AWS::EC2::NetworkInterface',
      'AWS::EC2::Volume',
      'AWS::EC2::EIP',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::EC2::VPCEndpoint',
      'AWS::EC2::VPCPeeringConnection',
    ])
      expect(ids(t).size, t).toBeGreaterThan(0);
  });

  it('imports cleanly, and an instance with an Elastic IP reaches its route table and gateways', async () => {
    const parsed = parseDocument(e.items, 'real-shaped');
    expect(parsed.skipped).toEqual([]);
    const s = openSqliteStore(':memory:');
    try {
      await s.ingest({ source: 'demo', scope: 'real-shaped', items: parsed.items, startedAt: e.end });
      const eip = e.items.find(
        (i) =>
          i.resourceType === 'AWS::EC2::EIP' && i.relationships.some((r) => r.resourceType === 'AWS::EC2::Instance'),
      );
      const instanceId = eip?.relationships.find((r) => r.resourceType === 'AWS::EC2::Instance')?.resourceId;
      expect(instanceId).toBeDefined();
      const n = await s.neighborhood(
        `${REAL_SHAPED.accountId}|${REAL_SHAPED.region}|AWS::EC2::Instance|${instanceId}`,
        {
          depth: 3,
          limit: 500,
        },
      );
      const types = new Set(n.nodes.map((x) => x.resourceType));
      for (const t of ['AWS::EC2::EIP', 'AWS::EC2::RouteTable', 'AWS::EC2::InternetGateway', 'AWS::EC2::Volume'])
        expect(types, t).toContain(t);
    } finally {
      await s.close();
    }
  });
});
