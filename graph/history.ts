// A resource's history (SPEC Q6, A2) from its ordered versions: written once, used by every store.
import { versionChanges } from './changes.ts';
import { attributeChanges } from './cloudtrail.ts';
import { effectiveRelationships } from './edges.ts';
import type { ChangeEvent, HistoryEntry, RawRelationship, ResourceIdentity, ResourceVersion } from './model.ts';

/** The names CloudTrail may use for a resource: its id, latest ARN and latest name. */
export function eventNamesOf(
  identity: ResourceIdentity,
  sorted: ResourceVersion[],
): { arn?: string; resourceName?: string; names: string[] } {
  const latest = [...sorted].reverse();
  const arn = latest.find((v) => v.arn)?.arn;
  const resourceName = latest.find((v) => v.resourceName)?.resourceName;
  const out: { arn?: string; resourceName?: string; names: string[] } = {
    names: [identity.resourceId, arn, resourceName].filter((x): x is string => Boolean(x)),
  };
  if (arn) out.arn = arn;
  if (resourceName) out.resourceName = resourceName;
  return out;
}

/**
 * Every version oldest first with its changes from the previous one and who made them. `resolve` names
 * a relationship's target node (stores answer from their edges).
 */
export function historyEntries(
  identity: ResourceIdentity,
  sorted: ResourceVersion[],
  events: ChangeEvent[],
  resolve: (r: RawRelationship) => string,
): HistoryEntry[] {
  const rels = effectiveRelationships(identity.resourceType, sorted);
  const { arn, resourceName } = eventNamesOf(identity, sorted);
  const who = attributeChanges(
    {
      accountId: identity.accountId,
      resourceId: identity.resourceId,
      ...(arn ? { arn } : {}),
      ...(resourceName ? { resourceName } : {}),
    },
    sorted.map((v) => v.captureTime),
    events,
  );
  let lastTags: Record<string, string> | null = {};
  return sorted.map((v, i) => {
    const prev = i > 0 ? sorted[i - 1] : undefined;
    // Tags unknown in a version (BatchGet) are carried forward, like relationships (V5).
    const tags = v.tags ?? lastTags;
    const prevTags = lastTags;
    lastTags = tags;
    const changes = versionChanges(
      prev
        ? { status: prev.status, configuration: prev.configuration, tags: prevTags, relationships: rels[i - 1] ?? [] }
        : undefined,
      { status: v.status, configuration: v.configuration, tags, relationships: rels[i] ?? [] },
      resolve,
    );
    const entry: HistoryEntry = {
      captureTime: v.captureTime,
      status: v.status,
      inferred: v.inferred,
      source: v.source,
      changes,
    };
    if (v.configurationStateId) entry.configurationStateId = v.configurationStateId;
    if (who[i]?.length) entry.changedBy = who[i];
    return entry;
  });
}
