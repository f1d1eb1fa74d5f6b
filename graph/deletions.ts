// Inferred deletions (SPEC R2–R3): a full snapshot of a scope that no longer lists a resource.
import type { IsoTime, ResourceKey, ResourceVersion } from './model.ts';
import { contentHashOf, isDeletedStatus, versionIdentity } from './versions.ts';

export interface SnapshotMembership {
  time: IsoTime;
  members: ReadonlySet<ResourceKey>;
}

export const INFERRED_SHAPE = 'inferred-from-snapshot';

/**
 * Deletions inferred for one resource from the full snapshots of its scope, as a pure function of its
 * recorded versions and those snapshots (so import order does not matter). A resource absent from a
 * snapshot at T is deleted as of T when its last recorded version before T is not a deletion and no
 * later snapshot lists it again without a newer recorded version.
 */
/** What deletion inference reads of a version: when it was captured and whether it is a deletion. */
export type VersionMoment = Pick<ResourceVersion, 'captureTime' | 'status' | 'inferred'>;

export function inferredDeletions(
  key: ResourceKey,
  recorded: readonly VersionMoment[],
  snapshots: SnapshotMembership[],
): ResourceVersion[] {
  const sortedSnaps = [...snapshots].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const real = recorded.filter((v) => !v.inferred);
  const lastBefore = (t: IsoTime) => {
    let found: VersionMoment | undefined;
    for (const v of real) if (v.captureTime <= t) found = v;
    return found;
  };
  const out: ResourceVersion[] = [];
  let deletedAfter: VersionMoment | undefined;
  sortedSnaps.forEach((snap, i) => {
    if (snap.members.has(key)) return;
    const last = lastBefore(snap.time);
    if (!last || isDeletedStatus(last.status) || last.captureTime >= snap.time) return;
    if (deletedAfter === last) return; // already inferred deleted since this version
    const listedLater = sortedSnaps.slice(i + 1).some((s) => s.members.has(key) && lastBefore(s.time) === last);
    if (listedLater) return;
    deletedAfter = last;
    const content = {
      key,
      captureTime: snap.time,
      status: 'ResourceDeleted',
      configuration: null,
      supplementaryConfiguration: {},
      tags: {},
      relationships: [],
      inferred: true,
    };
    out.push({ ...content, contentHash: contentHashOf(content), source: { shape: INFERRED_SHAPE } });
  });
  return out;
}

/**
 * Whether a resource re-examined only because a snapshot of its scope arrived keeps the inferred
 * deletions it had (by version identity). Then nothing derived from it changes and stores leave its
 * versions, edges and search terms as they are: a snapshot run costs what it changes, not the scope.
 */
export function inferenceUnchanged(previous: ReadonlySet<string>, inferred: ResourceVersion[]): boolean {
  if (previous.size !== inferred.length) return false;
  return inferred.every((v) => previous.has(versionIdentity(v)));
}
