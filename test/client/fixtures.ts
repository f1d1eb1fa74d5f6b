// Small hand-made graphs for the client's pure modules, in the API's shapes.
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { relationshipType } from '../../graph/relationships.ts';

export const ACCT = '111122223333';
export const REGION = 'us-east-1';

export function key(type: string, id: string, account = ACCT, region = REGION): string {
  return `${account}|${region}|${type}|${id}`;
}

export function node(type: string, id: string, extra: Partial<ResourceNode> = {}): ResourceNode {
  const accountId = extra.accountId ?? ACCT;
  const awsRegion = extra.awsRegion ?? REGION;
  return {
    key: key(type, id, accountId, awsRegion),
    accountId,
    awsRegion,
    resourceType: type,
    resourceId: id,
    status: 'OK',
    recorded: true,
    captureTime: '2026-03-02T00:30:00.000Z',
    tags: {},
    ...extra,
  };
}

export function edge(
  source: ResourceNode | string,
  target: ResourceNode | string,
  name: string,
  extra: Partial<GraphEdge> = {},
): GraphEdge {
  const s = typeof source === 'string' ? source : source.key;
  const t = typeof target === 'string' ? target : target.key;
  return {
    id: `${s}>${name}>${t}`,
    source: s,
    target: t,
    name,
    type: relationshipType(name),
    origin: 'config',
    validFrom: '2026-03-02T00:30:00.000Z',
    validTo: null,
    ...extra,
  };
}

export const vpc = node('AWS::EC2::VPC', 'vpc-1', { tags: { Name: 'main' } });
export const subnetA = node('AWS::EC2::Subnet', 'subnet-a', { availabilityZone: 'us-east-1a' });
export const subnetB = node('AWS::EC2::Subnet', 'subnet-b', { availabilityZone: 'us-east-1b' });
export const instance = node('AWS::EC2::Instance', 'i-1', { availabilityZone: 'us-east-1a', resourceName: 'web' });
export const eni = node('AWS::EC2::NetworkInterface', 'eni-1', { availabilityZone: 'us-east-1a' });
export const volume = node('AWS::EC2::Volume', 'vol-1', { availabilityZone: 'us-east-1a' });
export const sg = node('AWS::EC2::SecurityGroup', 'sg-1', { availabilityZone: 'Multiple Availability Zones' });
export const alb = node(
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1',
  {
    availabilityZone: 'Multiple Availability Zones',
  },
);
export const role = node('AWS::IAM::Role', 'AROA1', { awsRegion: 'global', resourceName: 'web-role' });

export const nodes = [vpc, subnetA, subnetB, instance, eni, volume, sg, alb, role];
export const edges = [
  edge(subnetA, vpc, 'Is contained in Vpc'),
  edge(subnetB, vpc, 'Is contained in Vpc'),
  edge(instance, subnetA, 'Is contained in Subnet'),
  edge(instance, vpc, 'Is contained in Vpc'),
  edge(instance, eni, 'Contains NetworkInterface'),
  edge(instance, volume, 'Is attached to Volume'),
  edge(instance, sg, 'Is associated with SecurityGroup'),
  edge(eni, subnetA, 'Is contained in Subnet'),
  edge(sg, vpc, 'Is contained in Vpc'),
  edge(alb, subnetA, 'Is associated with Subnet'),
  edge(alb, subnetB, 'Is associated with Subnet'),
  edge(alb, vpc, 'Is contained in Vpc'),
  edge(instance, role, 'Is associated with ', { origin: 'derived', rule: 'instance-profile-role' }),
];
