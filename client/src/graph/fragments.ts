// The view is the union of fragments: the root's neighbourhood plus one depth-1 neighbourhood per
// expanded node. Collapsing removes a fragment and any expansion it alone made reachable.
import type { GraphEdge, ResourceKey, ResourceNode } from '../../../graph/model.ts';
import type { Neighborhood } from '../../../graph/store.ts';

export interface Fragment {
  /** The resource whose neighbourhood this is (the root or an expanded node). */
  owner: ResourceKey;
  nodes: ResourceNode[];
  edges: GraphEdge[];
  truncated: boolean;
  omitted: { key: ResourceKey; count: number }[];
}

export interface LoadedGraph {
  nodes: Map<ResourceKey, ResourceNode>;
  edges: Map<string, GraphEdge>;
  truncated: boolean;
}

export function fragmentOf(owner: ResourceKey, n: Neighborhood): Fragment {
  return { owner, nodes: n.nodes, edges: n.edges, truncated: n.truncated, omitted: n.omitted ?? [] };
}

/** Union of fragments; an edge is kept only when both of its ends are present. */
export function mergeFragments(fragments: Fragment[]): LoadedGraph {
  const nodes = new Map<ResourceKey, ResourceNode>();
  const edges = new Map<string, GraphEdge>();
  let truncated = false;
  for (const f of fragments) {
    truncated ||= f.truncated;
    for (const n of f.nodes) if (!nodes.has(n.key)) nodes.set(n.key, n);
  }
  for (const f of fragments)
    for (const e of f.edges) if (nodes.has(e.source) && nodes.has(e.target) && !edges.has(e.id)) edges.set(e.id, e);
  return { nodes, edges, truncated };
}

/**
 * Expansions that survive collapsing `key`: the expansion of `key` goes, and so does every
 * expansion whose node is no longer reachable from the root through the remaining fragments.
 */
export function collapse(
  root: ResourceKey,
  expanded: ResourceKey[],
  fragments: Fragment[],
  key: ResourceKey,
): ResourceKey[] {
  const byOwner = new Map(fragments.map((f) => [f.owner, f] as const));
  let kept = expanded.filter((k) => k !== key);
  for (;;) {
    const visible = new Set<ResourceKey>();
    const rootFragment = byOwner.get(root);
    for (const n of rootFragment?.nodes ?? []) visible.add(n.key);
    // Grow from the root: an expansion counts only once its owner is visible.
    let grew = true;
    while (grew) {
      grew = false;
      for (const k of kept) {
        if (!visible.has(k)) continue;
        for (const n of byOwner.get(k)?.nodes ?? [])
          if (!visible.has(n.key)) {
            visible.add(n.key);
            grew = true;
          }
      }
    }
    const next = kept.filter((k) => visible.has(k));
    if (next.length === kept.length) return next;
    kept = next;
  }
}

/** Double-click: expand a collapsed node, collapse an expanded one. The root is always expanded. */
export function toggleExpansion(
  root: ResourceKey,
  expanded: ResourceKey[],
  fragments: Fragment[],
  key: ResourceKey,
): ResourceKey[] {
  if (key === root) return expanded;
  if (expanded.includes(key)) return collapse(root, expanded, fragments, key);
  return [...expanded, key];
}
