// Versions (SPEC V1–V5): every distinct CI is an immutable version; the same CI twice is stored once.
import { canonicalJson, sha256 } from './canonical.ts';
import { keyOf } from './identity.ts';
import type { ConfigItem, RawRelationship, ResourceVersion } from './model.ts';

export const DELETED_STATUSES = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);
export const isDeletedStatus = (status: string) => DELETED_STATUSES.has(status);

function relationshipSortKey(r: RawRelationship): string {
  return `${r.origin}\u0000${r.rule ?? ''}\u0000${r.name}\u0000${r.resourceType}\u0000${r.resourceId ?? ''}\u0000${r.resourceName ?? ''}`;
}

export function sortRelationships(rels: RawRelationship[]): RawRelationship[] {
  // Each key built once, not twice per comparison; equal keys keep their order, as before.
  const keyed = rels.map((r) => ({ r, key: relationshipSortKey(r) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}

type VersionContent = Omit<ResourceVersion, 'contentHash' | 'source' | 'runId'>;

export function contentHashOf(v: VersionContent, relationshipsSorted = false): string {
  return sha256(
    canonicalJson({
      key: v.key,
      captureTime: v.captureTime,
      status: v.status,
      configurationStateId: v.configurationStateId,
      arn: v.arn,
      resourceName: v.resourceName,
      availabilityZone: v.availabilityZone,
      resourceCreationTime: v.resourceCreationTime,
      configuration: v.configuration,
      supplementaryConfiguration: v.supplementaryConfiguration,
      tags: v.tags,
      relationships: v.relationships
        ? relationshipsSorted
          ? v.relationships
          : sortRelationships(v.relationships)
        : null,
      inferred: v.inferred,
    }),
  );
}

export function versionFromItem(item: ConfigItem, runId?: string): ResourceVersion {
  return withContentHash(unhashedVersion(item, runId));
}

/** No content hash yet: a run's copy of a version already stored or already in the run needs none (V2). */
const UNHASHED = '';

/**
 * A CI as a version whose content hash is computed only when needed (withContentHash): most snapshot items
 * repeat a version the run or the store already holds, and hashing a whole configuration is most of what a
 * version costs to prepare. The hash keeps its place among the keys, so a stored body has the same bytes.
 */
export function unhashedVersion(item: ConfigItem, runId?: string): ResourceVersion {
  const content: VersionContent = {
    key: keyOf(item),
    captureTime: item.captureTime,
    status: item.status,
    configuration: item.configuration,
    supplementaryConfiguration: item.supplementaryConfiguration,
    tags: item.tags,
    relationships: item.relationships ? sortRelationships(item.relationships) : null,
    inferred: false,
  };
  if (item.configurationStateId !== undefined) content.configurationStateId = item.configurationStateId;
  if (item.arn !== undefined) content.arn = item.arn;
  if (item.resourceName !== undefined) content.resourceName = item.resourceName;
  if (item.availabilityZone !== undefined) content.availabilityZone = item.availabilityZone;
  if (item.resourceCreationTime !== undefined) content.resourceCreationTime = item.resourceCreationTime;
  const v: ResourceVersion = { ...content, contentHash: UNHASHED, source: item.source };
  if (runId) v.runId = runId;
  return v;
}

/** The version with its content hash (computed in place, once; unhashedVersion sorted its relationships). */
export function withContentHash(v: ResourceVersion): ResourceVersion {
  if (v.contentHash === UNHASHED) v.contentHash = contentHashOf(v, true);
  return v;
}

/** Two CIs are the same version when they describe the same capture (V2). */
export function versionIdentity(v: Pick<ResourceVersion, 'captureTime' | 'configurationStateId' | 'inferred'>): string {
  return `${v.captureTime}|${v.configurationStateId ?? ''}|${v.inferred ? 'inferred' : 'recorded'}`;
}

/** How much a version tells: one with relationships and tags beats a BatchGet copy of the same CI (V3). */
function richness(v: ResourceVersion): number {
  return (v.relationships ? 2 : 0) + (v.tags ? 1 : 0);
}

/** Picks which of two copies of the same version to keep, independent of arrival order (V3). */
export function preferredCopy(a: ResourceVersion, b: ResourceVersion): ResourceVersion {
  const ra = richness(a);
  const rb = richness(b);
  if (ra !== rb) return ra > rb ? a : b;
  // The same content has the same hash, so the first copy is kept: a snapshot's repeat is not hashed at all.
  if ((a.contentHash === UNHASHED || b.contentHash === UNHASHED) && sameContent(a, b)) return a;
  return withContentHash(a).contentHash <= withContentHash(b).contentHash ? a : b;
}

/** True only when two versions' hashed content is certainly equal (else their hashes decide). */
function sameContent(a: ResourceVersion, b: ResourceVersion): boolean {
  return (
    a.key === b.key &&
    a.captureTime === b.captureTime &&
    a.status === b.status &&
    a.configurationStateId === b.configurationStateId &&
    a.arn === b.arn &&
    a.resourceName === b.resourceName &&
    a.availabilityZone === b.availabilityZone &&
    a.resourceCreationTime === b.resourceCreationTime &&
    a.inferred === b.inferred &&
    sameJson(a.configuration, b.configuration) &&
    sameJson(a.supplementaryConfiguration, b.supplementaryConfiguration) &&
    sameJson(a.tags, b.tags) &&
    sameJson(a.relationships, b.relationships)
  );
}

/**
 * Equal as canonical JSON, for parsed JSON values: key order aside, the same members and scalars. Conservative:
 * anything else (undefined members, objects with toJSON, non-finite numbers) counts as different.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Number.isFinite(a);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || 'toJSON' in a || 'toJSON' in b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const va = (a as Record<string, unknown>)[k];
    if (va === undefined || !Object.hasOwn(b, k) || !sameJson(va, (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** What ordering needs of a version. */
export type VersionOrder = Pick<ResourceVersion, 'captureTime' | 'inferred' | 'configurationStateId' | 'contentHash'>;

/** A version without its bulky parts: enough to order it and to show its resource as a node. */
export type VersionHead = Omit<
  ResourceVersion,
  'configuration' | 'supplementaryConfiguration' | 'relationships' | 'source'
>;

export function versionHead(v: ResourceVersion): VersionHead {
  const { configuration: _c, supplementaryConfiguration: _s, relationships: _r, source: _src, ...head } = v;
  return head;
}

/** Orders versions by capture time, then state id (numeric when both are), recorded before inferred (V4). */
export function compareVersions(a: VersionOrder, b: VersionOrder): number {
  if (a.captureTime !== b.captureTime) return a.captureTime < b.captureTime ? -1 : 1;
  if (a.inferred !== b.inferred) return a.inferred ? 1 : -1;
  const sa = a.configurationStateId ?? '';
  const sb = b.configurationStateId ?? '';
  if (sa !== sb) {
    if (/^\d+$/.test(sa) && /^\d+$/.test(sb) && sa.length !== sb.length) return sa.length - sb.length;
    return sa < sb ? -1 : 1;
  }
  return a.contentHash < b.contentHash ? -1 : a.contentHash > b.contentHash ? 1 : 0;
}

export interface MergeResult {
  versions: ResourceVersion[];
  /** Versions to write (new, or a richer copy replacing a stored one). */
  written: ResourceVersion[];
  added: number;
  duplicates: number;
}

/**
 * True when every incoming copy is a stored version (same identity, V2) with the same content hash: then
 * mergeVersions would keep every stored copy and write nothing (V3: equal content is equally rich), so the
 * stored versions need not be read. False when any copy is new or differs; the full versions decide then.
 */
export function onlyRepeats(incoming: ResourceVersion[], stored: readonly VersionOrder[]): boolean {
  if (!incoming.length || !stored.length) return false;
  const hashes = new Map<string, string>();
  for (const h of stored) if (!h.inferred) hashes.set(versionIdentity(h), h.contentHash);
  return incoming.every((v) => {
    const hash = hashes.get(versionIdentity(v));
    return hash !== undefined && hash !== UNHASHED && withContentHash(v).contentHash === hash;
  });
}

/** Merges incoming recorded versions into the stored ones of one resource. */
export function mergeVersions(stored: ResourceVersion[], incoming: ResourceVersion[]): MergeResult {
  const byId = new Map<string, ResourceVersion>();
  for (const v of stored) byId.set(versionIdentity(v), v);
  const written = new Map<string, ResourceVersion>();
  let added = 0;
  let duplicates = 0;
  for (const v of incoming) {
    const id = versionIdentity(v);
    const existing = byId.get(id);
    if (!existing) {
      byId.set(id, v);
      written.set(id, v);
      added++;
      continue;
    }
    duplicates++;
    const keep = preferredCopy(existing, v);
    if (keep !== existing) {
      byId.set(id, keep);
      written.set(id, keep);
    }
  }
  // Every version kept gets its hash: those written store it, and stored ones have theirs.
  const versions = [...byId.values()].map(withContentHash).sort(compareVersions);
  return { versions, written: [...written.values()], added, duplicates };
}

/** The version in force at `at` (the latest captured at or before it); the latest when `at` is absent. */
export function versionAt<T extends { captureTime: string }>(sorted: T[], at?: string): T | undefined {
  if (!at) return sorted[sorted.length - 1];
  let found: T | undefined;
  for (const v of sorted) {
    if (v.captureTime <= at) found = v;
    else break;
  }
  return found;
}
