// The generator's promises: deterministic for a seed, API-spelled CIs shaped like the real samples,
// relationships as Config records them (from both ends where it does), deletions as Config records them,
// and a history with every kind of change the brief asks for.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateEnvironment, realShapedEnvironment, SIZES, type ApiConfigItem } from '../../world/generator/index.ts';
import { placeboHistoryItems, rdkSamples } from './samples.ts';

const small = () => generateEnvironment(SIZES.small);
const env = small();
const items = env.items;
const keyOf = (i: ApiConfigItem) => `${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`;
const live = items.filter((i) => i.configurationItemStatus !== 'ResourceDeleted');
/** The real-shaped estate adds types the bench sizes do not have (a classic load balancer). */
const realShapedLive = realShapedEnvironment().items.filter((i) => i.configurationItemStatus !== 'ResourceDeleted');

function byResource(list: ApiConfigItem[]): Map<string, ApiConfigItem[]> {
  const m = new Map<string, ApiConfigItem[]>();
  for (const i of list) m.set(keyOf(i), [...(m.get(keyOf(i)) ?? []), i]);
  return m;
}

describe('determinism', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives byte-identical items for the same seed and options', () => {
    expect(JSON.stringify(small().items)).toBe(JSON.stringify(items));
  });

  it('gives a different estate for a different seed', () => {
    const other = generateEnvironment({ ...SIZES.small, seed: 'another seed' });
    expect(other.items[0]?.resourceId).not.toBe(items[0]?.resourceId);
  });

  it('never consults Math.random or the clock', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
    expect(() => generateEnvironment({ ...SIZES.small, days: 2 })).not.toThrow();
  });

  it('honours the options: accounts, regions, VPCs, subnets, instances, days', () => {
    const e = generateEnvironment({
      accounts: ['111111111111'],
      regions: ['eu-central-1'],
      vpcsPerRegion: 1,
      subnetsPerVpc: 3,
      instancesPerSubnet: 2,
      days: 1,
      changeRate: 0,
      services: false,
    });
    expect(new Set(e.items.map((i) => i.accountId))).toEqual(new Set(['111111111111']));
    expect(new Set(e.items.map((i) => i.awsRegion))).toEqual(new Set(['eu-central-1', 'global']));
    const count = (t: string) => e.items.filter((i) => i.resourceType === t).length;
    expect(count('AWS::EC2::VPC')).toBe(1);
    expect(count('AWS::EC2::Subnet')).toBe(3);
    expect(count('AWS::EC2::Instance')).toBe(6);
    expect(new Set(e.items.map((i) => i.availabilityZone)).has('eu-central-1b')).toBe(true);
    expect(e.end).toBe('2026-03-03T00:00:00.000Z');
    // No changes requested: one discovery CI per resource.
    expect(e.items.every((i) => i.configurationItemStatus === 'ResourceDiscovered')).toBe(true);
  });
});

describe('API wire shape', () => {
  it('spells every item as GetResourceConfigHistory does', () => {
    for (const i of items) {
      expect(typeof i.configuration).toBe('string');
      expect(i.configurationStateId).toMatch(/^\d+$/);
      expect(i.configurationItemCaptureTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(i.accountId).toMatch(/^\d{12}$/);
      expect(i.tags).not.toBeInstanceOf(Array);
      for (const r of i.relationships) {
        expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['relationshipName', 'resourceType']));
        expect(r.resourceId ?? r.resourceName).toBeTruthy();
      }
      for (const v of Object.values(i.supplementaryConfiguration)) expect(typeof v).toBe('string');
    }
  });

  it('uses only keys the real API responses use', () => {
    const known = new Set<string>();
    for (const ci of placeboHistoryItems()) for (const k of Object.keys(ci)) known.add(k);
    for (const ci of rdkSamples().values()) if ('version' in ci) for (const k of Object.keys(ci)) known.add(k);
    const used = new Set(items.flatMap((i) => Object.keys(i)));
    expect([...used].filter((k) => !known.has(k))).toEqual([]);
  });

  it('matches the real example CI of each type: top-level keys and configuration keys', () => {
    const samples = rdkSamples();
    // Real EC2 Address fields that the (unassociated) sample EIP lacks; RDS endpoint (sample was still "creating").
    const documentedExtras: Record<string, string[]> = {
      'AWS::EC2::EIP': [
        'instanceId',
        'associationId',
        'networkInterfaceId',
        'networkInterfaceOwnerId',
        'privateIpAddress',
      ],
      'AWS::RDS::DBInstance': ['endpoint'],
    };
    const optionalTop = new Set(['resourceName', 'resourceCreationTime', 'resourceTransitionStatus']);
    const checked: string[] = [];
    for (const [type, sample] of samples) {
      if (!('version' in sample)) continue; // notification-spelled samples are compared in s3-delivery.test.ts
      const mine = [...live, ...realShapedLive].filter((i) => i.resourceType === type);
      if (mine.length === 0) continue;
      checked.push(type);
      const sampleTop = new Set(Object.keys(sample));
      const sampleConfig = new Set(Object.keys(sample.configuration as object));
      const allowedConfig = new Set([...sampleConfig, ...(documentedExtras[type] ?? [])]);
      for (const i of mine) {
        const top = Object.keys(i);
        expect(
          top.filter((k) => !sampleTop.has(k)),
          `${type} extra keys`,
        ).toEqual([]);
        expect(
          [...sampleTop].filter((k) => !top.includes(k) && !optionalTop.has(k)),
          `${type} missing keys`,
        ).toEqual([]);
        const config = Object.keys(JSON.parse(i.configuration) as object);
        expect(
          config.filter((k) => !allowedConfig.has(k)),
          `${type} configuration keys`,
        ).toEqual([]);
      }
    }
    expect(checked.sort()).toEqual(
      expect.arrayContaining([
        'AWS::EC2::Instance',
        'AWS::EC2::SecurityGroup',
        'AWS::EC2::VPC',
        'AWS::EC2::Subnet',
        'AWS::EC2::Volume',
        'AWS::Lambda::Function',
        'AWS::IAM::Role',
        'AWS::RDS::DBInstance',
        'AWS::ElasticLoadBalancing::LoadBalancer',
        'AWS::EC2::VPCPeeringConnection',
      ]),
    );
  });

  it('covers every resource type the brief names', () => {
    const types = new Set(items.map((i) => i.resourceType));
    for (const t of [
      'AWS::EC2::VPC',
      'AWS::EC2::Subnet',
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
      'AWS::RDS::DBInstance',
      'AWS::RDS::DBSubnetGroup',
      'AWS::Lambda::Function',
      'AWS::IAM::Role',
      'AWS::IAM::Policy',
      'AWS::S3::Bucket',
    ])
      expect(types, t).toContain(t);
  });

  it('keeps IAM in the "global" region and everything else regional', () => {
    for (const i of items)
      expect(i.awsRegion === 'global', i.resourceType).toBe(i.resourceType.startsWith('AWS::IAM::'));
  });

  it('orders items by capture time, and each resource has strictly increasing state ids', () => {
    for (let k = 1; k < items.length; k++)
      expect(items[k - 1]!.configurationItemCaptureTime <= items[k]!.configurationItemCaptureTime).toBe(true);
    for (const versions of byResource(items).values())
      for (let k = 1; k < versions.length; k++)
        expect(Number(versions[k]!.configurationStateId)).toBeGreaterThan(
          Number(versions[k - 1]!.configurationStateId),
        );
  });
});

describe('relationships as Config records them (more in relationships.test.ts)', () => {
  it('a VPC CI lists what it contains, as the configurations of its members say', () => {
    const vpcs = items.filter((i) => i.resourceType === 'AWS::EC2::VPC');
    expect(vpcs.length).toBeGreaterThan(0);
    const last = new Map<string, ApiConfigItem>();
    for (const i of items) last.set(keyOf(i), i);
    const alive = [...last.values()].filter((i) => i.configurationItemStatus !== 'ResourceDeleted');
    for (const v of alive.filter((i) => i.resourceType === 'AWS::EC2::VPC')) {
      const listed = (name: string) =>
        v.relationships
          .filter((r) => r.relationshipName === name)
          .map((r) => r.resourceId)
          .sort();
      const members = (type: string) =>
        alive
          .filter(
            (i) =>
              i.resourceType === type &&
              i.accountId === v.accountId &&
              (JSON.parse(i.configuration) as { vpcId?: string }).vpcId === v.resourceId,
          )
          .map((i) => i.resourceId)
          .sort();
      expect(listed('Contains Subnet')).toEqual(members('AWS::EC2::Subnet'));
      expect(listed('Contains Instance')).toEqual(members('AWS::EC2::Instance'));
      expect(listed('Contains NetworkInterface')).toEqual(members('AWS::EC2::NetworkInterface'));
      expect(listed('Contains SecurityGroup')).toEqual(members('AWS::EC2::SecurityGroup'));
      expect(listed('Contains RouteTable')).toEqual(members('AWS::EC2::RouteTable'));
      expect(listed('Contains NetworkAcl')).toEqual(members('AWS::EC2::NetworkAcl'));
      expect(listed('Is attached to InternetGateway')).toHaveLength(1);
    }
  });

  it('lists the relationships of each CI ordered by the id of the related resource, as the samples do', () => {
    for (const i of items) {
      const ids = i.relationships.map((r) => r.resourceId ?? r.resourceName ?? '');
      expect(ids).toEqual([...ids].sort());
    }
  });

  it('an instance lists its ENI, volumes, security groups, subnet and VPC, consistent with its configuration', () => {
    const instances = live.filter((i) => i.resourceType === 'AWS::EC2::Instance');
    expect(instances.length).toBeGreaterThan(0);
    for (const i of instances) {
      const c = JSON.parse(i.configuration) as {
        subnetId: string;
        vpcId: string;
        networkInterfaces: { networkInterfaceId: string }[];
        blockDeviceMappings: { ebs: { volumeId: string } }[];
        securityGroups: { groupId: string }[];
        privateDnsName: string;
        privateIpAddress: string;
      };
      const rel = (name: string) =>
        i.relationships
          .filter((r) => r.relationshipName === name)
          .map((r) => r.resourceId)
          .sort();
      expect(rel('Is contained in Subnet')).toEqual([c.subnetId]);
      expect(rel('Is contained in Vpc')).toEqual([c.vpcId]);
      expect(rel('Contains NetworkInterface')).toEqual(c.networkInterfaces.map((n) => n.networkInterfaceId).sort());
      expect(rel('Is attached to Volume')).toEqual(c.blockDeviceMappings.map((b) => b.ebs.volumeId).sort());
      expect(rel('Is associated with SecurityGroup')).toEqual(c.securityGroups.map((g) => g.groupId).sort());
      expect(c.privateDnsName).toContain(c.privateIpAddress.replaceAll('.', '-'));
    }
  });

  it('a Lambda names its IAM role by resourceName only, and that role exists in "global"', () => {
    const lambdas = items.filter((i) => i.resourceType === 'AWS::Lambda::Function');
    expect(lambdas.length).toBeGreaterThan(0);
    const roleNames = new Set(
      items.filter((i) => i.resourceType === 'AWS::IAM::Role').map((i) => `${i.accountId}|${i.resourceName}`),
    );
    for (const l of lambdas) {
      const role = l.relationships.find((r) => r.resourceType === 'AWS::IAM::Role');
      expect(role).toEqual({
        resourceType: 'AWS::IAM::Role',
        resourceName: expect.any(String),
        relationshipName: 'Is associated with ',
      });
      expect(roleNames).toContain(`${l.accountId}|${role?.resourceName}`);
    }
  });

  it('security groups reference each other through userIdGroupPairs (not relationships)', () => {
    const sgs = live.filter((i) => i.resourceType === 'AWS::EC2::SecurityGroup');
    const referencing = sgs.filter((sg) =>
      (
        JSON.parse(sg.configuration) as { ipPermissions: { userIdGroupPairs: { groupId: string }[] }[] }
      ).ipPermissions.some((p) => p.userIdGroupPairs.some((g) => g.groupId !== sg.resourceId)),
    );
    expect(referencing.length).toBeGreaterThan(0);
  });

  it('route tables route to internet and NAT gateways in their configuration', () => {
    const routes = live
      .filter((i) => i.resourceType === 'AWS::EC2::RouteTable')
      .flatMap(
        (i) => (JSON.parse(i.configuration) as { routes: { gatewayId?: string; natGatewayId?: string }[] }).routes,
      );
    expect(routes.some((r) => r.gatewayId?.startsWith('igw-'))).toBe(true);
    expect(routes.some((r) => r.natGatewayId?.startsWith('nat-'))).toBe(true);
  });
});

describe('history', () => {
  const resources = byResource(items);

  it('records deletions as Config does: configuration "null", no relationships, no tags, and nothing after', () => {
    const deleted = items.filter((i) => i.configurationItemStatus === 'ResourceDeleted');
    expect(deleted.length).toBeGreaterThan(0);
    for (const d of deleted) {
      expect(JSON.parse(d.configuration)).toBeNull();
      expect(d.relationships).toEqual([]);
      expect(d.tags).toEqual({});
      expect(resources.get(keyOf(d))?.at(-1)).toBe(d);
    }
  });

  it('detaches volumes before deleting them', () => {
    const volumes = [...resources.values()].filter(
      (v) => v[0]?.resourceType === 'AWS::EC2::Volume' && v.at(-1)?.configurationItemStatus === 'ResourceDeleted',
    );
    const detachedFirst = volumes.filter((v) => {
      const before = v.at(-2);
      return (
        before !== undefined &&
        before.relationships.length === 0 &&
        (JSON.parse(before.configuration) as { state: string }).state === 'available'
      );
    });
    expect(detachedFirst.length).toBeGreaterThan(0);
  });

  const changed = (pred: (a: ApiConfigItem, b: ApiConfigItem) => boolean) =>
    [...resources.values()].some((v) =>
      v.some((b, k) => k > 0 && b.configurationItemStatus === 'OK' && pred(v[k - 1]!, b)),
    );

  it('changes security group rules', () => {
    expect(
      changed(
        (a, b) =>
          a.resourceType === 'AWS::EC2::SecurityGroup' &&
          JSON.stringify((JSON.parse(a.configuration) as { ipPermissions: unknown }).ipPermissions) !==
            JSON.stringify((JSON.parse(b.configuration) as { ipPermissions: unknown }).ipPermissions),
      ),
    ).toBe(true);
  });

  it('changes tags', () => {
    expect(changed((a, b) => JSON.stringify(a.tags) !== JSON.stringify(b.tags))).toBe(true);
  });

  it('stops and starts instances', () => {
    const state = (i: ApiConfigItem) => (JSON.parse(i.configuration) as { state: { name: string } }).state.name;
    expect(
      changed((a, b) => a.resourceType === 'AWS::EC2::Instance' && state(a) === 'running' && state(b) === 'stopped'),
    ).toBe(true);
    expect(
      changed((a, b) => a.resourceType === 'AWS::EC2::Instance' && state(a) === 'stopped' && state(b) === 'running'),
    ).toBe(true);
  });

  it('creates resources midway', () => {
    const start = Date.parse(env.start);
    const late = items.filter(
      (i) =>
        i.configurationItemStatus === 'ResourceDiscovered' &&
        Date.parse(i.configurationItemCaptureTime) > start + 86_400_000,
    );
    expect(late.map((i) => i.resourceType)).toContain('AWS::EC2::Instance');
  });
});
