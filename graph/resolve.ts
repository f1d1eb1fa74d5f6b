// Target resolution (SPEC I3–I5): a relationship target names a type and an id or only a name, never an ARN.
import { keyOf, targetRegion } from './identity.ts';
import type { RawRelationship, ResourceIdentity, ResourceKey } from './model.ts';

export interface TargetCandidate {
  key: ResourceKey;
  awsRegion: string;
}

/** What to look up among recorded resources for a target: same account and type, by id or by name. */
export function targetLookup(
  source: ResourceIdentity,
  r: RawRelationship,
): { accountId: string; resourceType: string; id?: string; name?: string } {
  const q: { accountId: string; resourceType: string; id?: string; name?: string } = {
    accountId: source.accountId,
    resourceType: r.resourceType,
  };
  if (r.resourceId) q.id = r.resourceId;
  else if (r.resourceName) q.name = r.resourceName;
  return q;
}

/**
 * Chooses among recorded candidates: same region first, then "global", then the smallest key, so the
 * answer depends only on what is stored, not on arrival order. Without candidates the target is a
 * placeholder whose key is what the resource's own CI would produce.
 */
export function chooseTarget(source: ResourceIdentity, r: RawRelationship, candidates: TargetCandidate[]): ResourceKey {
  if (candidates.length === 1) return candidates[0]!.key;
  if (candidates.length) {
    const rank = (c: TargetCandidate) => (c.awsRegion === source.awsRegion ? 0 : c.awsRegion === 'global' ? 1 : 2);
    const best = [...candidates].sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : 1))[0]!;
    return best.key;
  }
  return placeholderKey(source, r);
}

export function placeholderKey(source: ResourceIdentity, r: RawRelationship): ResourceKey {
  return keyOf({
    accountId: source.accountId,
    awsRegion: targetRegion(source.awsRegion, r.resourceType),
    resourceType: r.resourceType,
    resourceId: r.resourceId ?? r.resourceName ?? '',
  });
}
