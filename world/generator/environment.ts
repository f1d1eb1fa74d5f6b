// Lays out a coherent multi-account, multi-region estate: per account IAM roles and policies,
// per region S3 buckets and VPCs, per VPC subnets across AZs, gateways, route tables, a network
// ACL, security groups that reference each other, instances, and optionally ALB, RDS and Lambda.
import { World, type Resource } from './world.ts';
import {
  createEip,
  createInternetGateway,
  createNatGateway,
  createNetworkAcl,
  createRouteTable,
  createSecurityGroup,
  createSubnet,
  createVpc,
  createVpcEndpoint,
  createVpcPeering,
  permission,
  type Place,
} from './network.ts';
import { createInstance, createNetworkInterface, publicIp, type InstanceBundle, type VolumeSpec } from './compute.ts';
import {
  createBucket,
  createDbInstance,
  createDbSubnetGroup,
  createIamPolicy,
  createIamRole,
  createLambda,
  createLoadBalancer,
} from './services.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface SecurityGroups {
  default: Resource;
  web: Resource;
  app: Resource;
  db: Resource;
  bastion: Resource;
}

export interface VpcSite {
  place: Place;
  env: string;
  vpc: Resource;
  /** Second octet of the VPC's 10.x.0.0/16. */
  octet: number;
  subnets: Resource[];
  publicSubnets: Resource[];
  privateSubnets: Resource[];
  securityGroups: SecurityGroups;
  instances: InstanceBundle[];
  other: Resource[];
}

export interface AccountSite {
  accountId: string;
  lambdaRole: Resource;
  ec2Role: Resource;
  policies: Resource[];
  regions: { region: string; vpcs: VpcSite[]; buckets: Resource[] }[];
}

export interface Layout {
  world: World;
  accounts: AccountSite[];
  /** Next free host number per subnet id, for private IPs. */
  nextHost: Map<string, number>;
}

const ENVS = ['prod', 'staging', 'dev', 'shared', 'data', 'edge', 'batch', 'ml'];
const INSTANCE_TYPES = ['t3.micro', 't3.small', 't3.medium', 'm6i.large', 'c6i.xlarge', 'r6i.large'];

/** A creation time some days before discovery, so resources look long-lived. */
export function pastCreation(world: World): number {
  return world.start - world.rng.int(3, 400) * DAY - world.rng.int(0, DAY - 1);
}

/** Discovery time: the recorder's first sweep, within the first two hours. */
export function discoveryTime(world: World): number {
  return world.start + world.rng.int(0, 2 * HOUR);
}

export function nextPrivateIp(layout: Layout, subnet: Resource): string {
  const n = layout.nextHost.get(subnet.id) ?? 10;
  layout.nextHost.set(subnet.id, n + 1);
  const [a, b, c] = String(subnet.config.cidrBlock).split('.');
  // Past 250 hosts, spill into the next /24 (synthetic data: overlap with a neighbour is harmless).
  return `${a}.${b}.${(Number(c) + Math.floor(n / 250)) % 256}.${(n % 250) + 4}`;
}

export function volumeSpecs(world: World): VolumeSpec[] {
  const out: VolumeSpec[] = [
    { id: `vol-${world.rng.hex(17)}`, device: '/dev/xvda', sizeGiB: world.rng.pick([8, 16, 30]), root: true },
  ];
  if (world.rng.chance(0.4))
    out.push({ id: `vol-${world.rng.hex(17)}`, device: '/dev/sdf', sizeGiB: world.rng.pick([50, 100, 200, 500]) });
  return out;
}

/** A new instance (with ENI and volumes) in a subnet; the caller captures it. */
export function addInstance(
  layout: Layout,
  site: VpcSite,
  subnet: Resource,
  createdAt: number,
  index: number,
  /** Give a public-subnet instance an Elastic IP (and the bastion group) whatever the dice say. */
  withElasticIp = false,
): InstanceBundle {
  const { world } = layout;
  const isPublic = site.publicSubnets.includes(subnet);
  const sgs = isPublic ? [site.securityGroups.web] : [site.securityGroups.app];
  if (world.rng.chance(0.2) || withElasticIp) sgs.push(site.securityGroups.bastion);
  const address = isPublic && (world.rng.chance(0.6) || withElasticIp) ? publicIp(world) : undefined;
  const withEip = address !== undefined && (world.rng.chance(0.3) || withElasticIp);
  const privateIp = nextPrivateIp(layout, subnet);
  const bundle: InstanceBundle = createInstance(world, site.place, {
    id: `i-${world.rng.hex(17)}`,
    eniId: `eni-${world.rng.hex(17)}`,
    subnet,
    securityGroups: sgs,
    name: `${site.env}-${isPublic ? 'web' : 'app'}-${String(index).padStart(2, '0')}`,
    instanceType: world.rng.pick(INSTANCE_TYPES),
    privateIp,
    ...(address !== undefined ? { publicIp: address } : {}),
    volumes: volumeSpecs(world),
    createdAt,
    tags: { Environment: site.env, Owner: world.rng.pick(['platform', 'payments', 'search', 'data-eng']) },
  });
  if (withEip && address !== undefined)
    bundle.eip = createEip(world, site.place, {
      id: `eipalloc-${world.rng.hex(17)}`,
      publicIp: address,
      createdAt: createdAt + 60_000,
      instanceId: bundle.instance.id,
      networkInterfaceId: bundle.eni.id,
      privateIp,
    });
  site.instances.push(bundle);
  return bundle;
}

export function buildVpcSite(
  layout: Layout,
  place: Place,
  env: string,
  octet: number,
  subnetsPerVpc: number,
  instancesPerSubnet: number,
  services: boolean,
): VpcSite {
  const { world } = layout;
  const rng = world.rng;
  const created = pastCreation(world);
  const vpc = createVpc(world, place, {
    id: `vpc-${rng.hex(17)}`,
    cidr: `10.${octet}.0.0/16`,
    name: `${env}-vpc`,
    createdAt: created,
  });
  const azs = ['a', 'b', 'c'].map((s) => `${place.region}${s}`);
  const subnets: Resource[] = [];
  const publicSubnets: Resource[] = [];
  const privateSubnets: Resource[] = [];
  for (let k = 0; k < subnetsPerVpc; k++) {
    const isPublic = k % 2 === 0;
    const az = azs[Math.floor(k / 2) % azs.length]!;
    const s = createSubnet(world, place, {
      id: `subnet-${rng.hex(17)}`,
      vpc,
      cidr: `10.${octet}.${k}.0/24`,
      az,
      public: isPublic,
      name: `${env}-${isPublic ? 'public' : 'private'}-${az.slice(-1)}${Math.floor(k / 6) || ''}`,
      createdAt: created + HOUR,
    });
    subnets.push(s);
    (isPublic ? publicSubnets : privateSubnets).push(s);
  }
  const other: Resource[] = [];
  const igw = createInternetGateway(world, place, { id: `igw-${rng.hex(17)}`, vpc, createdAt: created + HOUR });
  other.push(igw);
  let natId: string | undefined;
  const natSubnet = publicSubnets[0];
  if (privateSubnets.length > 0 && natSubnet) {
    natId = `nat-${rng.hex(17)}`;
    const eniId = `eni-${rng.hex(17)}`;
    const allocationId = `eipalloc-${rng.hex(17)}`;
    const natIp = `10.${octet}.0.${rng.int(200, 250)}`;
    other.push(
      createEip(world, place, {
        id: allocationId,
        publicIp: publicIp(world),
        createdAt: created + HOUR,
        networkInterfaceId: eniId,
        privateIp: natIp,
      }),
      createNetworkInterface(world, place, {
        id: eniId,
        subnet: natSubnet,
        securityGroups: [],
        privateIp: natIp,
        description: `Interface for NAT Gateway ${natId}`,
        createdAt: created + HOUR,
        interfaceType: 'nat_gateway',
        requesterManaged: true,
        attachment: { attachmentId: `ela-attach-${rng.hex(17)}`, deviceIndex: 1 },
      }),
      createNatGateway(world, place, {
        id: natId,
        vpc,
        subnet: natSubnet,
        eipAllocationId: allocationId,
        eniId,
        privateIp: natIp,
        createdAt: created + HOUR,
      }),
    );
  }
  const routeTables: Resource[] = [];
  routeTables.push(
    createRouteTable(world, place, {
      id: `rtb-${rng.hex(17)}`,
      vpc,
      subnets: publicSubnets,
      routes: [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id, state: 'active', origin: 'CreateRoute' }],
      name: `${env}-public-rt`,
      main: false,
      createdAt: created + HOUR,
    }),
  );
  if (natId)
    routeTables.push(
      createRouteTable(world, place, {
        id: `rtb-${rng.hex(17)}`,
        vpc,
        subnets: privateSubnets,
        routes: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: natId, state: 'active', origin: 'CreateRoute' }],
        name: `${env}-private-rt`,
        main: true,
        createdAt: created + HOUR,
      }),
    );
  other.push(...routeTables);
  other.push(createNetworkAcl(world, place, { id: `acl-${rng.hex(17)}`, vpc, subnets, createdAt: created }));

  const owner = place.accountId;
  const sg = (groupName: string, description: string, tags: Record<string, string>) =>
    createSecurityGroup(world, place, {
      id: `sg-${rng.hex(17)}`,
      vpc,
      groupName,
      description,
      ingress: [],
      tags,
      createdAt: created + HOUR,
    });
  const securityGroups: SecurityGroups = {
    default: sg('default', 'default VPC security group', {}),
    web: sg(`${env}-web`, 'HTTP(S) from the internet', { Name: `${env}-web`, Environment: env }),
    app: sg(`${env}-app`, 'app tier, reachable from web', { Name: `${env}-app`, Environment: env }),
    db: sg(`${env}-db`, 'database, reachable from app', { Name: `${env}-db`, Environment: env }),
    bastion: sg(`${env}-bastion`, 'SSH from the corporate range', { Name: `${env}-bastion`, Environment: env }),
  };
  const pair = (r: Resource) => [{ userId: owner, groupId: r.id }];
  securityGroups.default.config.ipPermissions = [
    permission('-1', undefined, undefined, [], pair(securityGroups.default)),
  ];
  securityGroups.web.config.ipPermissions = [
    permission('tcp', 443, 443, ['0.0.0.0/0']),
    permission('tcp', 80, 80, ['0.0.0.0/0']),
  ];
  securityGroups.app.config.ipPermissions = [permission('tcp', 8080, 8080, [], pair(securityGroups.web))];
  securityGroups.db.config.ipPermissions = [permission('tcp', 5432, 5432, [], pair(securityGroups.app))];
  securityGroups.bastion.config.ipPermissions = [permission('tcp', 22, 22, ['10.0.0.0/8'])];
  other.push(...(Object.values(securityGroups) as typeof other));

  // An S3 gateway endpoint in every route table, and an interface endpoint (one ENI per zone) in the private subnets.
  other.push(
    createVpcEndpoint(world, place, {
      id: `vpce-${rng.hex(17)}`,
      vpc,
      service: 's3',
      type: 'Gateway',
      routeTables,
      createdAt: created + DAY,
    }),
  );
  const endpointSubnets = privateSubnets.filter(
    (s, k) => privateSubnets.findIndex((x) => x.availabilityZone === s.availabilityZone) === k,
  );
  if (endpointSubnets.length > 0) {
    const endpointId = `vpce-${rng.hex(17)}`;
    const enis = endpointSubnets.map((s) =>
      createNetworkInterface(world, place, {
        id: `eni-${rng.hex(17)}`,
        subnet: s,
        securityGroups: [securityGroups.app],
        privateIp: nextPrivateIp(layout, s),
        description: `VPC Endpoint Interface ${endpointId}`,
        createdAt: created + DAY,
        interfaceType: 'vpc_endpoint',
        requesterManaged: true,
      }),
    );
    other.push(
      ...enis,
      createVpcEndpoint(world, place, {
        id: endpointId,
        vpc,
        service: 'ssm',
        type: 'Interface',
        subnets: endpointSubnets,
        networkInterfaceIds: enis.map((e) => e.id),
        securityGroups: [securityGroups.app],
        createdAt: created + DAY,
      }),
    );
  }

  const site: VpcSite = {
    place,
    env,
    vpc,
    octet,
    subnets,
    publicSubnets,
    privateSubnets,
    securityGroups,
    instances: [],
    other,
  };
  let index = 1;
  for (const s of subnets)
    for (let i = 0; i < instancesPerSubnet; i++) addInstance(layout, site, s, pastCreation(world), index++);

  if (services) {
    const account = layout.accounts.find((a) => a.accountId === place.accountId);
    other.push(
      createLoadBalancer(world, place, {
        name: `${env}-alb-${rng.hex(4)}`,
        vpc,
        subnets: publicSubnets.slice(0, 3),
        securityGroups: [securityGroups.web],
        createdAt: created + DAY,
        tags: { Environment: env },
      }),
    );
    const dbSubnets = privateSubnets.length > 0 ? privateSubnets : subnets;
    const subnetGroup = createDbSubnetGroup(world, place, {
      name: `${env}-db-subnets-${rng.hex(4)}`,
      vpc,
      subnets: dbSubnets,
      createdAt: created + DAY,
    });
    other.push(
      subnetGroup,
      createDbInstance(world, place, {
        identifier: `${env}-postgres-${rng.hex(4)}`,
        subnetGroup,
        subnets: dbSubnets,
        securityGroups: [securityGroups.db],
        createdAt: created + DAY,
      }),
    );
    if (account)
      other.push(
        createLambda(world, place, {
          name: `${env}-worker-${rng.hex(6)}`,
          role: account.lambdaRole,
          subnets: dbSubnets.slice(0, 2),
          securityGroups: [securityGroups.app],
          createdAt: created + DAY,
          tags: { Environment: env },
        }),
      );
  }
  return site;
}

/**
 * A peering per region: the first two VPCs with each other, or a lone VPC with a partner account's
 * VPC that this recorder does not see (its end of the peering is then an unrecorded target).
 */
export function peerVpcs(world: World, vpcs: VpcSite[]): void {
  const [a, b] = vpcs;
  if (!a) return;
  const peer = (v: VpcSite) => ({
    vpcId: v.vpc.id,
    cidr: String(v.vpc.config.cidrBlock),
    ownerId: v.place.accountId,
    region: v.place.region,
  });
  const accepter = b
    ? peer(b)
    : {
        vpcId: `vpc-${world.rng.hex(17)}`,
        cidr: `172.${world.rng.int(16, 31)}.0.0/16`,
        ownerId: String(world.rng.int(100000, 999999)) + String(world.rng.int(100000, 999999)),
        region: a.place.region,
      };
  a.other.push(
    createVpcPeering(world, a.place, {
      id: `pcx-${world.rng.hex(17)}`,
      requester: peer(a),
      accepter,
      name: `${a.env}-to-${b ? b.env : 'partner'}`,
      createdAt: pastCreation(world),
    }),
  );
}

export function accountIds(world: World, accounts: string[] | number): string[] {
  if (Array.isArray(accounts)) return accounts;
  const out: string[] = [];
  for (let i = 0; i < accounts; i++)
    out.push(String(world.rng.int(100000, 999999)) + String(world.rng.int(100000, 999999)));
  return out;
}

export function buildAccountIam(
  world: World,
  accountId: string,
): Pick<AccountSite, 'lambdaRole' | 'ec2Role' | 'policies'> {
  const created = pastCreation(world);
  const logs = createIamPolicy(world, accountId, {
    name: 'app-logs-write',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    createdAt: created,
  });
  const s3 = createIamPolicy(world, accountId, {
    name: 'app-data-read',
    actions: ['s3:GetObject', 's3:ListBucket'],
    createdAt: created,
  });
  const vpcAccess = createIamPolicy(world, accountId, {
    name: 'lambda-vpc-access',
    actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
    createdAt: created,
  });
  return {
    policies: [logs, s3, vpcAccess],
    lambdaRole: createIamRole(world, accountId, {
      name: 'app-worker-lambda-role',
      service: 'lambda.amazonaws.com',
      policies: [logs, vpcAccess, s3],
      createdAt: created + DAY,
    }),
    ec2Role: createIamRole(world, accountId, {
      name: 'app-instance-role',
      service: 'ec2.amazonaws.com',
      policies: [logs, s3],
      createdAt: created + DAY,
    }),
  };
}

export function buildBuckets(world: World, place: Place, count: number): Resource[] {
  const out: Resource[] = [];
  for (let i = 0; i < count; i++)
    out.push(
      createBucket(world, place, {
        name: `${world.rng.pick(['logs', 'artifacts', 'backups', 'data', 'assets'])}-${place.accountId}-${place.region}-${world.rng.hex(6)}`,
        createdAt: pastCreation(world),
        tags: { Environment: world.rng.pick(ENVS) },
      }),
    );
  return out;
}

export { ENVS, DAY, HOUR };
