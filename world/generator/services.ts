// Regional services (ALB, RDS, Lambda, S3) and global IAM, shaped like the real samples.
// Lambda names its IAM role by resourceName only, and IAM lives in the "global" region.
import { World, iso, rel, type Resource } from './world.ts';
import { EC2, makeResource, sortRelationships, type Place } from './network.ts';
import type { ApiRelationship } from './types.ts';

export const SERVICE = {
  LoadBalancerV2: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  ClassicLoadBalancer: 'AWS::ElasticLoadBalancing::LoadBalancer',
  DBInstance: 'AWS::RDS::DBInstance',
  DBSubnetGroup: 'AWS::RDS::DBSubnetGroup',
  LambdaFunction: 'AWS::Lambda::Function',
  IamRole: 'AWS::IAM::Role',
  IamPolicy: 'AWS::IAM::Policy',
  S3Bucket: 'AWS::S3::Bucket',
} as const;

export function createLoadBalancer(
  world: World,
  p: Place,
  o: {
    name: string;
    vpc: Resource;
    subnets: Resource[];
    securityGroups: Resource[];
    createdAt: number;
    tags?: Record<string, string>;
  },
): Resource {
  const arn = `arn:aws:elasticloadbalancing:${p.region}:${p.accountId}:loadbalancer/app/${o.name}/${world.rng.hex(16)}`;
  const tags = o.tags ?? {};
  return makeResource(world, {
    type: SERVICE.LoadBalancerV2,
    id: arn,
    name: o.name,
    place: p,
    availabilityZone: 'Multiple Availability Zones',
    arn,
    createdAt: o.createdAt,
    tags,
    config: {
      loadBalancerArn: arn,
      dNSName: `${o.name}-${world.rng.int(100000000, 1999999999)}.${p.region}.elb.amazonaws.com`,
      canonicalHostedZoneId: `Z${world.rng.upperAlnum(13)}`,
      createdTime: iso(o.createdAt),
      loadBalancerName: o.name,
      scheme: 'internet-facing',
      vpcId: o.vpc.id,
      state: { code: 'active' },
      type: 'application',
      availabilityZones: o.subnets.map((s) => ({ zoneName: s.availabilityZone, subnetId: s.id })),
      securityGroups: o.securityGroups.map((s) => s.id),
    },
    supplementary: {
      LoadBalancerAttributes: [
        { key: 'access_logs.s3.enabled', value: 'false' },
        { key: 'idle_timeout.timeout_seconds', value: '60' },
        { key: 'deletion_protection.enabled', value: 'false' },
      ],
      Tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
    relationships: (_w, self) => {
      const c = self.config;
      const out: ApiRelationship[] = [];
      for (const sg of c.securityGroups as string[])
        out.push(rel('Is associated with SecurityGroup', EC2.SecurityGroup, sg));
      for (const z of c.availabilityZones as { subnetId: string }[])
        out.push(rel('Is attached to Subnet', EC2.Subnet, z.subnetId));
      out.push(rel('Is contained in Vpc', EC2.VPC, String(c.vpcId)));
      return sortRelationships(out);
    },
  });
}

const groupNameOf = (sg: Resource | undefined): string => {
  const name = sg?.config.groupName;
  return typeof name === 'string' ? name : 'default';
};

/** A classic load balancer: Config names its subnets, group and VPC in the bare style, from its end only. */
export function createClassicLoadBalancer(
  world: World,
  p: Place,
  o: { name: string; vpc: Resource; subnets: Resource[]; securityGroups: Resource[]; createdAt: number },
): Resource {
  const dns = `${o.name}-${world.rng.int(100000000, 1999999999)}.${p.region}.elb.amazonaws.com`;
  return makeResource(world, {
    type: SERVICE.ClassicLoadBalancer,
    id: o.name,
    name: o.name,
    place: p,
    availabilityZone: 'Multiple Availability Zones',
    arn: `arn:aws:elasticloadbalancing:${p.region}:${p.accountId}:loadbalancer/${o.name}`,
    createdAt: o.createdAt,
    config: {
      loadBalancerName: o.name,
      canonicalHostedZoneName: dns,
      canonicalHostedZoneNameID: `Z${world.rng.upperAlnum(13)}`,
      listenerDescriptions: [
        {
          listener: { protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80 },
          policyNames: [],
        },
      ],
      policies: { appCookieStickinessPolicies: [], otherPolicies: [], lbcookieStickinessPolicies: [] },
      backendServerDescriptions: [],
      availabilityZones: [...new Set(o.subnets.map((s) => s.availabilityZone))],
      subnets: o.subnets.map((s) => s.id),
      sourceSecurityGroup: { ownerAlias: p.accountId, groupName: groupNameOf(o.securityGroups[0]) },
      securityGroups: o.securityGroups.map((s) => s.id),
      createdTime: o.createdAt,
      scheme: 'internet-facing',
      dnsname: dns,
      vpcid: o.vpc.id,
    },
    supplementary: {
      LoadBalancerAttributes: {
        crossZoneLoadBalancing: { enabled: true },
        accessLog: { enabled: false },
        connectionDraining: { enabled: true, timeout: 300 },
        connectionSettings: { idleTimeout: 60 },
        additionalAttributes: [],
      },
      LoadBalancerPolicies: [],
      Tags: [],
    },
    relationships: (_w, self) => {
      const c = self.config;
      const out: ApiRelationship[] = [];
      for (const sg of c.securityGroups as string[]) out.push(rel('Is associated with ', EC2.SecurityGroup, sg));
      for (const s of c.subnets as string[]) out.push(rel('Is attached to ', EC2.Subnet, s));
      out.push(rel('Is contained in ', EC2.VPC, String(c.vpcid)));
      return sortRelationships(out);
    },
  });
}

const subnetGroupSubnets = (subnets: Resource[]) =>
  subnets.map((s) => ({
    subnetIdentifier: s.id,
    subnetAvailabilityZone: { name: s.availabilityZone },
    subnetStatus: 'Active',
  }));

export function createDbSubnetGroup(
  world: World,
  p: Place,
  o: { name: string; vpc: Resource; subnets: Resource[]; createdAt: number },
): Resource {
  return makeResource(world, {
    type: SERVICE.DBSubnetGroup,
    id: o.name,
    name: o.name,
    place: p,
    availabilityZone: 'Multiple Availability Zones',
    arn: `arn:aws:rds:${p.region}:${p.accountId}:subgrp:${o.name}`,
    createdAt: o.createdAt,
    config: {
      dBSubnetGroupName: o.name,
      dBSubnetGroupDescription: `${o.name} subnets`,
      vpcId: o.vpc.id,
      subnetGroupStatus: 'Complete',
      subnets: subnetGroupSubnets(o.subnets),
    },
    supplementary: { Tags: [] },
    relationships: (_w, self) => {
      const c = self.config;
      const out = (c.subnets as { subnetIdentifier: string }[]).map((s) =>
        rel('Is associated with Subnet', EC2.Subnet, s.subnetIdentifier),
      );
      out.push(rel('Is associated with Vpc', EC2.VPC, String(c.vpcId)));
      return sortRelationships(out);
    },
  });
}

export function createDbInstance(
  world: World,
  p: Place,
  o: { identifier: string; subnetGroup: Resource; subnets: Resource[]; securityGroups: Resource[]; createdAt: number },
): Resource {
  const resourceId = `db-${world.rng.upperAlnum(26)}`;
  const az = o.subnets[0]?.availabilityZone ?? `${p.region}a`;
  return makeResource(world, {
    type: SERVICE.DBInstance,
    id: resourceId,
    name: o.identifier,
    place: p,
    availabilityZone: 'Multiple Availability Zones',
    arn: `arn:aws:rds:${p.region}:${p.accountId}:db:${o.identifier}`,
    createdAt: o.createdAt,
    config: {
      dBInstanceIdentifier: o.identifier,
      dBInstanceClass: world.rng.pick(['db.t3.medium', 'db.r6g.large', 'db.m6g.large']),
      engine: 'postgres',
      dBInstanceStatus: 'available',
      masterUsername: 'app_admin',
      endpoint: { address: `${o.identifier}.${world.rng.hex(12)}.${p.region}.rds.amazonaws.com`, port: 5432 },
      allocatedStorage: 100,
      preferredBackupWindow: '03:00-03:30',
      backupRetentionPeriod: 7,
      dBSecurityGroups: [],
      vpcSecurityGroups: o.securityGroups.map((s) => ({ vpcSecurityGroupId: s.id, status: 'active' })),
      dBParameterGroups: [{ dBParameterGroupName: 'default.postgres15', parameterApplyStatus: 'in-sync' }],
      availabilityZone: az,
      dBSubnetGroup: {
        dBSubnetGroupName: o.subnetGroup.id,
        dBSubnetGroupDescription: String(o.subnetGroup.config.dBSubnetGroupDescription),
        vpcId: String(o.subnetGroup.config.vpcId),
        subnetGroupStatus: 'Complete',
        subnets: subnetGroupSubnets(o.subnets),
      },
      preferredMaintenanceWindow: 'sun:05:00-sun:05:30',
      pendingModifiedValues: {},
      multiAZ: true,
      engineVersion: '15.5',
      autoMinorVersionUpgrade: true,
      readReplicaDBInstanceIdentifiers: [],
      licenseModel: 'postgresql-license',
      optionGroupMemberships: [{ optionGroupName: 'default:postgres-15', status: 'in-sync' }],
      publiclyAccessible: false,
      statusInfos: [],
      storageType: 'gp3',
      dbInstancePort: 0,
      storageEncrypted: true,
      dbiResourceId: resourceId,
      cACertificateIdentifier: 'rds-ca-rsa2048-g1',
      domainMemberships: [],
      copyTagsToSnapshot: true,
      monitoringInterval: 0,
    },
    supplementary: { Tags: [{ key: 'workload-type', value: 'production' }] },
    relationships: (_w, self) => {
      const c = self.config;
      const out: ApiRelationship[] = [
        rel(
          'Is associated with DBSubnetGroup',
          SERVICE.DBSubnetGroup,
          (c.dBSubnetGroup as { dBSubnetGroupName: string }).dBSubnetGroupName,
        ),
      ];
      for (const g of c.vpcSecurityGroups as { vpcSecurityGroupId: string }[])
        out.push(rel('Is associated with SecurityGroup', EC2.SecurityGroup, g.vpcSecurityGroupId));
      return sortRelationships(out);
    },
  });
}

const GLOBAL = 'global';

export function createIamPolicy(
  world: World,
  accountId: string,
  o: { name: string; actions: string[]; createdAt: number; id?: string },
): Resource {
  const id = o.id ?? `ANPA${world.rng.upperAlnum(17)}`;
  const arn = `arn:aws:iam::${accountId}:policy/${o.name}`;
  const attachedRoles: { id: string; name: string }[] = [];
  const r = makeResource(world, {
    type: SERVICE.IamPolicy,
    id,
    name: o.name,
    place: { accountId, region: GLOBAL },
    availabilityZone: 'Not Applicable',
    arn,
    createdAt: o.createdAt,
    config: {
      policyName: o.name,
      policyId: id,
      arn,
      path: '/',
      defaultVersionId: 'v1',
      attachmentCount: 0,
      isAttachable: true,
      createDate: iso(o.createdAt),
      updateDate: iso(o.createdAt),
      policyVersionList: [
        {
          document: encodeURIComponent(
            JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: o.actions, Resource: '*' }],
            }),
          ),
          versionId: 'v1',
          isDefaultVersion: true,
          createDate: iso(o.createdAt),
        },
      ],
    },
    relationships: () =>
      sortRelationships(attachedRoles.map((a) => rel('Is attached to Role', SERVICE.IamRole, a.id, a.name))),
  });
  policyRoles.set(r, attachedRoles);
  return r;
}

// Which roles a policy is attached to: Config lists them on the policy's CI, but the policy's
// configuration has only a count, so the generator remembers them here.
const policyRoles = new WeakMap<Resource, { id: string; name: string }[]>();

export function createIamRole(
  world: World,
  accountId: string,
  o: { name: string; service: string; policies: Resource[]; createdAt: number; id?: string },
): Resource {
  const id = o.id ?? `AROA${world.rng.upperAlnum(17)}`;
  const arn = `arn:aws:iam::${accountId}:role/${o.name}`;
  const role = makeResource(world, {
    type: SERVICE.IamRole,
    id,
    name: o.name,
    place: { accountId, region: GLOBAL },
    availabilityZone: 'Not Applicable',
    arn,
    createdAt: o.createdAt,
    config: {
      path: '/',
      roleName: o.name,
      roleId: id,
      arn,
      createDate: iso(o.createdAt),
      assumeRolePolicyDocument: encodeURIComponent(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: o.service }, Action: 'sts:AssumeRole' }],
        }),
      ),
      instanceProfileList: [],
      rolePolicyList: [],
      attachedManagedPolicies: o.policies.map((pol) => ({ policyName: pol.name, policyArn: pol.arn })),
    },
    relationships: (w, self) => {
      const out: ApiRelationship[] = [];
      for (const a of self.config.attachedManagedPolicies as { policyArn: string }[]) {
        const pol = w.byArnOf(a.policyArn);
        if (pol) out.push(rel('Is attached to CustomerManagedPolicy', SERVICE.IamPolicy, pol.id, pol.name));
      }
      return sortRelationships(out);
    },
  });
  for (const pol of o.policies) {
    policyRoles.get(pol)?.push({ id, name: o.name });
    pol.config.attachmentCount = Number(pol.config.attachmentCount) + 1;
  }
  return role;
}

export function createLambda(
  world: World,
  p: Place,
  o: {
    name: string;
    role: Resource;
    subnets: Resource[];
    securityGroups: Resource[];
    createdAt: number;
    tags?: Record<string, string>;
  },
): Resource {
  const arn = `arn:aws:lambda:${p.region}:${p.accountId}:function:${o.name}`;
  const tags = o.tags ?? {};
  return makeResource(world, {
    type: SERVICE.LambdaFunction,
    id: o.name,
    name: o.name,
    place: p,
    availabilityZone: 'Not Applicable',
    arn,
    createdAt: o.createdAt,
    tags,
    config: {
      functionName: o.name,
      functionArn: arn,
      runtime: 'nodejs20.x',
      role: o.role.arn,
      handler: 'index.handler',
      codeSize: world.rng.int(800, 90000),
      description: '',
      timeout: 30,
      memorySize: world.rng.pick([128, 256, 512]),
      lastModified: iso(o.createdAt).replace('Z', '+0000'),
      codeSha256: Buffer.from(world.rng.hex(64), 'hex').toString('base64'),
      version: '$LATEST',
      vpcConfig: { subnetIds: o.subnets.map((s) => s.id), securityGroupIds: o.securityGroups.map((s) => s.id) },
      tracingConfig: { mode: 'PassThrough' },
      revisionId: world.rng.uuid(),
    },
    supplementary: { Tags: tags },
    // Config names the role by resourceName only (no resourceId), in the bare "Is associated with " style.
    relationships: (_w, self) => {
      const c = self.config;
      const roleName = String(c.role).split('/').pop() ?? '';
      const vpc = c.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] };
      const out: ApiRelationship[] = [
        { resourceType: SERVICE.IamRole, resourceName: roleName, relationshipName: 'Is associated with ' },
      ];
      for (const sg of vpc.securityGroupIds) out.push(rel('Is associated with ', EC2.SecurityGroup, sg));
      for (const s of vpc.subnetIds) out.push(rel('Is contained in ', EC2.Subnet, s));
      return sortRelationships(out);
    },
  });
}

export function createBucket(
  world: World,
  p: Place,
  o: { name: string; createdAt: number; tags?: Record<string, string> },
): Resource {
  const ownerId = world.rng.hex(64);
  const tags = o.tags ?? {};
  return makeResource(world, {
    type: SERVICE.S3Bucket,
    id: o.name,
    name: o.name,
    place: p,
    availabilityZone: 'Regional',
    arn: `arn:aws:s3:::${o.name}`,
    createdAt: o.createdAt,
    tags,
    config: { name: o.name, owner: { displayName: null, id: ownerId }, creationDate: iso(o.createdAt) },
    supplementary: {
      AccessControlList: JSON.stringify({
        grantSet: null,
        grantList: [{ grantee: { id: ownerId, displayName: null }, permission: 'FullControl' }],
        owner: { displayName: null, id: ownerId },
        isRequesterCharged: false,
      }),
      BucketAccelerateConfiguration: { status: null },
      BucketLoggingConfiguration: { destinationBucketName: null, logFilePrefix: null },
      BucketNotificationConfiguration: { configurations: {} },
      BucketVersioningConfiguration: { status: 'Enabled', isMfaDeleteEnabled: null },
      IsRequesterPaysEnabled: false,
      BucketTaggingConfiguration: { tagSets: [{ tags }] },
    },
    relationships: () => [],
  });
}
