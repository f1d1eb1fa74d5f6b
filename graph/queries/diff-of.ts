// The difference between the graph at two times (SPEC Q7) read from what changed between them, not from
// two whole snapshots (what is in the graph at a time is graph-at.ts's standsAt and placeholderAt): the answer `diffSnapshots` gives for the two `graphAt`s, in the same order, at a cost
// that grows with the changes after `from` rather than with the estate.
import { isComplianceKey } from '../compliance.ts';
import { validAt } from '../edges.ts';
import { diffSnapshots, edgeIdentity } from '../graph-diff.ts';
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode, Scope } from '../model.ts';
import { compareNodes } from '../nodes.ts';
import type { GraphDiff } from '../store.ts';
import type { GraphReader } from '../traverse.ts';
import { compareEdgeIds } from './canonical-export.ts';
import { placeholderAt, standsAt } from './graph-at.ts';

/** What a store answers for a diff read from the changes (of a reader of the graph, only `nodesAt`). */
export interface ChangeReader extends Pick<GraphReader, 'nodesAt'> {
  /** `nodesAt` at two times, for a reader that reads them more cheaply together. */
  nodesAtBoth(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<[ResourceNode[], ResourceNode[]]>;
  /** Recorded resources with a version captured after `from` (more will do): no other node differs in (from, to]. */
  resourcesChangedAfter(from: IsoTime): Promise<ResourceKey[]>;
  /** Edges whose interval starts or ends in (from, to]: no other edge's validity differs between them. */
  edgesChangedBetween(from: IsoTime, to: IsoTime): Promise<GraphEdge[]>;
  /**
   * Edges from or to these resources in force at both `from` and `to` (more will do): an edge in force at
   * only one of them starts or ends in (from, to], so `edgesChangedBetween` has it.
   */
  edgesTouchingBetween(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<GraphEdge[]>;
  /**
   * Edges in force at both `from` and `to` with the identity (source, target, name, origin, rule) of an edge
   * whose interval starts or ends in (from, to] (more will do).
   */
  twinsInForce(from: IsoTime, to: IsoTime): Promise<GraphEdge[]>;
}

/**
 * An edge is in the graph at `t` (graphAtOf) when it is in force, its source is a resource of the scope that
 * exists then, and its target too or is not a recorded resource then (a placeholder, or not yet recorded).
 * A resource none of whose versions is after `from` looks the same at both times, so only edges whose own
 * interval changes, or with an end that changes role (exists, recorded but not existing, not recorded), can enter or leave the graph; the
 * comparison by identity then needs every edge sharing an identity with one of those.
 */
export async function diffOfChanges(
  reader: ChangeReader,
  from: IsoTime,
  to: IsoTime,
  scope: Scope,
): Promise<GraphDiff> {
  const inScope = (n: ResourceNode) =>
    !isComplianceKey(n.key) &&
    (!scope.accountId || n.accountId === scope.accountId) &&
    (!scope.awsRegion || n.awsRegion === scope.awsRegion);
  const exists = (n: ResourceNode | undefined): boolean => n !== undefined && standsAt(n) && inScope(n);

  const changed = (await reader.resourcesChangedAfter(from)).filter((k) => !isComplianceKey(k));
  const candidates = new Map<string, GraphEdge>();
  for (const e of await reader.edgesChangedBetween(from, to)) candidates.set(e.id, e);
  // Nodes at both times of the changed resources and of the ends of those edges, read at once; later
  // ends are read at `to` only: a resource not changed after `from` is the same at both times.
  // An edge from or to a compliance item is never in the graph (C5), so its ends are not read.
  const ends = (edges: Iterable<GraphEdge>) => {
    const keys = new Set<ResourceKey>();
    for (const e of edges) {
      if (isComplianceKey(e.source) || isComplianceKey(e.target)) continue;
      if (!before.has(e.source)) keys.add(e.source);
      if (!before.has(e.target)) keys.add(e.target);
    }
    return [...keys];
  };
  const before = new Map<ResourceKey, ResourceNode>();
  const after = new Map<ResourceKey, ResourceNode>();
  const [atFrom, atTo] = await reader.nodesAtBoth([...new Set([...changed, ...ends(candidates.values())])], from, to);
  for (const n of atFrom) before.set(n.key, n);
  for (const n of atTo) after.set(n.key, n);
  const readEnds = async (edges: Iterable<GraphEdge>) => {
    for (const n of await reader.nodesAt(ends(edges), to)) {
      before.set(n.key, n);
      after.set(n.key, n);
    }
  };

  // As an edge's end, a resource counts three ways: it exists, it is recorded but does not exist (deleted, or
  // out of the scope), or it is not recorded (yet).
  const role = (n: ResourceNode | undefined) => (exists(n) ? 2 : n?.recorded ? 1 : 0);
  const turned = changed.filter((k) => role(before.get(k)) !== role(after.get(k)));
  for (const e of await reader.edgesTouchingBetween(turned, from, to)) candidates.set(e.id, e);
  await readEnds(candidates.values());

  // Where an edge stands: 1 in the graph at `from` only, 2 at `to` only, 3 at both.
  const inGraph = (e: GraphEdge, at: IsoTime, nodes: Map<ResourceKey, ResourceNode>) => {
    if (!validAt(e, at) || !exists(nodes.get(e.source))) return false;
    const target = nodes.get(e.target);
    return target !== undefined && (exists(target) || placeholderAt(target));
  };
  const stands = new Map<GraphEdge, number>();
  const place = (e: GraphEdge) => {
    const at = (inGraph(e, from, before) ? 1 : 0) | (inGraph(e, to, after) ? 2 : 0);
    if (at) stands.set(e, at);
    return at;
  };
  const moved: GraphEdge[] = [];
  const steady: GraphEdge[] = [];
  for (const e of candidates.values()) {
    const at = place(e);
    if (at === 3) steady.push(e);
    else if (at) moved.push(e);
  }
  // The comparison is by identity, so an edge that entered or left counts only if no other edge of its
  // identity stands at that time. Such another edge stands at both times: one that moved is a candidate. If
  // the moved edge touches a resource that turned, so does its twin (same source and target), a candidate
  // too; otherwise the moved edge's interval changed, and the store finds its twins.
  if (moved.length > 0) {
    const twins = new Map<string, GraphEdge>();
    for (const e of await reader.twinsInForce(from, to)) if (!candidates.has(e.id)) twins.set(e.id, e);
    await readEnds(twins.values());
    for (const e of twins.values()) if (place(e) === 3) steady.push(e);
  }
  const identity = new Map<GraphEdge, string>();
  for (const e of moved) identity.set(e, edgeIdentity(e));
  const identities = new Set(identity.values());
  for (const e of steady) {
    const id = edgeIdentity(e);
    if (identities.has(id)) identity.set(e, id);
  }
  const alike = [...identity.keys()].sort(compareEdgeIds);

  // The changed resources and those edges, as the two graphAts would hold them.
  const snapshotAt = (t: 1 | 2, nodes: Map<ResourceKey, ResourceNode>) => ({
    nodes: changed.flatMap((k) => (exists(nodes.get(k)) ? [nodes.get(k)!] : [])).sort(compareNodes),
    edges: alike.filter((e) => (stands.get(e)! & t) !== 0),
  });
  return diffSnapshots(from, to, snapshotAt(1, before), snapshotAt(2, after), (e) => identity.get(e)!);
}
