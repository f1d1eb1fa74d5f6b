// A GraphReader over a subgraph a store read ahead in one query (the Neo4j neighbourhood, SPEC Q3), so
// the shared traversal runs in memory instead of sending a query per hop. The read-ahead only has to be
// likely, not exact: whatever the traversal asks that it does not hold is read from the store behind it,
// so the answers are those of the store itself.
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode } from './model.ts';
import { isDeletedNode } from './nodes.ts';
import { edgesAmong, type EdgeEnds, type GraphReader } from './traverse.ts';

export interface Subgraph {
  /** Resources whose every edge in force at `at` is in `edges`, or has its ends in `beyond`. */
  complete: ResourceKey[];
  /** Resources every edge of which to another of them is in `edges` (a superset of `complete`). */
  reached: ResourceKey[];
  edges: GraphEdge[];
  /**
   * Edges in force at `at` from a reached resource to one that is not, by their ends only (reached end
   * first): the traversal only counts a hub's neighbours, so their edges need not travel whole.
   */
  beyond?: [ResourceKey, ResourceKey][];
  /** Nodes as of `at`: at least every reached one. */
  nodes: ResourceNode[];
  /** Whether each resource outside `reached` that `edges` or `beyond` lead to is deleted at `at` (T4): all the traversal needs of it. */
  fates?: [ResourceKey, boolean][];
}

/** Reads `subgraph` (taken at `at`), and `store` for anything else or any other time. */
export function subgraphReader(subgraph: Subgraph, at: IsoTime | undefined, store: GraphReader): Required<GraphReader> {
  const complete = new Set(subgraph.complete);
  const reached = new Set(subgraph.reached);
  const nodes = new Map(subgraph.nodes.map((n) => [n.key, n]));
  const fates = new Map(subgraph.fates ?? []);
  const beyondOf = new Map<ResourceKey, EdgeEnds[]>();
  for (const [source, target] of subgraph.beyond ?? []) {
    const list = beyondOf.get(source);
    if (list) list.push({ source, target });
    else beyondOf.set(source, [{ source, target }]);
  }
  // Resources whose every edge is held whole: only these answer edgesTouching without the store.
  const whole = new Set(subgraph.complete.filter((k) => !beyondOf.has(k)));
  const edgesOf = new Map<ResourceKey, GraphEdge[]>();
  for (const e of new Map(subgraph.edges.map((x) => [x.id, x])).values())
    for (const k of new Set([e.source, e.target])) {
      const list = edgesOf.get(k);
      if (list) list.push(e);
      else edgesOf.set(k, [e]);
    }
  /** Edges held for `keys`, and those of the ones not in `inSet` read through `ask`. */
  const held = async (
    keys: ResourceKey[],
    inSet: Set<ResourceKey>,
    ask: (missing: ResourceKey[]) => Promise<GraphEdge[]>,
  ): Promise<GraphEdge[]> => {
    const found = new Map<string, GraphEdge>();
    for (const k of keys) for (const e of edgesOf.get(k) ?? []) found.set(e.id, e);
    const missing = [...new Set(keys)].filter((k) => !inSet.has(k));
    if (missing.length) for (const e of await ask(missing)) found.set(e.id, e);
    return [...found.values()];
  };
  const touching = <E extends EdgeEnds>(found: E[], keys: ResourceKey[]): E[] => {
    const wanted = new Set(keys);
    return found.filter((e) => wanted.has(e.source) || wanted.has(e.target));
  };
  const sameTime = (t: IsoTime | undefined) => t === at;

  const reader: Required<GraphReader> = {
    async edgesTouching(keys, t) {
      if (!sameTime(t)) return store.edgesTouching(keys, t);
      return touching(await held(keys, whole, (missing) => store.edgesTouching(missing, t)), keys);
    },
    async endsTouching(keys, t) {
      if (!sameTime(t)) return store.edgesTouching(keys, t);
      const found: EdgeEnds[] = await held(keys, complete, (missing) => store.edgesTouching(missing, t));
      for (const k of new Set(keys)) if (complete.has(k)) found.push(...(beyondOf.get(k) ?? []));
      return touching(found, keys);
    },
    async edgesAmong(keys, t) {
      if (!sameTime(t)) return edgesAmong(store, keys, t);
      const wanted = new Set(keys);
      // Edges between two reached resources are all held; one with an end outside them is read.
      const found = await held(keys, reached, (missing) => store.edgesTouching(missing, t));
      return found.filter((e) => wanted.has(e.source) && wanted.has(e.target));
    },
    async nodesAt(keys, t) {
      if (!sameTime(t)) return store.nodesAt(keys, t);
      const missing = keys.filter((k) => !nodes.has(k));
      const read = missing.length ? await store.nodesAt(missing, t) : [];
      for (const n of read) nodes.set(n.key, n);
      return [...new Set(keys)].map((k) => nodes.get(k)).filter((n): n is ResourceNode => n !== undefined);
    },
    async deletedAmong(keys, t) {
      const out = new Set<ResourceKey>();
      const unknown: ResourceKey[] = [];
      for (const k of new Set(keys)) {
        const fate = sameTime(t) ? (nodes.has(k) ? isDeletedNode(nodes.get(k)) : fates.get(k)) : undefined;
        if (fate === undefined) unknown.push(k);
        else if (fate) out.add(k);
      }
      if (unknown.length) for (const n of await reader.nodesAt(unknown, t)) if (isDeletedNode(n)) out.add(n.key);
      return out;
    },
  };
  return reader;
}
