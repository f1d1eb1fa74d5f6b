// A synthetic companion to the public rdk samples of account 264683526309 (test/config-shaped):
// the samples hold that account's VPC vpc-0990dc6d, its subnet subnet-29428871, route table, network ACL,
// security group, gateways and a load balancer, but no instance. The subnet and the VPC list instance
// i-ebf3e058 and its interface eni-70a4b7bf; this makes, with the generator and a fixed seed, the CIs
// those two would have (plus a root volume and an Elastic IP, synthetic ids) so an instance's full
// attachments can be shown on real-shaped data. SYNTHETIC: nothing here was recorded by AWS.
import { World } from './world.ts';
import { createEip, createSecurityGroup, createSubnet, createVpc, type Place } from './network.ts';
import { createInstance } from './compute.ts';
import { toS3Item } from './wire.ts';
import type { ApiConfigItem, S3ConfigItem } from './types.ts';

export const RDK_COMPANION = {
  seed: 'configgraph-rdk-companion',
  accountId: '264683526309',
  region: 'us-east-1',
  vpcId: 'vpc-0990dc6d',
  subnetId: 'subnet-29428871',
  securityGroupId: 'sg-1d56fc66',
  instanceId: 'i-ebf3e058',
  networkInterfaceId: 'eni-70a4b7bf',
  /** Synthetic ids (not in any sample). */
  volumeId: 'vol-0c0ffee000000a001',
  elasticIpAllocationId: 'eipalloc-0c0ffee000000e001',
  /** Just after the subnet's sample CI (2016-10-28T00:41:33.513Z), which already lists the instance. */
  capturedAt: '2016-10-28T00:41:40.000Z',
} as const;

/** The companion's CIs in the API spelling (instance, interface, volume, Elastic IP). */
export function rdkCompanionItems(): ApiConfigItem[] {
  const c = RDK_COMPANION;
  const at = Date.parse(c.capturedAt);
  const world = new World(c.seed, at, at + 60_000);
  const place: Place = { accountId: c.accountId, region: c.region };
  const created = Date.parse('2016-09-24T17:40:00.000Z');
  // The VPC, subnet and group as the samples describe them: used for ids and zones, never captured here.
  const vpc = createVpc(world, place, { id: c.vpcId, cidr: '172.31.0.0/16', name: 'default', createdAt: created });
  const subnet = createSubnet(world, place, {
    id: c.subnetId,
    vpc,
    cidr: '172.31.16.0/20',
    az: 'us-east-1a',
    public: true,
    name: 'default-a',
    createdAt: created,
  });
  const sg = createSecurityGroup(world, place, {
    id: c.securityGroupId,
    vpc,
    groupName: 'sample-group',
    description: 'sample group',
    ingress: [],
    createdAt: created,
  });
  const privateIp = '172.31.20.17';
  const publicIp = '54.210.6.18';
  const b = createInstance(world, place, {
    id: c.instanceId,
    eniId: c.networkInterfaceId,
    subnet,
    securityGroups: [sg],
    name: 'web-companion',
    instanceType: 't2.micro',
    privateIp,
    publicIp,
    volumes: [{ id: c.volumeId, device: '/dev/xvda', sizeGiB: 8, root: true }],
    createdAt: Date.parse('2016-10-27T22:10:00.000Z'),
  });
  const eip = createEip(world, place, {
    id: c.elasticIpAllocationId,
    publicIp,
    createdAt: Date.parse('2016-10-27T22:12:00.000Z'),
    instanceId: c.instanceId,
    networkInterfaceId: c.networkInterfaceId,
    privateIp,
  });
  [b.instance, b.eni, ...b.volumes, eip].forEach((r, i) => world.capture(r, at + i * 1000));
  return world.items;
}

/**
 * The companion in the S3 delivery spelling (configuration as objects, relationship key `name`), as
 * one ConfigHistory-shaped file. Not a ConfigSnapshot: a snapshot lists every resource of its account
 * and region, so importing one with only these four would mark the real samples deleted.
 */
export function rdkCompanionFile(): { fileVersion: string; configurationItems: S3ConfigItem[] } {
  return { fileVersion: '1.0', configurationItems: rdkCompanionItems().map(toS3Item) };
}
