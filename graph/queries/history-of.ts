// A resource's history (SPEC Q6, A2) over every store: targets named as the stored edges resolved them.
import { effectiveRelationships } from '../edges.ts';
import { eventNamesOf, historyEntries } from '../history.ts';
import { parseKey } from '../identity.ts';
import type { EdgeNaming as Naming, TargetLookup } from '../ingest/reads.ts';
import type { ChangeEvent, RawRelationship, ResourceKey, ResourceNode, ResourceVersion } from '../model.ts';
import { chooseTarget, targetLookup, type TargetCandidate } from '../resolve.ts';
import type { ResourceHistory } from '../store.ts';

type Awaitable<T> = T | Promise<T>;

/** A stored edge's target and what its relationship named. */
export type EdgeNaming = Naming & { target: ResourceKey };

export interface HistoryReads {
  /** Every stored outgoing edge of the resource, at any time, earliest (validFrom, then id) first. */
  edgesFrom(key: ResourceKey): Awaitable<EdgeNaming[]>;
  /** Recorded candidates for each lookup, in the lookups' order. */
  candidates(lookups: TargetLookup[]): Awaitable<TargetCandidate[][]>;
  /** CloudTrail events naming any of these resource names. */
  eventsNaming(names: string[]): Awaitable<ChangeEvent[]>;
}

const namingId = (origin: string, name: string, type: string, id: string | null, resourceName: string | null) =>
  [origin, name, type, id ?? '', resourceName ?? ''].join('\u0000');

/** `versions` are all of the resource's versions in order, `node` the resource now. */
export async function historyOf(
  key: ResourceKey,
  node: ResourceNode,
  versions: ResourceVersion[],
  reads: HistoryReads,
): Promise<ResourceHistory> {
  const identity = parseKey(key)!;
  const stored = new Map<string, ResourceKey>();
  for (const e of await reads.edgesFrom(key)) {
    const id = namingId(e.origin, e.name, e.targetType, e.targetId, e.targetName);
    if (!stored.has(id)) stored.set(id, e.target);
  }
  const idOf = (r: RawRelationship) =>
    namingId(r.origin, r.name, r.resourceType, r.resourceId ?? null, r.resourceName ?? null);
  // Relationships no stored edge names resolve as they would now.
  const unresolved = effectiveRelationships(identity.resourceType, versions)
    .flat()
    .filter((r) => !stored.has(idOf(r)));
  const lookups = new Map<string, TargetLookup>();
  for (const r of unresolved) {
    const q = targetLookup(identity, r);
    lookups.set(JSON.stringify(q), q);
  }
  const answers = lookups.size ? await reads.candidates([...lookups.values()]) : [];
  const candidates = new Map([...lookups.keys()].map((id, i) => [id, answers[i] ?? []]));
  const resolve = (r: RawRelationship) =>
    stored.get(idOf(r)) ?? chooseTarget(identity, r, candidates.get(JSON.stringify(targetLookup(identity, r))) ?? []);
  const { names } = eventNamesOf(identity, versions);
  const events = await reads.eventsNaming(names);
  return { resource: node, versions: historyEntries(identity, versions, events, resolve) };
}
