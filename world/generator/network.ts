// VPC-level networking resources: VPC, subnets, internet and NAT gateways, route tables,
// network ACLs, security groups and Elastic IPs, with configurations shaped like the real
// samples in ../shared/samples/aws-config-rdk/example_ci. Each resource lists the relationships it
// can read from its own configuration; the World adds those Config records from the other end
// (a VPC's "Contains Subnet", a subnet's "Is attached to NetworkAcl"...: see recorded.ts).
import { World, iso, rel, sortRelationships, tagList, type Resource } from './world.ts';

export { sortRelationships };
import type { ApiRelationship } from './types.ts';

export const EC2 = {
  VPC: 'AWS::EC2::VPC',
  VPCEndpoint: 'AWS::EC2::VPCEndpoint',
  VPCPeeringConnection: 'AWS::EC2::VPCPeeringConnection',
  Subnet: 'AWS::EC2::Subnet',
  InternetGateway: 'AWS::EC2::InternetGateway',
  VPNGateway: 'AWS::EC2::VPNGateway',
  NatGateway: 'AWS::EC2::NatGateway',
  RouteTable: 'AWS::EC2::RouteTable',
  NetworkAcl: 'AWS::EC2::NetworkAcl',
  SecurityGroup: 'AWS::EC2::SecurityGroup',
  EIP: 'AWS::EC2::EIP',
  Instance: 'AWS::EC2::Instance',
  NetworkInterface: 'AWS::EC2::NetworkInterface',
  Volume: 'AWS::EC2::Volume',
} as const;

export interface Place {
  accountId: string;
  region: string;
}

export const ec2Arn = (p: Place, kind: string, id: string): string =>
  `arn:aws:ec2:${p.region}:${p.accountId}:${kind}/${id}`;

interface NewResource {
  type: string;
  id: string;
  name?: string;
  place: Place;
  availabilityZone: string;
  arn: string;
  createdAt: number;
  tags?: Record<string, string>;
  config: Record<string, unknown>;
  supplementary?: Record<string, unknown>;
  relationships: (world: World, self: Resource) => ApiRelationship[];
}

export function makeResource(world: World, spec: NewResource): Resource {
  return world.add({
    type: spec.type,
    id: spec.id,
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    accountId: spec.place.accountId,
    region: spec.place.region,
    availabilityZone: spec.availabilityZone,
    arn: spec.arn,
    createdAt: spec.createdAt,
    tags: spec.tags ?? {},
    config: spec.config,
    supplementary: spec.supplementary ?? {},
    relationships: spec.relationships,
    deleted: false,
    lastCapture: 0,
    pinned: false,
  });
}

/** Set (or with undefined, remove) a tag on both the CI's tags and the configuration's tag list. */
export function setTag(r: Resource, key: string, value: string | undefined): void {
  if (value === undefined) delete r.tags[key];
  else r.tags[key] = value;
  const listKey = 'tagSet' in r.config ? 'tagSet' : 'tags';
  if (Array.isArray(r.config[listKey])) r.config[listKey] = tagList(r.tags);
}

const cfg = (r: Resource): Record<string, unknown> => r.config;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function createVpc(
  world: World,
  p: Place,
  o: { id: string; cidr: string; name: string; createdAt: number },
): Resource {
  const tags = { Name: o.name };
  return makeResource(world, {
    type: EC2.VPC,
    id: o.id,
    place: p,
    availabilityZone: 'Multiple Availability Zones',
    arn: ec2Arn(p, 'vpc', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      vpcId: o.id,
      state: 'available',
      cidrBlock: o.cidr,
      dhcpOptionsId: `dopt-${world.rng.hex(8)}`,
      tags: tagList(tags),
      instanceTenancy: 'default',
      isDefault: false,
    },
    relationships: () => [],
  });
}

export function createSubnet(
  world: World,
  p: Place,
  o: { id: string; vpc: Resource; cidr: string; az: string; public: boolean; name: string; createdAt: number },
): Resource {
  const tags = { Name: o.name, Tier: o.public ? 'public' : 'private' };
  return makeResource(world, {
    type: EC2.Subnet,
    id: o.id,
    place: p,
    availabilityZone: o.az,
    arn: ec2Arn(p, 'subnet', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      subnetId: o.id,
      state: 'available',
      vpcId: o.vpc.id,
      cidrBlock: o.cidr,
      availableIpAddressCount: 251,
      availabilityZone: o.az,
      defaultForAz: false,
      mapPublicIpOnLaunch: o.public,
      tags: tagList(tags),
    },
    relationships: (_w, self) => [rel('Is contained in Vpc', EC2.VPC, str(cfg(self).vpcId))],
  });
}

export function createInternetGateway(
  world: World,
  p: Place,
  o: { id: string; vpc: Resource; createdAt: number },
): Resource {
  const tags = { Name: `${o.vpc.tags.Name ?? o.vpc.id}-igw` };
  return makeResource(world, {
    type: EC2.InternetGateway,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'internet-gateway', o.id),
    createdAt: o.createdAt,
    tags,
    config: { internetGatewayId: o.id, attachments: [{ vpcId: o.vpc.id, state: 'available' }], tags: tagList(tags) },
    relationships: (_w, self) =>
      (cfg(self).attachments as { vpcId: string }[]).map((a) => rel('Is attached to Vpc', EC2.VPC, a.vpcId)),
  });
}

export function createEip(
  world: World,
  p: Place,
  o: {
    id: string;
    publicIp: string;
    createdAt: number;
    instanceId?: string;
    networkInterfaceId?: string;
    privateIp?: string;
  },
): Resource {
  return makeResource(world, {
    type: EC2.EIP,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'elastic-ip', o.id),
    createdAt: o.createdAt,
    config: {
      publicIp: o.publicIp,
      allocationId: o.id,
      domain: 'vpc',
      ...(o.instanceId ? { instanceId: o.instanceId } : {}),
      ...(o.networkInterfaceId
        ? {
            associationId: `eipassoc-${world.rng.hex(17)}`,
            networkInterfaceId: o.networkInterfaceId,
            networkInterfaceOwnerId: p.accountId,
            privateIpAddress: o.privateIp,
          }
        : {}),
    },
    relationships: (_w, self) => {
      const c = cfg(self);
      const out: ApiRelationship[] = [];
      if (typeof c.instanceId === 'string') out.push(rel('Is attached to Instance', EC2.Instance, c.instanceId));
      if (typeof c.networkInterfaceId === 'string')
        out.push(rel('Is attached to NetworkInterface', EC2.NetworkInterface, c.networkInterfaceId));
      return out;
    },
  });
}

export function createNatGateway(
  world: World,
  p: Place,
  o: {
    id: string;
    vpc: Resource;
    subnet: Resource;
    eipAllocationId: string;
    eniId: string;
    privateIp: string;
    createdAt: number;
  },
): Resource {
  const tags = { Name: `${o.vpc.tags.Name ?? o.vpc.id}-nat` };
  return makeResource(world, {
    type: EC2.NatGateway,
    id: o.id,
    place: p,
    availabilityZone: o.subnet.availabilityZone,
    arn: ec2Arn(p, 'natgateway', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      createTime: o.createdAt,
      natGatewayAddresses: [{ allocationId: o.eipAllocationId, networkInterfaceId: o.eniId, privateIp: o.privateIp }],
      natGatewayId: o.id,
      state: 'available',
      subnetId: o.subnet.id,
      vpcId: o.vpc.id,
      tags: tagList(tags),
      connectivityType: 'public',
    },
    // The bare "Is contained in " style (trailing space) is what Config uses for NAT gateways.
    relationships: (_w, self) =>
      sortRelationships([
        rel('Is contained in ', EC2.VPC, str(cfg(self).vpcId)),
        rel('Is contained in ', EC2.Subnet, str(cfg(self).subnetId)),
      ]),
  });
}

export interface Route {
  destinationCidrBlock: string;
  gatewayId?: string;
  natGatewayId?: string;
  state: string;
  origin: string;
}

export function createRouteTable(
  world: World,
  p: Place,
  o: {
    id: string;
    vpc: Resource;
    subnets: Resource[];
    routes: Route[];
    name: string;
    main: boolean;
    createdAt: number;
  },
): Resource {
  const tags = { Name: o.name };
  const associations: Record<string, unknown>[] = o.subnets.map((s) => ({
    routeTableAssociationId: `rtbassoc-${world.rng.hex(17)}`,
    routeTableId: o.id,
    subnetId: s.id,
    main: false,
  }));
  if (o.main)
    associations.unshift({ routeTableAssociationId: `rtbassoc-${world.rng.hex(17)}`, routeTableId: o.id, main: true });
  return makeResource(world, {
    type: EC2.RouteTable,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'route-table', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      routeTableId: o.id,
      vpcId: o.vpc.id,
      routes: [
        {
          destinationCidrBlock: String(o.vpc.config.cidrBlock),
          gatewayId: 'local',
          state: 'active',
          origin: 'CreateRouteTable',
        },
        ...o.routes,
      ],
      associations,
      tags: tagList(tags),
      propagatingVgws: [],
    },
    // Routes to gateways are NOT Config relationships: the graph derives them from `routes`. Only
    // explicit subnet associations are: a main table's implicit ones are not (as in the sample rtb-50b9b034).
    relationships: (_w, self) => {
      const c = cfg(self);
      const out = [rel('Is contained in Vpc', EC2.VPC, str(c.vpcId))];
      for (const a of c.associations as { subnetId?: string }[])
        if (a.subnetId) out.push(rel('Contains Subnet', EC2.Subnet, a.subnetId));
      return sortRelationships(out);
    },
  });
}

export function createNetworkAcl(
  world: World,
  p: Place,
  o: { id: string; vpc: Resource; subnets: Resource[]; createdAt: number },
): Resource {
  const entry = (ruleNumber: number, egress: boolean, ruleAction: string) => ({
    ruleNumber,
    protocol: '-1',
    ruleAction,
    egress,
    cidrBlock: '0.0.0.0/0',
  });
  return makeResource(world, {
    type: EC2.NetworkAcl,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'network-acl', o.id),
    createdAt: o.createdAt,
    config: {
      networkAclId: o.id,
      vpcId: o.vpc.id,
      isDefault: true,
      entries: [
        entry(100, true, 'allow'),
        entry(32767, true, 'deny'),
        entry(100, false, 'allow'),
        entry(32767, false, 'deny'),
      ],
      associations: o.subnets.map((s) => ({
        networkAclAssociationId: `aclassoc-${world.rng.hex(8)}`,
        networkAclId: o.id,
        subnetId: s.id,
      })),
      tags: [],
    },
    relationships: (_w, self) => {
      const c = cfg(self);
      const out = (c.associations as { subnetId: string }[]).map((a) =>
        rel('Is attached to Subnet', EC2.Subnet, a.subnetId),
      );
      out.push(rel('Is contained in Vpc', EC2.VPC, str(c.vpcId)));
      return sortRelationships(out);
    },
  });
}

export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  userIdGroupPairs: { userId: string; groupId: string }[];
  ipRanges: string[];
  prefixListIds: string[];
}

export function permission(
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  ranges: string[],
  groups: { userId: string; groupId: string }[] = [],
): IpPermission {
  return {
    ipProtocol: protocol,
    ...(from !== undefined ? { fromPort: from } : {}),
    ...(to !== undefined ? { toPort: to } : {}),
    userIdGroupPairs: groups,
    ipRanges: ranges,
    prefixListIds: [],
  };
}

export function createSecurityGroup(
  world: World,
  p: Place,
  o: {
    id: string;
    vpc: Resource;
    groupName: string;
    description: string;
    ingress: IpPermission[];
    tags?: Record<string, string>;
    createdAt: number;
  },
): Resource {
  const tags = o.tags ?? {};
  return makeResource(world, {
    type: EC2.SecurityGroup,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'security-group', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      ownerId: p.accountId,
      groupName: o.groupName,
      groupId: o.id,
      description: o.description,
      ipPermissions: o.ingress,
      ipPermissionsEgress: [permission('-1', undefined, undefined, ['0.0.0.0/0'])],
      vpcId: o.vpc.id,
      tags: tagList(tags),
    },
    // SG-to-SG references in userIdGroupPairs are not Config relationships (the graph derives them).
    relationships: (_w, self) => [rel('Is contained in Vpc', EC2.VPC, str(cfg(self).vpcId))],
  });
}

/** A gateway endpoint (in route tables) or an interface endpoint (an ENI in each subnet). */
export function createVpcEndpoint(
  world: World,
  p: Place,
  o: {
    id: string;
    vpc: Resource;
    service: string;
    type: 'Gateway' | 'Interface';
    routeTables?: Resource[];
    subnets?: Resource[];
    networkInterfaceIds?: string[];
    securityGroups?: Resource[];
    createdAt: number;
  },
): Resource {
  const serviceName = `com.amazonaws.${p.region}.${o.service}`;
  return makeResource(world, {
    type: EC2.VPCEndpoint,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'vpc-endpoint', o.id),
    createdAt: o.createdAt,
    tags: {},
    config: {
      vpcEndpointId: o.id,
      vpcEndpointType: o.type,
      vpcId: o.vpc.id,
      serviceName,
      state: 'available',
      policyDocument: JSON.stringify({
        Version: '2008-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
      }),
      routeTableIds: (o.routeTables ?? []).map((r) => r.id),
      subnetIds: (o.subnets ?? []).map((s) => s.id),
      groups: (o.securityGroups ?? []).map((g) => ({ groupId: g.id, groupName: String(g.config.groupName) })),
      privateDnsEnabled: o.type === 'Interface',
      requesterManaged: false,
      networkInterfaceIds: o.networkInterfaceIds ?? [],
      dnsEntries: [],
      creationTimestamp: iso(o.createdAt),
      ownerId: p.accountId,
      tags: [],
    },
    // Recorded from the endpoint's end only, in the bare style (type only in resourceType).
    relationships: (_w, self) => {
      const c = cfg(self);
      const out: ApiRelationship[] = [rel('Is contained in ', EC2.VPC, str(c.vpcId))];
      for (const s of c.subnetIds as string[]) out.push(rel('Is contained in ', EC2.Subnet, s));
      for (const r of c.routeTableIds as string[]) out.push(rel('Is contained in ', EC2.RouteTable, r));
      for (const n of c.networkInterfaceIds as string[]) out.push(rel('Is attached to ', EC2.NetworkInterface, n));
      return sortRelationships(out);
    },
  });
}

export interface PeerVpc {
  vpcId: string;
  cidr: string;
  ownerId: string;
  region: string;
}

/** A peering connection; Config lists both VPCs on the peering's CI only ("Is associated with "). */
export function createVpcPeering(
  world: World,
  p: Place,
  o: { id: string; requester: PeerVpc; accepter: PeerVpc; name: string; createdAt: number },
): Resource {
  const info = (v: PeerVpc) => ({
    cidrBlock: v.cidr,
    ipv6CidrBlockSet: [],
    cidrBlockSet: [{ cidrBlock: v.cidr }],
    ownerId: v.ownerId,
    peeringOptions: {
      allowDnsResolutionFromRemoteVpc: false,
      allowEgressFromLocalClassicLinkToRemoteVpc: false,
      allowEgressFromLocalVpcToRemoteClassicLink: false,
    },
    vpcId: v.vpcId,
    region: v.region,
  });
  const tags = { Name: o.name };
  return makeResource(world, {
    type: EC2.VPCPeeringConnection,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'vpc-peering-connection', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      accepterVpcInfo: info(o.accepter),
      requesterVpcInfo: info(o.requester),
      status: { code: 'active', message: 'Active' },
      tags: tagList(tags),
      vpcPeeringConnectionId: o.id,
    },
    relationships: (_w, self) => {
      const c = cfg(self) as { accepterVpcInfo: PeerVpc; requesterVpcInfo: PeerVpc };
      return sortRelationships([
        rel('Is associated with ', EC2.VPC, c.accepterVpcInfo.vpcId),
        rel('Is associated with ', EC2.VPC, c.requesterVpcInfo.vpcId),
      ]);
    },
  });
}

/** A virtual private gateway attached to a VPC (the VPC lists it too: "Is attached to VpnGateway"). */
export function createVpnGateway(
  world: World,
  p: Place,
  o: { id: string; vpc: Resource; name: string; createdAt: number },
): Resource {
  const tags = { Name: o.name };
  return makeResource(world, {
    type: EC2.VPNGateway,
    id: o.id,
    place: p,
    availabilityZone: 'Not Applicable',
    arn: ec2Arn(p, 'vpn-gateway', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      vpnGatewayId: o.id,
      state: 'available',
      type: 'ipsec.1',
      vpcAttachments: [{ vpcId: o.vpc.id, state: 'attached' }],
      tags: tagList(tags),
    },
    relationships: (_w, self) =>
      (cfg(self).vpcAttachments as { vpcId: string; state: string }[])
        .filter((a) => a.state === 'attached')
        .map((a) => rel('Is attached to Vpc', EC2.VPC, a.vpcId)),
  });
}
