// EC2 instances with their network interfaces and EBS volumes, and the changes the history
// applies to them (stop/start, retype, volume detach and delete). Shapes follow the real
// AWS_EC2_Instance / AWS_EC2_Volume / AWS_EC2_NetworkInterface samples.
import { World, iso, rel, tagList, type Resource } from './world.ts';
import { EC2, ec2Arn, makeResource, sortRelationships, type Place } from './network.ts';
import type { ApiRelationship } from './types.ts';

export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

export function publicIp(world: World): string {
  return `${world.rng.pick([3, 18, 34, 52, 54])}.${world.rng.int(0, 255)}.${world.rng.int(0, 255)}.${world.rng.int(1, 254)}`;
}

interface GroupRef {
  groupName: string;
  groupId: string;
}

const groupsOf = (sgs: Resource[]): GroupRef[] =>
  sgs.map((sg) => ({ groupName: String(sg.config.groupName), groupId: sg.id }));

export interface VolumeSpec {
  id: string;
  device: string;
  sizeGiB: number;
  root?: boolean;
  tags?: Record<string, string>;
}

export function createVolume(
  world: World,
  p: Place,
  o: {
    id: string;
    az: string;
    sizeGiB: number;
    createdAt: number;
    instanceId?: string;
    device?: string;
    deleteOnTermination?: boolean;
    tags?: Record<string, string>;
  },
): Resource {
  const tags = o.tags ?? {};
  return makeResource(world, {
    type: EC2.Volume,
    id: o.id,
    place: p,
    availabilityZone: o.az,
    arn: ec2Arn(p, 'volume', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      volumeId: o.id,
      size: o.sizeGiB,
      snapshotId: o.device === '/dev/xvda' ? `snap-${world.rng.hex(17)}` : '',
      availabilityZone: o.az,
      state: o.instanceId ? 'in-use' : 'available',
      createTime: iso(o.createdAt),
      attachments: o.instanceId
        ? [
            {
              volumeId: o.id,
              instanceId: o.instanceId,
              device: o.device ?? '/dev/sdf',
              state: 'attached',
              attachTime: iso(o.createdAt),
              deleteOnTermination: o.deleteOnTermination ?? false,
            },
          ]
        : [],
      tags: tagList(tags),
      volumeType: 'gp3',
      iops: 3000,
      encrypted: true,
      kmsKeyId: `arn:aws:kms:${p.region}:${p.accountId}:key/${world.rng.uuid()}`,
    },
    relationships: (_w, self) =>
      (self.config.attachments as { instanceId: string }[]).map((a) =>
        rel('Is attached to Instance', EC2.Instance, a.instanceId),
      ),
  });
}

export interface InstanceBundle {
  instance: Resource;
  eni: Resource;
  volumes: Resource[];
  /** An Elastic IP keeps the instance's public address across stop/start. */
  eip?: Resource;
}

/** An instance, its primary network interface and its volumes, all created together. */
export function createInstance(
  world: World,
  p: Place,
  o: {
    id: string;
    eniId: string;
    subnet: Resource;
    securityGroups: Resource[];
    name: string;
    instanceType: string;
    privateIp: string;
    publicIp?: string;
    volumes: VolumeSpec[];
    createdAt: number;
    tags?: Record<string, string>;
  },
): InstanceBundle {
  const az = o.subnet.availabilityZone;
  const vpcId = String(o.subnet.config.vpcId);
  const tags = { Name: o.name, ...(o.tags ?? {}) };
  const groups = groupsOf(o.securityGroups);
  const privDns = privateDnsName(p.region, o.privateIp);
  const pubDns = o.publicIp ? publicDnsName(p.region, o.publicIp) : '';
  const association = o.publicIp ? { publicIp: o.publicIp, publicDnsName: pubDns, ipOwnerId: 'amazon' } : undefined;
  const mac = `02:${world.rng.hex(2)}:${world.rng.hex(2)}:${world.rng.hex(2)}:${world.rng.hex(2)}:${world.rng.hex(2)}`;
  const attachmentId = `eni-attach-${world.rng.hex(17)}`;

  const instance = makeResource(world, {
    type: EC2.Instance,
    id: o.id,
    place: p,
    availabilityZone: az,
    arn: ec2Arn(p, 'instance', o.id),
    createdAt: o.createdAt,
    tags,
    config: {
      instanceId: o.id,
      imageId: `ami-${world.rng.hex(17)}`,
      state: { code: 16, name: 'running' },
      metadataOptions: {
        state: 'applied',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        httpEndpoint: 'enabled',
        httpProtocolIpv6: 'disabled',
        instanceMetadataTags: 'disabled',
      },
      privateDnsName: privDns,
      publicDnsName: pubDns,
      stateTransitionReason: '',
      keyName: `${p.region}-ops`,
      amiLaunchIndex: 0,
      productCodes: [],
      instanceType: o.instanceType,
      launchTime: iso(o.createdAt),
      placement: { availabilityZone: az, groupName: '', tenancy: 'default' },
      monitoring: { state: 'disabled' },
      subnetId: o.subnet.id,
      vpcId,
      privateIpAddress: o.privateIp,
      ...(o.publicIp ? { publicIpAddress: o.publicIp } : {}),
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMappings: o.volumes.map((v) => ({
        deviceName: v.device,
        ebs: { volumeId: v.id, status: 'attached', attachTime: iso(o.createdAt), deleteOnTermination: v.root ?? false },
      })),
      virtualizationType: 'hvm',
      clientToken: world.rng.hex(16),
      tags: tagList(tags),
      securityGroups: groups,
      sourceDestCheck: true,
      hypervisor: 'xen',
      networkInterfaces: [
        {
          networkInterfaceId: o.eniId,
          subnetId: o.subnet.id,
          vpcId,
          description: '',
          ownerId: p.accountId,
          status: 'in-use',
          macAddress: mac,
          privateIpAddress: o.privateIp,
          privateDnsName: privDns,
          sourceDestCheck: true,
          groups,
          attachment: {
            attachmentId,
            deviceIndex: 0,
            status: 'attached',
            attachTime: iso(o.createdAt),
            deleteOnTermination: true,
          },
          ...(association ? { association } : {}),
          privateIpAddresses: [
            {
              privateIpAddress: o.privateIp,
              privateDnsName: privDns,
              primary: true,
              ...(association ? { association } : {}),
            },
          ],
          ipv6Addresses: [],
        },
      ],
      ebsOptimized: true,
      enaSupport: true,
    },
    relationships: (_w, self) => {
      const c = self.config;
      const out: ApiRelationship[] = [];
      for (const n of c.networkInterfaces as { networkInterfaceId: string }[])
        out.push(rel('Contains NetworkInterface', EC2.NetworkInterface, n.networkInterfaceId));
      for (const g of c.securityGroups as GroupRef[])
        out.push(rel('Is associated with SecurityGroup', EC2.SecurityGroup, g.groupId));
      out.push(rel('Is contained in Subnet', EC2.Subnet, String(c.subnetId)));
      for (const b of c.blockDeviceMappings as { ebs: { volumeId: string } }[])
        out.push(rel('Is attached to Volume', EC2.Volume, b.ebs.volumeId));
      out.push(rel('Is contained in Vpc', EC2.VPC, String(c.vpcId)));
      return sortRelationships(out);
    },
  });

  const eni = createNetworkInterface(world, p, {
    id: o.eniId,
    subnet: o.subnet,
    securityGroups: o.securityGroups,
    privateIp: o.privateIp,
    description: '',
    createdAt: o.createdAt,
    macAddress: mac,
    attachment: { attachmentId, instanceId: o.id, deviceIndex: 0 },
    ...(association ? { association } : {}),
  });

  const volumes = o.volumes.map((v) =>
    createVolume(world, p, {
      id: v.id,
      az,
      sizeGiB: v.sizeGiB,
      createdAt: o.createdAt,
      instanceId: o.id,
      device: v.device,
      deleteOnTermination: v.root ?? false,
      tags: v.tags ?? { Name: `${o.name}${v.root ? '-root' : `-${v.device.slice(-3)}`}` },
    }),
  );
  return { instance, eni, volumes };
}

export function createNetworkInterface(
  world: World,
  p: Place,
  o: {
    id: string;
    subnet: Resource;
    securityGroups: Resource[];
    privateIp: string;
    description: string;
    createdAt: number;
    macAddress?: string;
    interfaceType?: string;
    requesterManaged?: boolean;
    attachment?: { attachmentId: string; instanceId?: string; deviceIndex: number };
    association?: { publicIp: string; publicDnsName: string; ipOwnerId: string };
  },
): Resource {
  const privDns = privateDnsName(p.region, o.privateIp);
  return makeResource(world, {
    type: EC2.NetworkInterface,
    id: o.id,
    place: p,
    availabilityZone: o.subnet.availabilityZone,
    arn: ec2Arn(p, 'network-interface', o.id),
    createdAt: o.createdAt,
    config: {
      networkInterfaceId: o.id,
      subnetId: o.subnet.id,
      vpcId: String(o.subnet.config.vpcId),
      availabilityZone: o.subnet.availabilityZone,
      description: o.description,
      ownerId: p.accountId,
      requesterManaged: o.requesterManaged ?? false,
      status: 'in-use',
      macAddress:
        o.macAddress ??
        `02:${world.rng.hex(2)}:${world.rng.hex(2)}:${world.rng.hex(2)}:${world.rng.hex(2)}:${world.rng.hex(2)}`,
      privateIpAddress: o.privateIp,
      privateDnsName: privDns,
      sourceDestCheck: true,
      groups: groupsOf(o.securityGroups),
      ...(o.attachment
        ? {
            attachment: {
              attachmentId: o.attachment.attachmentId,
              ...(o.attachment.instanceId ? { instanceId: o.attachment.instanceId, instanceOwnerId: p.accountId } : {}),
              deviceIndex: o.attachment.deviceIndex,
              status: 'attached',
              attachTime: iso(o.createdAt),
              deleteOnTermination: true,
            },
          }
        : {}),
      ...(o.association ? { association: o.association } : {}),
      tagSet: [],
      privateIpAddresses: [
        {
          privateIpAddress: o.privateIp,
          privateDnsName: privDns,
          primary: true,
          ...(o.association ? { association: o.association } : {}),
        },
      ],
      interfaceType: o.interfaceType ?? 'interface',
    },
    relationships: (_w, self) => {
      const c = self.config;
      const out: ApiRelationship[] = [];
      const att = c.attachment as { instanceId?: string } | undefined;
      if (att?.instanceId) out.push(rel('Is attached to Instance', EC2.Instance, att.instanceId));
      for (const g of c.groups as GroupRef[])
        out.push(rel('Is associated with SecurityGroup', EC2.SecurityGroup, g.groupId));
      out.push(rel('Is contained in Subnet', EC2.Subnet, String(c.subnetId)));
      out.push(rel('Is contained in Vpc', EC2.VPC, String(c.vpcId)));
      return sortRelationships(out);
    },
  });
}

// ---- changes over time --------------------------------------------------------------------

function gmt(ms: number): string {
  return `${iso(ms).slice(0, 19).replace('T', ' ')} GMT`;
}

type Iface = { association?: unknown; privateIpAddresses: { association?: unknown }[] };

export function stopInstance(
  world: World,
  b: { instance: Resource; eni?: Resource; eip?: Resource },
  at: number,
): void {
  const c = b.instance.config;
  c.state = { code: 80, name: 'stopped' };
  c.stateTransitionReason = `User initiated (${gmt(at)})`;
  if (b.eip) {
    world.capture(b.instance, at);
    return;
  }
  c.publicDnsName = '';
  delete c.publicIpAddress;
  for (const n of c.networkInterfaces as Iface[]) {
    delete n.association;
    for (const a of n.privateIpAddresses) delete a.association;
  }
  world.capture(b.instance, at);
  if (b.eni && b.eni.config.association) {
    delete b.eni.config.association;
    for (const a of b.eni.config.privateIpAddresses as { association?: unknown }[]) delete a.association;
    world.capture(b.eni, at + 2000);
  }
}

export function startInstance(
  world: World,
  b: { instance: Resource; eni?: Resource },
  at: number,
  newPublicIp?: string,
): void {
  const c = b.instance.config;
  c.state = { code: 16, name: 'running' };
  c.stateTransitionReason = '';
  c.launchTime = iso(at);
  if (newPublicIp) {
    const association = {
      publicIp: newPublicIp,
      publicDnsName: publicDnsName(b.instance.region, newPublicIp),
      ipOwnerId: 'amazon',
    };
    c.publicIpAddress = newPublicIp;
    c.publicDnsName = association.publicDnsName;
    for (const n of c.networkInterfaces as Iface[]) {
      n.association = association;
      const first = n.privateIpAddresses[0];
      if (first) first.association = association;
    }
    if (b.eni) {
      b.eni.config.association = association;
      const first = (b.eni.config.privateIpAddresses as { association?: unknown }[])[0];
      if (first) first.association = association;
    }
  }
  world.capture(b.instance, at);
  if (b.eni && newPublicIp) world.capture(b.eni, at + 2000);
}

export function retypeInstance(world: World, instance: Resource, instanceType: string, at: number): void {
  instance.config.instanceType = instanceType;
  world.capture(instance, at);
}

export function detachVolume(world: World, instance: Resource, volume: Resource, at: number): void {
  instance.config.blockDeviceMappings = (instance.config.blockDeviceMappings as { ebs: { volumeId: string } }[]).filter(
    (b) => b.ebs.volumeId !== volume.id,
  );
  volume.config.attachments = [];
  volume.config.state = 'available';
  world.capture(instance, at);
  world.capture(volume, at + 1500);
}

export function attachVolume(world: World, instance: Resource, volume: Resource, device: string, at: number): void {
  (instance.config.blockDeviceMappings as unknown[]).push({
    deviceName: device,
    ebs: { volumeId: volume.id, status: 'attached', attachTime: iso(at), deleteOnTermination: false },
  });
  volume.config.attachments = [
    {
      volumeId: volume.id,
      instanceId: instance.id,
      device,
      state: 'attached',
      attachTime: iso(at),
      deleteOnTermination: false,
    },
  ];
  volume.config.state = 'in-use';
  world.capture(volume, at);
  world.capture(instance, at + 1500);
}
