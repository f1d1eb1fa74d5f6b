// A small world shaped like real AWS Config: relationships recorded from both ends. The VPC, subnet,
// route table, network ACL, internet gateway, security group and volume of account 264683526309 are the
// public aws-config-rdk samples, unchanged (real data: the VPC "Contains Subnet" and the subnet "Is
// contained in Vpc"). The instances, their interfaces, a second subnet and a later version of the
// security group are built here with the relationships Config records for them today (issue 10).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigItem, GraphEdge, ResourceNode } from '../../graph/model.ts';
import { parseFileContent } from '../../graph/parse/index.ts';
import { relationshipType } from '../../graph/relationships.ts';
import { items } from './ci-builder.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SAMPLES = path.resolve(here, '../fixtures/aws-config-rdk/example_ci');

export const REAL = {
  account: '264683526309',
  region: 'us-east-1',
  vpc: 'vpc-0990dc6d',
  subnet: 'subnet-29428871',
  subnetC: 'subnet-32e85b44',
  routeTable: 'rtb-50b9b034',
  acl: 'acl-b48fd1d0',
  igw: 'igw-a5f227c1',
  sg: 'sg-1d56fc66',
  volume: 'vol-a416b170',
  /** Listed by the sample subnet and VPC. */
  instance: 'i-ebf3e058',
  eni: 'eni-70a4b7bf',
  eni2: 'eni-c09a049e',
  /** Listed by the sample VPC and volume. */
  instanceC: 'i-29e75b19',
  eniC: 'eni-49ec78b5',
} as const;

export const realKey = (type: string, id: string): string => `${REAL.account}|${REAL.region}|${type}|${id}`;

const SAMPLE_FILES = [
  'AWS_EC2_VPC.json',
  'AWS_EC2_Subnet.json',
  'AWS_EC2_RouteTable.json',
  'AWS_EC2_NetworkAcl.json',
  'AWS_EC2_InternetGateway.json',
  'AWS_EC2_SecurityGroup.json',
  'AWS_EC2_Volume.json',
];

/** The public samples of account 264683526309, through the real parser. */
export function sampleItems(): ConfigItem[] {
  return SAMPLE_FILES.flatMap((f) => {
    const r = parseFileContent(readFileSync(path.join(SAMPLES, f)), f);
    if (r.skipped.length) throw new Error(`sample ${f} was skipped: ${JSON.stringify(r.skipped)}`);
    return r.items;
  });
}

const T = '2016-11-01T10:00:00.000Z';
const base = { account: REAL.account, region: REAL.region, time: T };
const VPC = { type: 'AWS::EC2::VPC', id: REAL.vpc };

/** Hand-built CIs that record what real Config records today, from both ends. */
export function builtItems(): ConfigItem[] {
  return items(
    {
      ...base,
      type: 'AWS::EC2::Instance',
      id: REAL.instance,
      tags: { Name: 'web-1' },
      az: 'us-east-1a',
      rels: [
        { name: 'Contains NetworkInterface', type: 'AWS::EC2::NetworkInterface', id: REAL.eni },
        { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: REAL.subnet },
        { name: 'Is contained in Vpc', ...VPC },
        { name: 'Is associated with SecurityGroup', type: 'AWS::EC2::SecurityGroup', id: REAL.sg },
      ],
    },
    ...[REAL.eni, REAL.eni2].map((eni) => ({
      ...base,
      type: 'AWS::EC2::NetworkInterface',
      id: eni,
      az: 'us-east-1a',
      rels: [
        { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: REAL.subnet },
        { name: 'Is contained in Vpc', ...VPC },
        { name: 'Is associated with SecurityGroup', type: 'AWS::EC2::SecurityGroup', id: REAL.sg },
        ...(eni === REAL.eni
          ? [{ name: 'Is attached to Instance', type: 'AWS::EC2::Instance', id: REAL.instance }]
          : []),
      ],
    })),
    {
      ...base,
      type: 'AWS::EC2::SecurityGroup',
      id: REAL.sg,
      tags: { Name: 'web' },
      az: 'Not Applicable',
      rels: [
        { name: 'Is contained in Vpc', ...VPC },
        { name: 'Is associated with NetworkInterface', type: 'AWS::EC2::NetworkInterface', id: REAL.eni },
        { name: 'Is associated with NetworkInterface', type: 'AWS::EC2::NetworkInterface', id: REAL.eni2 },
        { name: 'Is associated with Instance', type: 'AWS::EC2::Instance', id: REAL.instance },
      ],
    },
    {
      ...base,
      type: 'AWS::EC2::Subnet',
      id: REAL.subnetC,
      az: 'us-east-1c',
      rels: [
        { name: 'Is contained in Vpc', ...VPC },
        { name: 'Contains Instance', type: 'AWS::EC2::Instance', id: REAL.instanceC },
        { name: 'Contains NetworkInterface', type: 'AWS::EC2::NetworkInterface', id: REAL.eniC },
      ],
    },
    {
      ...base,
      type: 'AWS::EC2::Instance',
      id: REAL.instanceC,
      tags: { Name: 'batch-1' },
      az: 'us-east-1c',
      rels: [
        { name: 'Contains NetworkInterface', type: 'AWS::EC2::NetworkInterface', id: REAL.eniC },
        { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: REAL.subnetC },
        { name: 'Is contained in Vpc', ...VPC },
        { name: 'Is attached to Volume', type: 'AWS::EC2::Volume', id: REAL.volume },
      ],
    },
    {
      ...base,
      type: 'AWS::EC2::NetworkInterface',
      id: REAL.eniC,
      az: 'us-east-1c',
      rels: [
        { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: REAL.subnetC },
        { name: 'Is contained in Vpc', ...VPC },
        { name: 'Is attached to Instance', type: 'AWS::EC2::Instance', id: REAL.instanceC },
      ],
    },
  );
}

/** Every CI of the small world: the samples, then the built ones. */
export function bothEndsItems(): ConfigItem[] {
  return [...sampleItems(), ...builtItems()];
}

/**
 * The latest state of a list of CIs as nodes and edges, read simply (for pure tests of drawing rules;
 * the stores are tested elsewhere): the latest CI per resource, one edge per relationship, targets in
 * the source's account and region, placeholders for targets no CI describes.
 */
export function graphOfItems(list: ConfigItem[]): { nodes: ResourceNode[]; edges: GraphEdge[] } {
  const latest = new Map<string, ConfigItem>();
  const keyOf = (i: { accountId: string; awsRegion: string; resourceType: string; resourceId: string }) =>
    `${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`;
  for (const i of list) {
    const k = keyOf(i);
    const prev = latest.get(k);
    if (!prev || prev.captureTime <= i.captureTime) latest.set(k, i);
  }
  const nodes = new Map<string, ResourceNode>();
  for (const [k, i] of latest) {
    const n: ResourceNode = {
      key: k,
      accountId: i.accountId,
      awsRegion: i.awsRegion,
      resourceType: i.resourceType,
      resourceId: i.resourceId,
      status: i.status,
      recorded: true,
      captureTime: i.captureTime,
      tags: i.tags ?? {},
    };
    if (i.availabilityZone) n.availabilityZone = i.availabilityZone;
    const name = i.resourceName ?? i.tags?.['Name'];
    if (name) n.resourceName = name;
    nodes.set(k, n);
  }
  const edges: GraphEdge[] = [];
  for (const [k, i] of latest) {
    for (const r of i.relationships ?? []) {
      const target = `${i.accountId}|${i.awsRegion}|${r.resourceType}|${r.resourceId ?? r.resourceName ?? ''}`;
      if (!nodes.has(target)) {
        nodes.set(target, {
          key: target,
          accountId: i.accountId,
          awsRegion: i.awsRegion,
          resourceType: r.resourceType,
          resourceId: r.resourceId ?? r.resourceName ?? '',
          status: 'NotRecorded',
          recorded: false,
          tags: {},
        });
      }
      edges.push({
        id: `${k}>${r.name}>${target}`,
        source: k,
        target,
        name: r.name,
        type: relationshipType(r.name),
        origin: r.origin,
        validFrom: i.captureTime,
        validTo: null,
      });
    }
  }
  return { nodes: [...nodes.values()], edges };
}
