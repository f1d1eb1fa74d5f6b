// The whole graph as it stood at one time (SPEC Q6), assembled the same way over every store's reader.
import { isComplianceKey } from '../compliance.ts';
import { validAt } from '../edges.ts';
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode } from '../model.ts';
import { compareNodes } from '../nodes.ts';
import type { GraphPage, GraphSnapshot } from '../store.ts';
import type { GraphReader } from '../traverse.ts';
import { isDeletedStatus } from '../versions.ts';
import { compareEdgeIds } from './canonical-export.ts';

/** Q6: a resource is drawn at a time when it is recorded then and its version in force is not a deletion. */
export const standsAt = (n: ResourceNode): boolean => n.recorded && !isDeletedStatus(n.status);

/** Q6: an edge's target not drawn itself is kept, as a placeholder, when nothing records it at that time. */
export const placeholderAt = (n: ResourceNode): boolean => !n.recorded && !isComplianceKey(n.key);

/**
 * `recorded` are the recorded resources of the scope asked for. Those that existed at `at` are kept, with
 * the edges between them in force then and the placeholders those edges point at.
 */
export async function graphAtOf(
  reader: GraphReader,
  recorded: ResourceKey[],
  at: IsoTime | undefined,
): Promise<GraphSnapshot> {
  const drawn = recorded.filter((k) => !isComplianceKey(k));
  const nodes = (await reader.nodesAt(drawn, at)).filter(standsAt);
  const present = new Set(nodes.map((n) => n.key));
  const edges = (await reader.edgesTouching([...present], at)).filter((e) => present.has(e.source) && validAt(e, at));
  const placeholderKeys = [
    ...new Set(edges.map((e) => e.target).filter((t) => !present.has(t) && !isComplianceKey(t))),
  ];
  const extra = (await reader.nodesAt(placeholderKeys, at)).filter(placeholderAt);
  for (const n of extra) present.add(n.key);
  const kept = edges.filter((e) => present.has(e.target)).sort(compareEdgeIds);
  const snapshot: GraphSnapshot = { nodes: [...nodes, ...extra].sort(compareNodes), edges: kept };
  if (at) snapshot.at = at;
  return snapshot;
}

/** Items per page of a streamed graph: few enough awaits per estate, small enough to write as they come. */
export const GRAPH_PAGE = 2000;

/** A snapshot as streamGraphAt's pages (a store that builds the snapshot anyway streams it this way). */
export function* pagesOfSnapshot(s: GraphSnapshot): Generator<GraphPage> {
  for (let i = 0; i < s.nodes.length; i += GRAPH_PAGE) yield { nodes: s.nodes.slice(i, i + GRAPH_PAGE) };
  for (let i = 0; i < s.edges.length; i += GRAPH_PAGE) yield { edges: s.edges.slice(i, i + GRAPH_PAGE) };
}

/** streamGraphAt's pages collected: graphAt's answer. */
export async function snapshotOfPages(
  pages: AsyncIterable<GraphPage> | Iterable<GraphPage>,
  at: IsoTime | undefined,
): Promise<GraphSnapshot> {
  const nodes: ResourceNode[] = [];
  const edges: GraphEdge[] = [];
  for await (const page of pages) {
    if (page.nodes) {
      if (edges.length > 0) throw new Error('streamGraphAt: a page of nodes after the edges');
      for (const n of page.nodes) nodes.push(n);
    } else for (const e of page.edges) edges.push(e);
  }
  const snapshot: GraphSnapshot = { nodes, edges };
  if (at) snapshot.at = at;
  return snapshot;
}
