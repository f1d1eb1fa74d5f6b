import { describe, expect, it } from 'vitest';
import {
  groupNodes,
  indexNeighbours,
  indexOutgoing,
  isZoneName,
  placementOf,
} from '../../client/src/graph/grouping.ts';
import {
  ACCT,
  alb,
  edge,
  edges,
  eni,
  instance,
  key,
  node,
  nodes,
  REGION,
  role,
  sg,
  subnetA,
  volume,
  vpc,
} from './fixtures.ts';

const byKey = new Map(nodes.map((n) => [n.key, n]));
const out = indexOutgoing(edges);
const around = indexNeighbours(edges);

describe('placement (account › region › VPC › AZ › subnet)', () => {
  it('puts an instance in its subnet, the subnet’s AZ and its VPC', () => {
    expect(placementOf(instance, out, byKey)).toEqual({
      accountId: ACCT,
      region: REGION,
      vpc: vpc.key,
      az: 'us-east-1a',
      subnet: subnetA.key,
    });
  });

  it('finds the VPC through the subnet when the resource names only its subnet', () => {
    expect(placementOf(eni, out, byKey)).toEqual({
      accountId: ACCT,
      region: REGION,
      vpc: vpc.key,
      az: 'us-east-1a',
      subnet: subnetA.key,
    });
  });

  it('keeps a resource in several subnets (a load balancer) at VPC level, with no AZ', () => {
    expect(placementOf(alb, out, byKey)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
  });

  it('places a volume without neighbours by its AZ alone (no VPC relationship)', () => {
    expect(placementOf(volume, out, byKey)).toEqual({ accountId: ACCT, region: REGION, az: 'us-east-1a' });
  });

  it('puts a volume in the VPC of the instance it is attached to, when they share the zone', () => {
    expect(placementOf(volume, out, byKey, around)).toEqual({
      accountId: ACCT,
      region: REGION,
      vpc: vpc.key,
      az: 'us-east-1a',
    });
    const elsewhere = node('AWS::EC2::Volume', 'vol-b', { availabilityZone: 'us-east-1b' });
    const e = [...edges, edge(instance, elsewhere, 'Is attached to Volume')];
    const m = new Map([...byKey, [elsewhere.key, elsewhere]]);
    expect(placementOf(elsewhere, indexOutgoing(e), m, indexNeighbours(e))).toEqual({
      accountId: ACCT,
      region: REGION,
      az: 'us-east-1b',
    });
  });

  it('ignores non-zone AZ values such as "Multiple Availability Zones"', () => {
    expect(placementOf(sg, out, byKey)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
    expect(isZoneName('Multiple Availability Zones')).toBe(false);
    expect(isZoneName('Not Applicable')).toBe(false);
    expect(isZoneName('eu-west-1c')).toBe(true);
    expect(isZoneName('use1-az4')).toBe(true);
  });

  it('a subnet is the subnet group itself; a VPC is the VPC group itself', () => {
    expect(placementOf(subnetA, out, byKey)).toMatchObject({ vpc: vpc.key, subnet: subnetA.key, az: 'us-east-1a' });
    expect(placementOf(vpc, out, byKey)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
  });

  it('places global resources (IAM) in the account’s "global" region', () => {
    expect(placementOf(role, out, byKey)).toEqual({ accountId: ACCT, region: 'global' });
  });

  it('puts a resource in a VPC shared from another account under the owner’s account', () => {
    const sharedVpc = key('AWS::EC2::VPC', 'vpc-shared', '999988887777');
    const guest = node('AWS::EC2::Instance', 'i-guest');
    const p = placementOf(guest, indexOutgoing([edge(guest, sharedVpc, 'Is contained in Vpc')]), new Map());
    expect(p).toEqual({ accountId: '999988887777', region: REGION, vpc: sharedVpc });
  });

  it('matches types case-insensitively (some CIs upper-case them)', () => {
    const upper = node('AWS::EC2::INSTANCE', 'i-up');
    const p = placementOf(upper, indexOutgoing([edge(upper, subnetA, 'Is contained in Subnet')]), byKey);
    expect(p.subnet).toBe(subnetA.key);
  });
});

describe('groupNodes', () => {
  const { groups, parentOf } = groupNodes(nodes, edges);
  const ids = groups.map((g) => g.id);

  it('creates the nested boxes with parents before children', () => {
    for (const g of groups) if (g.parent) expect(ids.indexOf(g.parent)).toBeLessThan(ids.indexOf(g.id));
    const subnetGroup = groups.find((g) => g.id === `g:subnet:${subnetA.key}`)!;
    const az = groups.find((g) => g.id === subnetGroup.parent)!;
    const vpcGroup = groups.find((g) => g.id === az.parent)!;
    const region = groups.find((g) => g.id === vpcGroup.parent)!;
    const account = groups.find((g) => g.id === region.parent)!;
    expect([az.kind, vpcGroup.kind, region.kind, account.kind]).toEqual(['az', 'vpc', 'region', 'account']);
    expect(account.parent).toBeUndefined();
  });

  it('labels groups with ids and names', () => {
    expect(groups.find((g) => g.kind === 'vpc')!.label).toBe('VPC vpc-1 (main)');
    expect(groups.find((g) => g.kind === 'account')!.label).toBe(`Account ${ACCT}`);
  });

  it('gives every node its innermost group', () => {
    expect(parentOf.get(instance.key)).toBe(`g:subnet:${subnetA.key}`);
    expect(parentOf.get(alb.key)).toBe(`g:vpc:${vpc.key}`);
    expect(parentOf.get(role.key)).toBe(`g:region:${ACCT}|global`);
    expect(parentOf.get(volume.key)).toBe(`g:az:${vpc.key}|us-east-1a`);
  });

  it('creates only groups that hold something', () => {
    const only = groupNodes([role], []);
    expect(only.groups.map((g) => g.kind)).toEqual(['account', 'region']);
  });
});
