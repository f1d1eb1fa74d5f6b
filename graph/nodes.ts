// A resource node as seen at one time: the identity plus the version in force (SPEC Q2).
import { parseKey } from './identity.ts';
import type { ResourceIdentity, ResourceKey, ResourceNode, ResourceVersion } from './model.ts';
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
