// What the test endpoint "has recorded": every CI of every resource, in the API spelling
// (configuration as JSON text), from which each operation derives its answer the way Config does.

export interface WorldRelationship {
  resourceType: string;
  resourceId?: string;
  resourceName?: string;
  relationshipName: string;
}

/** One recorded CI (same spelling as GetResourceConfigHistory and world/generator's ApiConfigItem). */
export interface WorldItem {
  version: string;
  accountId: string;
  /** ISO-8601. */
  configurationItemCaptureTime: string;
  configurationItemStatus: string;
  configurationStateId: string;
  configurationItemMD5Hash?: string;
  arn?: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  awsRegion: string;
  availabilityZone?: string;
  resourceCreationTime?: string;
  tags: Record<string, string>;
  relatedEvents?: string[];
  relationships: WorldRelationship[];
  /** JSON text; "null" for a deleted resource. */
  configuration: string;
  /** Values are JSON text (the API's map<string,string>). */
  supplementaryConfiguration: Record<string, string>;
}

export const worldKey = (i: { accountId: string; awsRegion: string; resourceType: string; resourceId: string }) =>
  `${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`;

const isDeleted = (i: WorldItem) =>
  i.configurationItemStatus === 'ResourceDeleted' || i.configurationItemStatus === 'ResourceDeletedNotRecorded';

export interface WorldOptions {
  /** Types advanced query does not return (they are reachable only through ListDiscoveredResources + BatchGet). */
  notQueryable?: string[];
  /** The region whose recorder records global resources (awsRegion "global"); default us-east-1. */
  globalRegion?: string;
}

export class ConfigWorld {
  private readonly byKey = new Map<string, WorldItem[]>();
  readonly notQueryable: Set<string>;
  readonly globalRegion: string;

  constructor(items: WorldItem[], opts: WorldOptions = {}) {
    this.notQueryable = new Set(opts.notQueryable ?? []);
    this.globalRegion = opts.globalRegion ?? 'us-east-1';
    this.add(items);
  }

  /** Adds CIs (later changes to the environment); the same CI twice is kept once. */
  add(items: WorldItem[]): void {
    for (const it of items) {
      const k = worldKey(it);
      const list = this.byKey.get(k) ?? [];
      if (
        !list.some(
          (x) =>
            x.configurationItemCaptureTime === it.configurationItemCaptureTime &&
            x.configurationStateId === it.configurationStateId,
        )
      ) {
        list.push(it);
        list.sort((a, b) =>
          a.configurationItemCaptureTime < b.configurationItemCaptureTime
            ? -1
            : a.configurationItemCaptureTime > b.configurationItemCaptureTime
              ? 1
              : 0,
        );
      }
      this.byKey.set(k, list);
    }
  }

  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }

  accounts(): string[] {
    return [...new Set([...this.byKey.values()].map((l) => l[0]!.accountId))].sort();
  }

  /** Every CI recorded for a resource, oldest first. */
  history(key: string): WorldItem[] {
    return this.byKey.get(key) ?? [];
  }

  /** The recorder that serves a CI: its own region, or the global-recording region for "global". */
  servedFrom(item: WorldItem): string {
    return item.awsRegion === 'global' ? this.globalRegion : item.awsRegion;
  }

  /** Latest CI of each resource that is not deleted, optionally limited to an account and serving region. */
  current(filter: { accountId?: string; region?: string } = {}): WorldItem[] {
    const out: WorldItem[] = [];
    for (const k of this.keys()) {
      const list = this.byKey.get(k)!;
      const last = list[list.length - 1]!;
      if (isDeleted(last)) continue;
      if (filter.accountId && last.accountId !== filter.accountId) continue;
      if (filter.region && this.servedFrom(last) !== filter.region) continue;
      out.push(last);
    }
    return out;
  }

  find(accountId: string, region: string, resourceType: string, resourceId: string): WorldItem[] {
    const direct = this.byKey.get(worldKey({ accountId, awsRegion: region, resourceType, resourceId }));
    if (direct) return direct;
    if (region === this.globalRegion)
      return this.byKey.get(worldKey({ accountId, awsRegion: 'global', resourceType, resourceId })) ?? [];
    return [];
  }

  /** Total number of CIs (all versions). */
  size(): number {
    let n = 0;
    for (const l of this.byKey.values()) n += l.length;
    return n;
  }
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The record advanced query matches and projects: nested documents as objects, tags as [{key,value}]. */
export function queryRecord(it: WorldItem): Record<string, unknown> {
  const supplementary: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(it.supplementaryConfiguration)) supplementary[k] = parseJsonText(v);
  const rec: Record<string, unknown> = {
    version: it.version,
    accountId: it.accountId,
    configurationItemCaptureTime: it.configurationItemCaptureTime,
    configurationItemStatus: it.configurationItemStatus,
    configurationStateId: it.configurationStateId,
    arn: it.arn,
    resourceType: it.resourceType,
    resourceId: it.resourceId,
    resourceName: it.resourceName,
    awsRegion: it.awsRegion,
    availabilityZone: it.availabilityZone,
    resourceCreationTime: it.resourceCreationTime,
    configuration: parseJsonText(it.configuration),
    supplementaryConfiguration: supplementary,
    tags: Object.entries(it.tags).map(([key, value]) => ({ key, value })),
    relationships: it.relationships.map((r) => ({ ...r })),
  };
  return rec;
}

const epoch = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);

/** A CI as GetResourceConfigHistory returns it on the wire (times as epoch seconds). */
export function historyWire(it: WorldItem): Record<string, unknown> {
  return {
    ...it,
    configurationItemCaptureTime: epoch(it.configurationItemCaptureTime),
    resourceCreationTime: epoch(it.resourceCreationTime),
    relatedEvents: it.relatedEvents ?? [],
  };
}

/** A BaseConfigurationItem (BatchGet): no relationships, no tags. */
export function baseWire(it: WorldItem): Record<string, unknown> {
  return {
    version: it.version,
    accountId: it.accountId,
    configurationItemCaptureTime: epoch(it.configurationItemCaptureTime),
    configurationItemStatus: it.configurationItemStatus,
    configurationStateId: it.configurationStateId,
    arn: it.arn,
    resourceType: it.resourceType,
    resourceId: it.resourceId,
    resourceName: it.resourceName,
    awsRegion: it.awsRegion,
    availabilityZone: it.availabilityZone,
    resourceCreationTime: epoch(it.resourceCreationTime),
    configuration: it.configuration,
    supplementaryConfiguration: it.supplementaryConfiguration,
  };
}
