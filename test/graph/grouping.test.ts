// The one grouping and the reading of connections (SPEC G1–G9), on hand-made graphs and on the public
// samples of account 264683526309, whose VPC and subnet record each other from both ends.
import { describe, expect, it } from 'vitest';
import {
  areTwins,
  connectionCaption,
  connectionLabel,
  mergeTwins,
  readableConnections,
} from '../../graph/connections.ts';
import { enclosingResources, groupNodes, isZoneName, placements, recordedContainers } from '../../graph/grouping.ts';
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { relationshipType } from '../../graph/relationships.ts';
import { bothEndsItems, graphOfItems, REAL, realKey, sampleItems } from '../support/both-ends.ts';
import {
  ACCT,
  alb,
  edge,
  instance,
  key,
  node,
  REGION,
  role,
  sg,
  subnetA,
  subnetB,
  volume,
  vpc,
} from '../client/fixtures.ts';

/** An edge whose type is normalised as the stores do (E4). */
const rel = (s: ResourceNode | string, t: ResourceNode | string, name: string, extra: Partial<GraphEdge> = {}) =>
  edge(s, t, name, { type: relationshipType(name), ...extra });

const eni = node('AWS::EC2::NetworkInterface', 'eni-1', { availabilityZone: 'us-east-1a' });
const rtb = node('AWS::EC2::RouteTable', 'rtb-1', { availabilityZone: 'Not Applicable' });
const acl = node('AWS::EC2::NetworkAcl', 'acl-1', { availabilityZone: 'Multiple Availability Zones' });
/** One-way records (old synthetic world): member → container only. */
const oneWay = [
  rel(subnetA, vpc, 'Is contained in Vpc'),
  rel(subnetB, vpc, 'Is contained in Vpc'),
  rel(instance, subnetA, 'Is contained in Subnet'),
  rel(instance, vpc, 'Is contained in Vpc'),
  rel(instance, eni, 'Contains NetworkInterface'),
  rel(instance, volume, 'Is attached to Volume'),
  rel(instance, sg, 'Is associated with SecurityGroup'),
  rel(eni, subnetA, 'Is contained in Subnet'),
  rel(sg, vpc, 'Is contained in Vpc'),
  rel(alb, subnetA, 'Is attached to Subnet'),
  rel(alb, subnetB, 'Is attached to Subnet'),
  rel(alb, vpc, 'Is contained in Vpc'),
  rel(rtb, vpc, 'Is contained in Vpc'),
  rel(instance, role, 'Is associated with ', { origin: 'derived', rule: 'instance-profile-role' }),
];
/** The same world as real Config records it: containers list their members too. */
const bothWays = [
  ...oneWay,
  rel(vpc, subnetA, 'Contains Subnet'),
  rel(vpc, subnetB, 'Contains Subnet'),
  rel(vpc, instance, 'Contains Instance'),
  rel(vpc, eni, 'Contains NetworkInterface'),
  rel(vpc, sg, 'Contains SecurityGroup'),
  rel(vpc, rtb, 'Contains RouteTable'),
  rel(vpc, acl, 'Contains NetworkAcl'),
  rel(subnetA, instance, 'Contains Instance'),
  rel(subnetA, eni, 'Contains NetworkInterface'),
  rel(subnetA, rtb, 'Is contained in RouteTable'),
  rel(rtb, subnetA, 'Contains Subnet'),
  rel(acl, subnetA, 'Is attached to Subnet'),
  rel(subnetA, acl, 'Is attached to NetworkAcl'),
  rel(acl, vpc, 'Is contained in Vpc'),
  rel(eni, instance, 'Is attached to Instance'),
  rel(sg, eni, 'Is associated with NetworkInterface'),
  rel(eni, sg, 'Is associated with SecurityGroup'),
  rel(sg, instance, 'Is associated with Instance'),
  rel(volume, instance, 'Is attached to Instance'),
];
const nodes = [vpc, subnetA, subnetB, instance, eni, volume, sg, alb, role, rtb, acl];

describe('placement (SPEC G1–G7)', () => {
  const oneWayPlaces = placements(nodes, oneWay);
  const place = placements(nodes, bothWays);

  it('G1 G5: an instance and its interface are in their subnet, the subnet’s zone and its VPC', () => {
    for (const p of [oneWayPlaces, place]) {
      expect(p.get(instance.key)).toEqual({
        accountId: ACCT,
        region: REGION,
        vpc: vpc.key,
        az: 'us-east-1a',
        subnet: subnetA.key,
      });
      expect(p.get(eni.key)).toMatchObject({ vpc: vpc.key, subnet: subnetA.key });
    }
  });

  it('G2: the same boxes whether containment is recorded by the member, the container or both', () => {
    // Drop every "Is contained in" that the container also records as "Contains".
    const containersOnly = bothWays.filter(
      (e) =>
        e.type !== 'IS_CONTAINED_IN' ||
        !bothWays.some((o) => o.type === 'CONTAINS' && o.source === e.target && o.target === e.source),
    );
    expect(containersOnly.length).toBeLessThan(bothWays.length - 5);
    expect(placements(nodes, containersOnly)).toEqual(place);
    const recorded = recordedContainers(bothWays);
    expect(recorded.get(vpc.key)).toBeUndefined();
    expect([...(recorded.get(subnetA.key) ?? [])]).toEqual([vpc.key]);
    expect([...(recorded.get(rtb.key) ?? [])]).toEqual([vpc.key]);
    // The one-way records know nothing of the ACL; everything else is where the both-ends records put it.
    for (const n of nodes) if (n !== acl) expect(oneWayPlaces.get(n.key)).toEqual(place.get(n.key));
  });

  it('G2: "Is attached to Subnet" and "Is contained in RouteTable" make no box', () => {
    const lb = node('AWS::ElasticLoadBalancing::LoadBalancer', 'clb');
    const p = placements(
      [lb, subnetA, rtb],
      [rel(lb, subnetA, 'Is attached to '), rel(subnetA, rtb, 'Is contained in ')],
    );
    expect(p.get(lb.key)).toEqual({ accountId: ACCT, region: REGION });
    expect(p.get(subnetA.key)).toEqual({ accountId: ACCT, region: REGION, az: 'us-east-1a', subnet: subnetA.key });
  });

  it('G3: a VPC that "Contains Subnet" is never inside the subnet; a subnet is never inside a subnet', () => {
    const p = placements([vpc, subnetA], [rel(vpc, subnetA, 'Contains Subnet')]);
    expect(p.get(vpc.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
    expect(p.get(subnetA.key)).toMatchObject({ vpc: vpc.key, subnet: subnetA.key, az: 'us-east-1a' });
    const odd = placements([subnetA, subnetB], [rel(subnetA, subnetB, 'Contains Subnet')]);
    expect(odd.get(subnetB.key)?.subnet).toBe(subnetB.key);
  });

  it('G4: route tables, network ACLs and security groups sit at VPC level', () => {
    for (const n of [rtb, acl, sg]) expect(place.get(n.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
    const recordedInSubnet = placements(
      [rtb, subnetA, vpc],
      [rel(rtb, subnetA, 'Is contained in Subnet'), rel(subnetA, vpc, 'Is contained in Vpc')],
    );
    expect(recordedInSubnet.get(rtb.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
  });

  it('G4: a gateway attached to one VPC is at its level, recorded from either end; a peering of two VPCs is not', () => {
    const igw = node('AWS::EC2::InternetGateway', 'igw-1');
    const vgw = node('AWS::EC2::VPNGateway', 'vgw-1');
    const other = node('AWS::EC2::VPC', 'vpc-2');
    const pcx = node('AWS::EC2::VPCPeeringConnection', 'pcx-1');
    const edges = [
      rel(igw, vpc, 'Is attached to Vpc'),
      rel(vpc, vgw, 'Is attached to VPNGateway'),
      rel(pcx, vpc, 'Is attached to Vpc'),
      rel(pcx, other, 'Is attached to Vpc'),
    ];
    const p = placements([vpc, other, igw, vgw, pcx], edges);
    expect(p.get(igw.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
    expect(p.get(vgw.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
    expect(p.get(pcx.key)).toEqual({ accountId: ACCT, region: REGION });
    // Attached to two VPCs (records that contradict each other): region level, as G5 says.
    const twice = placements(
      [vpc, other, igw],
      [rel(igw, vpc, 'Is attached to Vpc'), rel(igw, other, 'Is attached to Vpc')],
    );
    expect(twice.get(igw.key)).toEqual({ accountId: ACCT, region: REGION });
  });

  it('G5: a load balancer in several subnets sits at VPC level, with no zone', () => {
    expect(place.get(alb.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
    const endpoint = node('AWS::EC2::VPCEndpoint', 'vpce-1');
    const p = placements(
      [endpoint, subnetA, subnetB, vpc],
      [
        ...bothWays.slice(0, 2),
        rel(endpoint, subnetA, 'Is contained in Subnet'),
        rel(endpoint, subnetB, 'Is contained in Subnet'),
      ],
    );
    expect(p.get(endpoint.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key });
  });

  it('G5: records naming two VPCs put a resource at region level', () => {
    const other = node('AWS::EC2::VPC', 'vpc-2');
    const p = placements(
      [instance, vpc, other],
      [rel(instance, vpc, 'Is contained in Vpc'), rel(other, instance, 'Contains Instance')],
    );
    expect(p.get(instance.key)).toEqual({ accountId: ACCT, region: REGION, az: 'us-east-1a' });
  });

  it('G6: a volume joins the VPC and zone of the instance it is attached to; alone, its region’s zone', () => {
    expect(place.get(volume.key)).toEqual({ accountId: ACCT, region: REGION, vpc: vpc.key, az: 'us-east-1a' });
    expect(placements([volume], []).get(volume.key)).toEqual({ accountId: ACCT, region: REGION, az: 'us-east-1a' });
    const elsewhere = node('AWS::EC2::Volume', 'vol-b', { availabilityZone: 'us-east-1b' });
    const p = placements([...nodes, elsewhere], [...bothWays, rel(instance, elsewhere, 'Is attached to Volume')]);
    expect(p.get(elsewhere.key)).toEqual({ accountId: ACCT, region: REGION, az: 'us-east-1b' });
  });

  it('G7: a shared VPC puts its guests under the owner’s account; IAM sits in "global"', () => {
    const sharedVpc = key('AWS::EC2::VPC', 'vpc-shared', '999988887777');
    const guest = node('AWS::EC2::Instance', 'i-guest');
    expect(placements([guest], [rel(guest, sharedVpc, 'Is contained in Vpc')]).get(guest.key)).toEqual({
      accountId: '999988887777',
      region: REGION,
      vpc: sharedVpc,
    });
    expect(place.get(role.key)).toEqual({ accountId: ACCT, region: 'global' });
  });

  it('matches types case-insensitively and ignores zone values such as "Multiple Availability Zones"', () => {
    const upper = node('AWS::EC2::INSTANCE', 'i-up');
    expect(placements([upper, subnetA], [rel(upper, subnetA, 'Is contained in Subnet')]).get(upper.key)?.subnet).toBe(
      subnetA.key,
    );
    expect(isZoneName('Multiple Availability Zones')).toBe(false);
    expect(isZoneName('Not Applicable')).toBe(false);
    expect(isZoneName('eu-west-1c')).toBe(true);
    expect(isZoneName('use1-az4')).toBe(true);
  });
});

describe('boxes (SPEC G1)', () => {
  const { groups, parentOf } = groupNodes(nodes, bothWays);
  const ids = groups.map((g) => g.id);

  it('G1: nests account › region › VPC › zone › subnet, parents before children', () => {
    for (const g of groups) if (g.parent) expect(ids.indexOf(g.parent)).toBeLessThan(ids.indexOf(g.id));
    const chain: string[] = [];
    let g = groups.find((x) => x.id === parentOf.get(instance.key));
    while (g) {
      chain.push(g.kind);
      g = groups.find((x) => x.id === g!.parent);
    }
    expect(chain).toEqual(['subnet', 'az', 'vpc', 'region', 'account']);
    expect(groups.find((x) => x.kind === 'vpc')?.label).toBe('VPC vpc-1 (main)');
    expect(groups.find((x) => x.kind === 'vpc')?.resource).toBe(vpc.key);
  });

  it('G1: the innermost box of each node; only boxes that hold something', () => {
    expect(parentOf.get(instance.key)).toBe(`g:subnet:${subnetA.key}`);
    expect(parentOf.get(vpc.key)).toBe(`g:vpc:${vpc.key}`);
    expect(parentOf.get(alb.key)).toBe(`g:vpc:${vpc.key}`);
    expect(parentOf.get(role.key)).toBe(`g:region:${ACCT}|global`);
    expect(parentOf.get(volume.key)).toBe(`g:az:${vpc.key}|us-east-1a`);
    expect(groupNodes([role], []).groups.map((x) => x.kind)).toEqual(['account', 'region']);
    expect(enclosingResources({ groups, parentOf }, instance.key)).toEqual([subnetA.key, vpc.key]);
  });

  it('G1: does not depend on the order of nodes and edges', () => {
    const again = groupNodes([...nodes].reverse(), [...bothWays].reverse());
    expect(again.groups).toEqual(groups);
    expect([...again.parentOf].sort()).toEqual([...parentOf].sort());
  });
});

describe('the public samples of account 264683526309 (both ends)', () => {
  const samples = graphOfItems(sampleItems());
  const world = graphOfItems(bothEndsItems());
  const vpcKey = realKey('AWS::EC2::VPC', REAL.vpc);
  const subnetKey = realKey('AWS::EC2::Subnet', REAL.subnet);

  it('the sample VPC and subnet really do list each other', () => {
    expect(samples.edges.some((e) => e.source === vpcKey && e.target === subnetKey && e.type === 'CONTAINS')).toBe(
      true,
    );
    expect(
      samples.edges.some((e) => e.source === subnetKey && e.target === vpcKey && e.type === 'IS_CONTAINED_IN'),
    ).toBe(true);
  });

  it('G3: the VPC is in its region, never inside subnet-29428871; the subnet is inside the VPC', () => {
    for (const g of [samples, world]) {
      const grouping = groupNodes(g.nodes, g.edges);
      expect(grouping.parentOf.get(vpcKey)).toBe(`g:vpc:${vpcKey}`);
      expect(enclosingResources(grouping, vpcKey)).toEqual([vpcKey]);
      expect(enclosingResources(grouping, subnetKey)).toEqual([subnetKey, vpcKey]);
      const vpcBox = grouping.groups.find((x) => x.id === `g:vpc:${vpcKey}`);
      expect(vpcBox?.parent).toBe(`g:region:${REAL.account}|${REAL.region}`);
    }
  });

  it('G4 G5 G6: route table, ACL, security groups at VPC level; instance in its subnet; volume with its instance', () => {
    const grouping = groupNodes(world.nodes, world.edges);
    const box = (type: string, id: string) => grouping.parentOf.get(realKey(type, id));
    expect(box('AWS::EC2::RouteTable', REAL.routeTable)).toBe(`g:vpc:${vpcKey}`);
    expect(box('AWS::EC2::NetworkAcl', REAL.acl)).toBe(`g:vpc:${vpcKey}`);
    expect(box('AWS::EC2::SecurityGroup', REAL.sg)).toBe(`g:vpc:${vpcKey}`);
    expect(box('AWS::EC2::Instance', REAL.instance)).toBe(`g:subnet:${subnetKey}`);
    expect(box('AWS::EC2::NetworkInterface', REAL.eni)).toBe(`g:subnet:${subnetKey}`);
    expect(box('AWS::EC2::Volume', REAL.volume)).toBe(`g:az:${vpcKey}|us-east-1c`);
    // G4: the internet gateway is recorded "Is attached to Vpc" (and the VPC "Is attached to InternetGateway"):
    // a gateway attached to one VPC is drawn at that VPC's level.
    expect(box('AWS::EC2::InternetGateway', REAL.igw)).toBe(`g:vpc:${vpcKey}`);
  });
});

describe('readable connections (SPEC G8–G9)', () => {
  it('G8: reverse twins are inverse types joining the same two resources in opposite directions', () => {
    const twin = (a: string, b: string) =>
      areTwins(rel(instance, eni, a), rel(eni, instance, b)) && areTwins(rel(eni, instance, b), rel(instance, eni, a));
    expect(twin('Contains NetworkInterface', 'Is contained in Instance')).toBe(true);
    expect(twin('Contains NetworkInterface', 'Is attached to Instance')).toBe(true);
    expect(twin('Is attached to NetworkInterface', 'Is attached to Instance')).toBe(true);
    expect(twin('Is associated with NetworkInterface', 'Is associated with ')).toBe(true);
    expect(twin('Contains NetworkInterface', 'Contains Instance')).toBe(false);
    expect(twin('Is associated with NetworkInterface', 'Is attached to Instance')).toBe(false);
    expect(twin('Is contained in NetworkInterface', 'Is contained in Instance')).toBe(false);
    // Same direction, or another pair of resources, or another origin: not twins.
    expect(areTwins(rel(vpc, subnetA, 'Contains Subnet'), rel(vpc, subnetA, 'Is contained in Vpc'))).toBe(false);
    expect(areTwins(rel(vpc, subnetA, 'Contains Subnet'), rel(subnetB, vpc, 'Is contained in Vpc'))).toBe(false);
    const derived = rel(eni, instance, 'Is attached to Instance', { origin: 'derived', rule: 'eni-attachment' });
    expect(areTwins(rel(instance, eni, 'Contains NetworkInterface'), derived)).toBe(false);
  });

  it('G8: a twin is one connection that keeps both names, read from the member’s side', () => {
    const merged = mergeTwins([rel(vpc, subnetA, 'Contains Subnet'), rel(subnetA, vpc, 'Is contained in Vpc')]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      source: subnetA.key,
      target: vpc.key,
      names: ['Is contained in Vpc', 'Contains Subnet'],
    });
    expect(connectionLabel(merged[0]!)).toBe('Is contained in Vpc / Contains Subnet');
    // Drawn, the two names go one above the other (a one-line twin label ran under the resources it joins).
    expect(connectionCaption(merged[0]!)).toBe('Is contained in Vpc /\nContains Subnet');
    // An edge pairs with one twin only; the rest stay single. Order of input does not matter.
    const three = [
      rel(sg, eni, 'Is associated with NetworkInterface'),
      rel(eni, sg, 'Is associated with SecurityGroup'),
      rel(eni, sg, 'Is associated with '),
    ];
    expect(
      mergeTwins(three)
        .map((c) => c.edges.length)
        .sort(),
    ).toEqual([1, 2]);
    expect(mergeTwins([...three].reverse())).toEqual(mergeTwins(three));
  });

  it('G8 G9: on the both-ends world, no pair is drawn twice and nothing is drawn to its own box', () => {
    const grouping = groupNodes(nodes, bothWays);
    const { drawn, enclosing } = readableConnections(bothWays, grouping);
    const pairs = drawn.map((c) => [c.source, c.target].sort().join(' '));
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(drawn.length + enclosing.length).toBeLessThan(bothWays.length);
    for (const c of drawn) {
      expect(enclosingResources(grouping, c.source)).not.toContain(c.target);
      expect(enclosingResources(grouping, c.target)).not.toContain(c.source);
    }
    const label = (c: { names: string[] }) => [...c.names].sort().join(' / ');
    expect(enclosing.map(label)).toContain('Contains Instance / Is contained in Subnet');
    expect(enclosing.map(label)).toContain('Contains Subnet / Is contained in Vpc');
    // The route table "Contains Subnet", the ACL "Is attached to Subnet": real links, drawn.
    expect(drawn.map(label)).toContain('Contains Subnet / Is contained in RouteTable');
    expect(drawn.map(label)).toContain('Is attached to NetworkAcl / Is attached to Subnet');
    // Without boxes, nothing encloses anything.
    expect(readableConnections(bothWays).enclosing).toEqual([]);
  });

  it('G8 G9 on the real samples: the VPC’s "Contains Subnet" and the subnet’s "Is contained in Vpc" are one hidden link', () => {
    const g = graphOfItems(bothEndsItems());
    const grouping = groupNodes(g.nodes, g.edges);
    const { drawn, enclosing } = readableConnections(g.edges, grouping);
    const vpcKey = realKey('AWS::EC2::VPC', REAL.vpc);
    const subnetKey = realKey('AWS::EC2::Subnet', REAL.subnet);
    const link = enclosing.find((c) => c.source === subnetKey && c.target === vpcKey);
    expect(link?.names).toEqual(['Is contained in Vpc', 'Contains Subnet']);
    expect(drawn.some((c) => [c.source, c.target].includes(vpcKey) && [c.source, c.target].includes(subnetKey))).toBe(
      false,
    );
  });
});
