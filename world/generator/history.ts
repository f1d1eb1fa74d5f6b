// Random history on top of a laid-out estate: security group rules edited, tags changed,
// instances stopped/started/retyped, volumes detached then deleted, instances created midway and
// a few terminated. Scenario resources (`pinned`) are never touched.
import { type Resource } from './world.ts';
import { permission, setTag, type IpPermission } from './network.ts';
import {
  attachVolume,
  createVolume,
  detachVolume,
  publicIp,
  retypeInstance,
  startInstance,
  stopInstance,
  type InstanceBundle,
} from './compute.ts';
import { DAY, HOUR, addInstance, type Layout, type VpcSite } from './environment.ts';

const PORTS = [22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090];
const TAG_KEYS = ['CostCenter', 'Owner', 'PatchGroup', 'Backup', 'Compliance'];

interface Candidates {
  sites: VpcSite[];
  securityGroups: Resource[];
  taggable: Resource[];
  instances: { bundle: InstanceBundle; site: VpcSite }[];
}

function candidates(layout: Layout): Candidates {
  const c: Candidates = { sites: [], securityGroups: [], taggable: [], instances: [] };
  for (const a of layout.accounts)
    for (const r of a.regions) {
      c.taggable.push(...r.buckets.filter((b) => !b.pinned));
      for (const site of r.vpcs) {
        c.sites.push(site);
        for (const res of site.other) {
          if (res.pinned) continue;
          if (res.type === 'AWS::EC2::SecurityGroup') c.securityGroups.push(res);
          if (res.type !== 'AWS::EC2::NetworkAcl') c.taggable.push(res);
        }
        for (const b of site.instances) {
          if (b.instance.pinned) continue;
          c.instances.push({ bundle: b, site });
          c.taggable.push(b.instance, ...b.volumes);
        }
        c.taggable.push(...site.subnets.filter((s) => !s.pinned));
      }
    }
  return c;
}

/** Schedule `count` random changes between the end of discovery and the end of the period. */
export function addRandomHistory(layout: Layout, changesPerResourcePerDay: number): void {
  const { world } = layout;
  const rng = world.rng;
  const c = candidates(layout);
  const days = (world.end - world.start) / DAY;
  const count = Math.round(changesPerResourcePerDay * world.resources().length * days);
  const from = world.start + 3 * HOUR;
  let newIndex = 100;

  const liveInstance = (): { bundle: InstanceBundle; site: VpcSite } | undefined => {
    for (let tries = 0; tries < 5 && c.instances.length > 0; tries++) {
      const pick = rng.pick(c.instances);
      if (!pick.bundle.instance.deleted) return pick;
    }
    return undefined;
  };

  for (let n = 0; n < count; n++) {
    const at = from + Math.floor(rng.next() * (world.end - from));
    const roll = rng.next();
    world.at(at, (t) => {
      if (roll < 0.2 && c.securityGroups.length > 0) {
        editSecurityGroup(rng.pick(c.securityGroups), t);
      } else if (roll < 0.5 && c.taggable.length > 0) {
        const r = rng.pick(c.taggable);
        if (r.deleted || r.lastCapture === 0) return;
        const key = rng.pick(TAG_KEYS);
        setTag(r, key, rng.chance(0.15) && key in r.tags ? undefined : `${key.toLowerCase()}-${rng.int(1, 40)}`);
        world.capture(r, t);
      } else if (roll < 0.7) {
        const pick = liveInstance();
        if (!pick) return;
        const b = pick.bundle;
        const state = (b.instance.config.state as { name: string }).name;
        if (state !== 'running') return;
        stopInstance(world, b, t);
        const retype = rng.chance(0.3);
        const hadPublic =
          !b.eip && pick.site.publicSubnets.some((s) => s.id === b.instance.config.subnetId) && rng.chance(0.6);
        world.at(t + rng.int(HOUR / 4, 8 * HOUR), (t2) => {
          if (b.instance.deleted) return;
          if (retype) retypeInstance(world, b.instance, rng.pick(['t3.large', 'm6i.xlarge', 'c6i.large']), t2);
          startInstance(world, b, t2 + 60_000, hadPublic ? publicIp(world) : undefined);
        });
      } else if (roll < 0.8) {
        const pick = liveInstance();
        if (!pick) return;
        volumeLifecycle(pick.bundle, t);
      } else if (roll < 0.97) {
        const site = rng.pick(c.sites);
        const subnet = rng.pick(site.subnets);
        const b = addInstance(layout, site, subnet, t, newIndex++);
        world.capture(b.instance, t + 30_000);
        world.capture(b.eni, t + 31_000);
        for (const v of b.volumes) world.capture(v, t + 32_000);
        if (b.eip) world.capture(b.eip, t + 90_000);
        c.instances.push({ bundle: b, site });
        c.taggable.push(b.instance, ...b.volumes);
      } else {
        const pick = liveInstance();
        if (!pick) return;
        terminate(pick.bundle, t);
      }
    });
  }

  function editSecurityGroup(sg: Resource, t: number): void {
    const perms = sg.config.ipPermissions as IpPermission[];
    if (perms.length > 1 && rng.chance(0.4)) perms.pop();
    else {
      const port = rng.pick(PORTS);
      perms.push(permission('tcp', port, port, [`10.${rng.int(0, 255)}.${rng.int(0, 255)}.0/24`]));
    }
    world.capture(sg, t);
  }

  function volumeLifecycle(b: InstanceBundle, t: number): void {
    const extra = b.volumes.find(
      (v) => !v.deleted && (v.config.attachments as unknown[]).length > 0 && v.config.snapshotId === '',
    );
    if (extra) {
      detachVolume(world, b.instance, extra, t);
      world.at(t + rng.int(HOUR, DAY), (t2) => {
        if (!extra.deleted) world.captureDeletion(extra, t2);
      });
      return;
    }
    const vol = createVolume(world, b.instance, {
      id: `vol-${rng.hex(17)}`,
      az: b.instance.availabilityZone,
      sizeGiB: rng.pick([50, 100, 250]),
      createdAt: t,
      tags: { Name: `${b.instance.tags.Name ?? b.instance.id}-data` },
    });
    world.capture(vol, t);
    b.volumes.push(vol);
    attachVolume(world, b.instance, vol, '/dev/sdg', t + 120_000);
  }

  function terminate(b: InstanceBundle, t: number): void {
    world.captureDeletion(b.instance, t);
    world.captureDeletion(b.eni, t + 5000);
    if (b.eip && !b.eip.deleted) {
      // The address stays allocated to the account, associated with nothing.
      for (const k of [
        'instanceId',
        'associationId',
        'networkInterfaceId',
        'networkInterfaceOwnerId',
        'privateIpAddress',
      ])
        delete b.eip.config[k];
      world.capture(b.eip, t + 7000);
    }
    for (const v of b.volumes) {
      if (v.deleted) continue;
      const attach = (v.config.attachments as { deleteOnTermination: boolean }[])[0];
      if (attach?.deleteOnTermination) world.captureDeletion(v, t + 9000);
      else {
        v.config.attachments = [];
        v.config.state = 'available';
        world.capture(v, t + 9000);
      }
    }
  }
}
