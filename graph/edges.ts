// Edge validity (SPEC E1–E5): a pure function of one resource's ordered versions.
import { sha256 } from './canonical.ts';
import { deriveRelationships } from './derive.ts';
import { relationshipType } from './relationships.ts';
import type { IsoTime, RawRelationship, ResourceKey, ResourceVersion } from './model.ts';
import { isDeletedStatus } from './versions.ts';

/** An edge before its target is resolved to a node key. */
export interface EdgeInterval {
  relationship: RawRelationship;
  /** Normalised relationship type, e.g. IS_CONTAINED_IN. */
  type: string;
  validFrom: IsoTime;
  validTo: IsoTime | null;
}

/** Identity of a relationship on a resource, independent of time. */
export function relationshipIdentity(r: RawRelationship): string {
  // Concatenated, not joined from an array: built for every relationship of every version.
  return `${r.origin}\u0000${r.rule ?? ''}\u0000${r.name}\u0000${r.resourceType}\u0000${r.resourceId ?? ''}\u0000${r.resourceName ?? ''}`;
}

/**
 * The relationships in force at each version: Config's (carried forward when a version does not know them,
 * e.g. a BatchGet copy) plus those derived from configuration. A deletion has none (E3).
 */
export function effectiveRelationships(resourceType: string, sorted: ResourceVersion[]): RawRelationship[][] {
  let lastKnown: RawRelationship[] = [];
  return sorted.map((v) => {
    if (isDeletedStatus(v.status)) {
      lastKnown = [];
      return [];
    }
    if (v.relationships) lastKnown = v.relationships;
    const config = v.relationships ?? lastKnown;
    return [...config, ...deriveRelationships(resourceType, { configuration: v.configuration, relationships: config })];
  });
}

/** The containers whose membership is fixed when a resource is created (T2): a VPC and a subnet. */
const PLACEMENT_TARGETS = new Set(['AWS::EC2::VPC', 'AWS::EC2::Subnet']);

/** T2: a relationship that places a resource in a VPC or subnet, which it cannot leave after creation. */
export function isPlacement(r: RawRelationship): boolean {
  return (
    r.origin === 'config' && PLACEMENT_TARGETS.has(r.resourceType) && relationshipType(r.name) === 'IS_CONTAINED_IN'
  );
}

/**
 * When the first version's placement holds from (T1/T2): its creation time, when Config gives one earlier
 * than the capture; otherwise the capture time.
 */
function placementSince(first: ResourceVersion | undefined): IsoTime | undefined {
  if (!first || isDeletedStatus(first.status)) return undefined;
  const created = first.resourceCreationTime;
  return created && created < first.captureTime ? created : undefined;
}

/**
 * E1: an edge exists from the first version that lists it to the first later version that does not.
 * T2: the placement its first version lists holds from the resource's creation time.
 */
export function edgeValidity(resourceType: string, sorted: ResourceVersion[]): EdgeInterval[] {
  const perVersion = effectiveRelationships(resourceType, sorted);
  const createdAt = placementSince(sorted[0]);
  const open = new Map<string, EdgeInterval>();
  const out: { interval: EdgeInterval; id: string }[] = [];
  const opened = (r: RawRelationship, validFrom: IsoTime): EdgeInterval => ({
    relationship: r,
    type: relationshipType(r.name),
    validFrom,
    validTo: null,
  });
  sorted.forEach((v, i) => {
    const relationships = perVersion[i]!;
    if (i === 0) {
      // Nothing is open yet; of a relationship listed twice, the last is kept, where the first was listed.
      for (const r of relationships)
        open.set(relationshipIdentity(r), opened(r, createdAt && isPlacement(r) ? createdAt : v.captureTime));
      return;
    }
    // Most versions list what the one before listed: nothing opens or closes, and no identity need be built.
    if (sameRelationships(relationships, perVersion[i - 1]!)) return;
    const current = new Map<string, RawRelationship>();
    for (const r of relationships) current.set(relationshipIdentity(r), r);
    for (const [id, interval] of open) {
      if (!current.has(id)) {
        interval.validTo = v.captureTime;
        // An edge that opened and closed at the same instant never existed.
        if (interval.validFrom !== interval.validTo) out.push({ interval, id });
        open.delete(id);
      }
    }
    for (const [id, r] of current) if (!open.has(id)) open.set(id, opened(r, v.captureTime));
  });
  for (const [id, interval] of open) out.push({ interval, id });
  out.sort((a, b) =>
    a.interval.validFrom !== b.interval.validFrom
      ? a.interval.validFrom < b.interval.validFrom
        ? -1
        : 1
      : a.id < b.id
        ? -1
        : 1,
  );
  return out.map((k) => k.interval);
}

/**
 * Whether two versions list the same relationships in the same order, field by field: enough for them to
 * have the same identities (relationshipIdentity), without building them.
 */
function sameRelationships(a: readonly RawRelationship[], b: readonly RawRelationship[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x !== y &&
      (x.name !== y.name ||
        x.resourceId !== y.resourceId ||
        x.resourceType !== y.resourceType ||
        x.resourceName !== y.resourceName ||
        x.origin !== y.origin ||
        x.rule !== y.rule)
    )
      return false;
  }
  return true;
}

/** Whether an interval is in force at `at` (now when absent). */
export function validAt(e: { validFrom: IsoTime; validTo: IsoTime | null }, at?: IsoTime): boolean {
  if (!at) return e.validTo === null;
  return e.validFrom <= at && (e.validTo === null || e.validTo > at);
}

/** An edge's id: the same in every store, so canonical exports compare (Q8). */
export function edgeId(source: ResourceKey, r: RawRelationship, validFrom: IsoTime): string {
  return sha256(
    [source, r.origin, r.rule ?? '', r.name, r.resourceType, r.resourceId ?? '', r.resourceName ?? '', validFrom].join(
      '\u0000',
    ),
  ).slice(0, 32);
}
