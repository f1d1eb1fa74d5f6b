// A resource node as seen at one time: the identity plus the version in force (SPEC Q2).
import { parseKey } from './identity.ts';
import type { IsoTime, ResourceIdentity, ResourceKey, ResourceNode, ResourceVersion } from './model.ts';
import { isDeletedStatus } from './versions.ts';

type NodeFields = Pick<
  ResourceVersion,
  'status' | 'tags' | 'arn' | 'resourceName' | 'availabilityZone' | 'captureTime'
>;

export function nodeFromVersion(key: ResourceKey, identity: ResourceIdentity, v: NodeFields | undefined): ResourceNode {
  const node: ResourceNode = {
    key,
    accountId: identity.accountId,
    awsRegion: identity.awsRegion,
    resourceType: identity.resourceType,
    resourceId: identity.resourceId,
    status: v ? v.status : 'NotRecorded',
    recorded: v !== undefined,
    tags: v?.tags ?? {},
  };
  if (v?.arn) node.arn = v.arn;
  if (v?.resourceName) node.resourceName = v.resourceName;
  else if (v?.tags?.Name) node.resourceName = v.tags.Name;
  if (v?.availabilityZone) node.availabilityZone = v.availabilityZone;
  if (v) node.captureTime = v.captureTime;
  return node;
}

/** What nodeAt reads of a version: the node's fields, its creation time and enough to order it. */
export type NodeSource = NodeFields & Pick<ResourceVersion, 'resourceCreationTime'>;

/** One millisecond before a time: the last moment before it that a read `at` can name (T3). */
export function justBefore(t: IsoTime): IsoTime {
  return new Date(Date.parse(t) - 1).toISOString();
}

/**
 * A recorded resource as seen at `at` (the latest state when absent), from its versions in order (V4).
 * Rules Q2, T1 and T3. `sorted` must hold the earliest version and every version from the last one at or
 * before `at` that is not a deletion up to `at` (all versions will do): nothing else is read.
 * - No version at or before `at`: the first version describes it when Config says it was created by then
 *   (T1, marked beforeFirstRecord); otherwise it is not yet recorded.
 * - The version in force is a deletion: the node keeps the name, tags, ARN and zone of the last version
 *   that is not one, and says when it was deleted and the last moment it existed (T3).
 */
export function nodeAt(
  key: ResourceKey,
  identity: ResourceIdentity,
  sorted: readonly NodeSource[],
  at?: IsoTime,
): ResourceNode {
  let i = sorted.length - 1;
  if (at !== undefined) while (i >= 0 && sorted[i]!.captureTime > at) i--;
  if (i < 0) {
    const first = sorted[0];
    const created = first?.resourceCreationTime;
    if (
      first &&
      at !== undefined &&
      created &&
      !isDeletedStatus(first.status) &&
      created < first.captureTime &&
      created <= at
    ) {
      const node = nodeFromVersion(key, identity, first);
      node.beforeFirstRecord = true;
      node.firstRecordedAt = first.captureTime;
      return node;
    }
    const node = nodeFromVersion(key, identity, undefined);
    node.status = 'NotYetRecorded';
    return node;
  }
  const v = sorted[i]!;
  if (!isDeletedStatus(v.status)) return nodeFromVersion(key, identity, v);
  let j = i;
  while (j >= 0 && isDeletedStatus(sorted[j]!.status)) j--;
  const live = j >= 0 ? sorted[j] : undefined;
  const deletion = sorted[j + 1]!;
  const shown: NodeFields = live
    ? {
        status: v.status,
        captureTime: v.captureTime,
        tags: live.tags,
        ...((live.arn ?? v.arn) ? { arn: live.arn ?? v.arn } : {}),
        ...(live.resourceName ? { resourceName: live.resourceName } : {}),
        ...(live.availabilityZone ? { availabilityZone: live.availabilityZone } : {}),
      }
    : v;
  const node = nodeFromVersion(key, identity, shown);
  node.deletedAt = deletion.captureTime;
  if (live && live.captureTime < deletion.captureTime) node.lastExistedAt = justBefore(deletion.captureTime);
  return node;
}

/** A node whose version in force is a deletion (T4: no edge is drawn to it). */
export function isDeletedNode(node: ResourceNode | undefined): boolean {
  return node !== undefined && node.recorded && isDeletedStatus(node.status);
}

export function placeholderNode(key: ResourceKey, resourceName?: string): ResourceNode {
  const id = parseKey(key) ?? { accountId: '', awsRegion: '', resourceType: '', resourceId: key };
  const node = nodeFromVersion(key, id, undefined);
  if (resourceName) node.resourceName = resourceName;
  return node;
}

/** A recorded resource exists at a time when its version in force is not a deletion (Q2). */
export function existsAt(v: Pick<ResourceVersion, 'status'> | undefined): boolean {
  return v !== undefined && !isDeletedStatus(v.status);
}

export function compareNodes(a: ResourceNode, b: ResourceNode): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
