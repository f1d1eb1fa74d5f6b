// The generator's mutable world: resources with their current configuration, a schedule of
// timed changes, and the CIs captured so far. A CI is a frozen copy of a resource's state at the
// moment it is captured, so later changes never leak into earlier items.
import { createHash } from 'node:crypto';
import { Rng } from './random.ts';
import { recordedReverse } from './recorded.ts';
import type { ApiConfigItem, ApiRelationship } from './types.ts';

export interface Resource {
  type: string;
  id: string;
  name?: string;
  accountId: string;
  /** An AWS region, or "global" for IAM. */
  region: string;
  availabilityZone: string;
  arn: string;
  createdAt: number;
  tags: Record<string, string>;
  config: Record<string, unknown>;
  supplementary: Record<string, unknown>;
  /**
   * The relationships this resource's CI lists that it can read from its own configuration. The
   * World adds the ones other resources' configurations imply where Config records both ends
   * (see recorded.ts).
   */
  relationships: (world: World, self: Resource) => ApiRelationship[];
  deleted: boolean;
  lastCapture: number;
  /** Scenario resources the random history must leave alone. */
  pinned: boolean;
}

interface Scheduled {
  at: number;
  seq: number;
  run: (at: number) => void;
}

// Config reports resourceCreationTime only for types whose describe call returns one (as in
// the real samples: instances and volumes do, VPCs, subnets and security groups do not).
const TYPES_WITH_CREATION_TIME = new Set([
  'AWS::EC2::Instance',
  'AWS::EC2::Volume',
  'AWS::EC2::NatGateway',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::RDS::DBInstance',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::S3::Bucket',
]);

const before = (a: Scheduled, b: Scheduled): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export const iso = (ms: number): string => new Date(ms).toISOString();

export class World {
  readonly rng: Rng;
  readonly items: ApiConfigItem[] = [];
  private readonly byKey = new Map<string, Resource>();
  private readonly byArn = new Map<string, Resource>();
  /** A binary min-heap on (at, seq): changes may schedule follow-ups, which still run in time order. */
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  /** Reverse relationships each target's CI lists: target key → (source key|name → entry). */
  private readonly incoming = new Map<string, Map<string, { source: Resource; name: string }>>();
  /** The reverse entries each source has announced (what targets currently see), and the last requested. */
  private readonly announced = new Map<Resource, Reverse[]>();
  private readonly requested = new Map<Resource, string>();
  /** Targets with a recapture scheduled, and when. */
  private readonly pending = new Map<Resource, number>();

  constructor(
    seed: string | number,
    readonly start: number,
    readonly end: number,
  ) {
    this.rng = new Rng(seed);
  }

  static keyOf(accountId: string, region: string, type: string, id: string): string {
    return `${accountId}|${region}|${type}|${id}`;
  }

  add(resource: Resource): Resource {
    const key = World.keyOf(resource.accountId, resource.region, resource.type, resource.id);
    if (this.byKey.has(key)) throw new Error(`generator: duplicate resource ${key}`);
    this.byKey.set(key, resource);
    this.byArn.set(resource.arn, resource);
    // What exists before recording starts is part of the first sweep: every target's first CI
    // already lists it, whichever of the two is captured first.
    if (resource.createdAt <= this.start) {
      const entries = this.reverseEntries(resource, resource.relationships(this, resource));
      this.requested.set(resource, signature(entries));
      this.announce(resource, entries);
    }
    return resource;
  }

  /** The reverse relationships a resource's own relationships put on other resources' CIs. */
  private reverseEntries(r: Resource, own: ApiRelationship[]): Reverse[] {
    const out: Reverse[] = [];
    for (const x of own) {
      if (x.resourceId === undefined) continue;
      const name = recordedReverse(r.type, x.relationshipName, x.resourceType);
      if (name !== undefined)
        out.push({ target: World.keyOf(r.accountId, r.region, x.resourceType, x.resourceId), name });
    }
    return out;
  }

  /** Make `entries` what targets see of `r`; returns the targets whose lists changed. */
  private announce(r: Resource, entries: Reverse[]): Set<string> {
    const source = World.keyOf(r.accountId, r.region, r.type, r.id);
    const before = this.announced.get(r) ?? [];
    const changed = new Set<string>();
    const keyOf = (e: Reverse) => `${e.target}#${source}|${e.name}`;
    const now = new Set(entries.map(keyOf));
    const was = new Set(before.map(keyOf));
    for (const e of before)
      if (!now.has(keyOf(e))) {
        this.incoming.get(e.target)?.delete(`${source}|${e.name}`);
        changed.add(e.target);
      }
    for (const e of entries)
      if (!was.has(keyOf(e))) {
        let m = this.incoming.get(e.target);
        if (!m) {
          m = new Map<string, { source: Resource; name: string }>();
          this.incoming.set(e.target, m);
        }
        m.set(`${source}|${e.name}`, { source: r, name: e.name });
        changed.add(e.target);
      }
    this.announced.set(r, entries);
    return changed;
  }

  /**
   * From `t` on, targets see `entries` for `r`; each target whose list changed is captured again
   * a moment later (once, however many of its sources changed at about the same time).
   */
  private propagate(r: Resource, entries: Reverse[], t: number): void {
    const sig = signature(entries);
    if (this.requested.get(r) === sig) return;
    this.requested.set(r, sig);
    this.at(t, () => {
      for (const key of this.announce(r, entries)) {
        const target = this.byKey.get(key);
        if (!target || target.deleted || target.lastCapture === 0) continue;
        const due = this.pending.get(target);
        if (due !== undefined && due > t) continue;
        const when = t + 2000 + this.rng.int(0, 999);
        if (when > this.end) continue;
        this.pending.set(target, when);
        this.at(when, (at) => {
          this.pending.delete(target);
          if (!target.deleted) this.capture(target, at);
        });
      }
    });
  }

  /** Every relationship the resource's CI lists now: its own and those recorded from the other end. */
  private relationshipsOf(r: Resource): { all: ApiRelationship[]; own: ApiRelationship[] } {
    const own = r.relationships(this, r);
    const incoming = this.incoming.get(World.keyOf(r.accountId, r.region, r.type, r.id));
    const all = [...own];
    if (incoming)
      for (const { source, name } of incoming.values())
        all.push({ resourceType: source.type, resourceId: source.id, relationshipName: name });
    return { all: sortRelationships(all), own };
  }

  get(accountId: string, region: string, type: string, id: string): Resource | undefined {
    return this.byKey.get(World.keyOf(accountId, region, type, id));
  }

  byArnOf(arn: string): Resource | undefined {
    return this.byArn.get(arn);
  }

  resources(): Resource[] {
    return [...this.byKey.values()];
  }

  live(type?: string, filter?: (r: Resource) => boolean): Resource[] {
    const out: Resource[] = [];
    for (const r of this.byKey.values()) {
      if (r.deleted || r.lastCapture === 0) continue;
      if (type !== undefined && r.type !== type) continue;
      if (filter && !filter(r)) continue;
      out.push(r);
    }
    return out;
  }

  /** Schedule a change; changes after the end of the recorded period never happen. */
  at(ms: number, run: (at: number) => void): void {
    if (ms > this.end) return;
    const h = this.heap;
    h.push({ at: ms, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  /** Run every scheduled change in time order (ties in the order they were scheduled). */
  runSchedule(): void {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length > 0) {
        h[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < h.length && before(h[l]!, h[m]!)) m = l;
          if (r < h.length && before(h[r]!, h[m]!)) m = r;
          if (m === i) break;
          [h[i], h[m]] = [h[m]!, h[i]!];
          i = m;
        }
      }
      top.run(top.at);
    }
  }

  /** Capture the resource's current state as a CI at `ms` (nudged forward so each resource's CIs are strictly ordered). */
  capture(r: Resource, ms: number, status?: string): ApiConfigItem {
    const t = ms <= r.lastCapture ? r.lastCapture + 1000 + this.rng.int(0, 999) : ms;
    const first = r.lastCapture === 0;
    r.lastCapture = t;
    const configuration = JSON.stringify(r.config);
    const supplementaryConfiguration: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.supplementary))
      supplementaryConfiguration[k] = typeof v === 'string' ? v : JSON.stringify(v);
    const { all, own } = this.relationshipsOf(r);
    this.propagate(r, this.reverseEntries(r, own), t);
    const item: ApiConfigItem = {
      version: '1.3',
      accountId: r.accountId,
      configurationItemCaptureTime: iso(t),
      configurationItemStatus: status ?? (first ? 'ResourceDiscovered' : 'OK'),
      configurationStateId: String(t),
      configurationItemMD5Hash: createHash('md5').update(configuration).digest('hex'),
      arn: r.arn,
      resourceType: r.type,
      resourceId: r.id,
      ...(r.name !== undefined ? { resourceName: r.name } : {}),
      awsRegion: r.region,
      availabilityZone: r.availabilityZone,
      ...(TYPES_WITH_CREATION_TIME.has(r.type) ? { resourceCreationTime: iso(r.createdAt) } : {}),
      tags: { ...r.tags },
      relatedEvents: [],
      relationships: all,
      configuration,
      supplementaryConfiguration,
    };
    this.items.push(item);
    return item;
  }

  /** Record a deletion: Config's deleted CI has configuration "null", no relationships, no tags. */
  captureDeletion(r: Resource, ms: number): ApiConfigItem {
    const t = ms <= r.lastCapture ? r.lastCapture + 1000 + this.rng.int(0, 999) : ms;
    r.lastCapture = t;
    r.deleted = true;
    this.propagate(r, [], t);
    const item: ApiConfigItem = {
      version: '1.3',
      accountId: r.accountId,
      configurationItemCaptureTime: iso(t),
      configurationItemStatus: 'ResourceDeleted',
      configurationStateId: String(t),
      configurationItemMD5Hash: '',
      arn: r.arn,
      resourceType: r.type,
      resourceId: r.id,
      ...(r.name !== undefined ? { resourceName: r.name } : {}),
      awsRegion: r.region,
      availabilityZone: r.availabilityZone,
      tags: {},
      relatedEvents: [],
      relationships: [],
      configuration: 'null',
      supplementaryConfiguration: {},
    };
    this.items.push(item);
    return item;
  }
}

interface Reverse {
  target: string;
  name: string;
}

const signature = (entries: Reverse[]): string =>
  entries
    .map((e) => `${e.target}|${e.name}`)
    .sort()
    .join('\n');

/** Config lists a CI's relationships ordered by the related resource's id (as in the samples), then type and name. */
export function sortRelationships(rels: ApiRelationship[]): ApiRelationship[] {
  return rels.sort(
    (a, b) =>
      cmp(a.resourceId ?? a.resourceName ?? '', b.resourceId ?? b.resourceName ?? '') ||
      cmp(a.resourceType, b.resourceType) ||
      cmp(a.relationshipName, b.relationshipName),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Config's tag list inside EC2 configurations: [{key, value}]. */
export function tagList(tags: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

export function rel(
  relationshipName: string,
  resourceType: string,
  resourceId: string,
  resourceName?: string,
): ApiRelationship {
  return resourceName === undefined
    ? { resourceType, resourceId, relationshipName }
    : { resourceType, resourceId, resourceName, relationshipName };
}
