// A resource as of a time, read in Cypher: the part of a statement that turns a matched `(r:Resource)`
// into a `node` row, and the row into the ResourceNode the port returns (the rules are nodeAt's).
import type { IsoTime, ResourceNode, ResourceVersion } from '../../model.ts';
import { nodeAt, placeholderNode, type NodeSource } from '../../nodes.ts';
import { compareVersions, DELETED_STATUSES, type VersionOrder } from '../../versions.ts';

/** A record as the driver returns it (query.ts imports this module, so the alias is not taken from there). */
type Row = Record<string, unknown>;

/** What showing a resource as a node needs of one of its versions: nodeAt's fields and the version order. */
export type NodeHead = NodeSource & VersionOrder;

/** A version's `head` property (JSON): small, so that graph reads never fetch the body. */
export function nodeHeadOf(v: ResourceVersion): NodeHead {
  const head: NodeHead = {
    captureTime: v.captureTime,
    status: v.status,
    inferred: v.inferred,
    contentHash: v.contentHash,
    tags: v.tags,
  };
  if (v.configurationStateId !== undefined) head.configurationStateId = v.configurationStateId;
  if (v.arn !== undefined) head.arn = v.arn;
  if (v.resourceName !== undefined) head.resourceName = v.resourceName;
  if (v.availabilityZone !== undefined) head.availabilityZone = v.availabilityZone;
  if (v.resourceCreationTime !== undefined) head.resourceCreationTime = v.resourceCreationTime;
  return head;
}

/**
 * Follows a clause that binds `r`; binds `node`. nodeAt reads the earliest version (T1) and the versions
 * from the last one at or before `$at` that is not a deletion up to `$at` (T3): only those are sent back,
 * and only their heads (`nodeHeadOf`). Needs the parameters of `nodeStateParams`.
 */
export const NODE_STATE = `
  OPTIONAL MATCH (r)-[:HAS_VERSION]->(v:Version)
  WITH r, collect(v) AS all
  WITH r, all, [x IN all WHERE $at IS NULL OR x.captureTime <= $at] AS upTo,
       reduce(m = null, x IN all | CASE WHEN m IS NULL OR x.captureTime < m THEN x.captureTime ELSE m END) AS earliest
  WITH r, all, earliest,
       reduce(m = '', x IN upTo | CASE WHEN NOT x.status IN $deleted AND x.captureTime > m THEN x.captureTime ELSE m END) AS lastLive
  WITH r, {key: r.key, recorded: r.recorded, resourceName: r.resourceName, accountId: r.accountId,
           awsRegion: r.awsRegion, resourceType: r.resourceType, resourceId: r.resourceId,
           heads: [x IN all WHERE x.captureTime = earliest OR (($at IS NULL OR x.captureTime <= $at) AND x.captureTime >= lastLive) | x.head]} AS node`;

export function nodeStateParams(at: IsoTime | undefined): Row {
  return { at: at ?? null, deleted: [...DELETED_STATUSES] };
}

export function nodeOfRow(r: Row, at: IsoTime | undefined): ResourceNode {
  const key = r.key as string;
  if (r.recorded !== true) return placeholderNode(key, (r.resourceName as string | null) ?? undefined);
  const versions = (r.heads as string[]).map((h) => JSON.parse(h) as NodeHead).sort(compareVersions);
  const identity = {
    accountId: r.accountId as string,
    awsRegion: r.awsRegion as string,
    resourceType: r.resourceType as string,
    resourceId: r.resourceId as string,
  };
  return nodeAt(key, identity, versions, at);
}
