// Neighbourhood and path (SPEC Q3–Q4), written once over a minimal read interface that each store provides.
import { isComplianceKey } from './compliance.ts';
import { typeOfKey } from './identity.ts';
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode } from './model.ts';
import { isDeletedNode } from './nodes.ts';
import { inRange, NEIGHBORHOOD_DEPTH, NEIGHBORHOOD_LIMIT } from './query-limits.ts';

/** The neighbourhood of a resource, as the port answers it (SPEC Q3). */
export interface Neighborhood {
  root: ResourceKey;
  nodes: ResourceNode[];
  edges: GraphEdge[];
  truncated: boolean;
  /** What was cut when truncated: per-node counts of neighbours left out. */
  omitted?: { key: ResourceKey; count: number }[];
}

/** The shortest path between two resources (SPEC Q4); `found` false with empty lists when none. */
export interface PathResult {
  found: boolean;
  nodes: ResourceNode[];
  edges: GraphEdge[];
}

/** An edge's two ends: all a traversal needs of the edges it only follows or counts. */
export type EdgeEnds = Pick<GraphEdge, 'source' | 'target'>;

export interface GraphReader {
  /** Edges in force at `at` (now when absent) with either end in `keys`. */
  edgesTouching(keys: ResourceKey[], at?: IsoTime): Promise<GraphEdge[]>;
  /**
   * The ends of those edges (each pair at least once), for a reader that holds them more cheaply than the
   * edges: a hub's neighbours are only counted, so a read-ahead need not send their edges whole.
   */
  endsTouching?(keys: ResourceKey[], at?: IsoTime): Promise<EdgeEnds[]>;
  /** Nodes as of `at`, placeholders included; unknown keys are left out. */
  nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]>;
  /** Edges in force at `at` with both ends in `keys`, for a reader that answers it more cheaply than `edgesTouching`. */
  edgesAmong?(keys: ResourceKey[], at?: IsoTime): Promise<GraphEdge[]>;
  /**
   * Which of `keys` are deleted at `at` (T4), for a reader that knows it more cheaply than the nodes: a
   * hub's neighbours are only counted, never shown, so their nodes need not be read.
   */
  deletedAmong?(keys: ResourceKey[], at?: IsoTime): Promise<Set<ResourceKey>>;
}

/** Edges in force at `at` with both ends in `keys`. */
export async function edgesAmong(
  reader: GraphReader,
  keys: ResourceKey[],
  at: IsoTime | undefined,
): Promise<GraphEdge[]> {
  if (reader.edgesAmong) return reader.edgesAmong(keys, at);
  const wanted = new Set(keys);
  return (await reader.edgesTouching(keys, at)).filter((e) => wanted.has(e.source) && wanted.has(e.target));
}

/**
 * Edges in force at `at` with either end in `keys`, without those that touch a resource deleted then (T4),
 * nor those to a compliance item not asked for (C5: its results belong on the resource it evaluates).
 * The nodes it reads on the way (as of `at`) are added to `known`, so callers need not read them again (a
 * reader that answers `deletedAmong` reads none).
 */
export async function liveEdgesTouching(
  reader: GraphReader,
  keys: ResourceKey[],
  at: IsoTime | undefined,
  known: Map<ResourceKey, ResourceNode> = new Map(),
): Promise<GraphEdge[]> {
  return liveOf(reader, keys, await reader.edgesTouching(keys, at), at, known);
}

/** liveEdgesTouching's ends only, read the cheapest way the reader has: for traversals that follow edges. */
export async function liveEndsTouching(
  reader: GraphReader,
  keys: ResourceKey[],
  at: IsoTime | undefined,
  known: Map<ResourceKey, ResourceNode>,
): Promise<EdgeEnds[]> {
  const ends = reader.endsTouching ? await reader.endsTouching(keys, at) : await reader.edgesTouching(keys, at);
  return liveOf(reader, keys, ends, at, known);
}

async function liveOf<E extends EdgeEnds>(
  reader: GraphReader,
  keys: ResourceKey[],
  found: E[],
  at: IsoTime | undefined,
  known: Map<ResourceKey, ResourceNode>,
): Promise<E[]> {
  const asked = new Set(keys);
  const drawn = (k: ResourceKey) => asked.has(k) || !isComplianceKey(k);
  const edges = found.filter((e) => drawn(e.source) && drawn(e.target));
  const missing = [...new Set(edges.flatMap((e) => [e.source, e.target]))].filter((k) => !known.has(k));
  let deleted = new Set<ResourceKey>();
  if (missing.length && reader.deletedAmong) deleted = await reader.deletedAmong(missing, at);
  else if (missing.length) for (const n of await reader.nodesAt(missing, at)) known.set(n.key, n);
  const gone = (k: ResourceKey) => deleted.has(k) || isDeletedNode(known.get(k));
  return edges.filter((e) => !gone(e.source) && !gone(e.target));
}

/** Nodes as of `at`, taken from `known` where read already (same order as `keys` is not promised). */
async function nodesOf(
  reader: GraphReader,
  keys: ResourceKey[],
  at: IsoTime | undefined,
  known: Map<ResourceKey, ResourceNode>,
): Promise<ResourceNode[]> {
  const missing = keys.filter((k) => !known.has(k));
  if (missing.length) for (const n of await reader.nodesAt(missing, at)) known.set(n.key, n);
  return keys.map((k) => known.get(k)).filter((n): n is ResourceNode => n !== undefined);
}

/** Q3: a neighbourhood is 1 to 3 hops. */
export function validateDepth(depth: number | undefined): number {
  return inRange('depth', depth, NEIGHBORHOOD_DEPTH);
}
/** Nodes with more neighbours than this are shown but not expanded beyond the root (VPCs, default SGs). */
export const HUB_FANOUT = 40;

export const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The end of `e` that is not `k`. */
export const otherEnd = (e: EdgeEnds, k: ResourceKey) => (e.source === k ? e.target : e.source);

function sortEdges(edges: GraphEdge[]): GraphEdge[] {
  return [...edges].sort((a, b) => byKey(a.id, b.id));
}

export async function neighborhoodOf(
  reader: GraphReader,
  root: ResourceKey,
  opts: { depth: number; at?: IsoTime; types?: string[]; limit?: number },
): Promise<Neighborhood> {
  const limit = opts.limit ?? NEIGHBORHOOD_LIMIT.default;
  const typeFilter = opts.types && opts.types.length ? new Set(opts.types) : undefined;
  const included = new Set<ResourceKey>([root]);
  const omitted = new Map<ResourceKey, number>();
  let frontier = [root];
  let truncated = false;
  const known = new Map<ResourceKey, ResourceNode>();

  for (let level = 0; level < opts.depth && frontier.length > 0; level++) {
    const edges = await liveEndsTouching(reader, frontier, opts.at, known);
    const neighbours = new Map<ResourceKey, Set<ResourceKey>>();
    for (const e of edges) {
      for (const f of [e.source, e.target]) {
        if (!frontier.includes(f)) continue;
        const n = otherEnd(e, f);
        if (n === f) continue;
        if (typeFilter && !typeFilter.has(typeOfKey(n))) continue;
        let set = neighbours.get(f);
        if (!set) neighbours.set(f, (set = new Set()));
        set.add(n);
      }
    }
    const next: ResourceKey[] = [];
    for (const f of [...frontier].sort(byKey)) {
      const ns = [...(neighbours.get(f) ?? [])].sort(byKey).filter((n) => !included.has(n));
      if (f !== root && (neighbours.get(f)?.size ?? 0) > HUB_FANOUT) {
        if (ns.length) omitted.set(f, (omitted.get(f) ?? 0) + ns.length);
        truncated = truncated || ns.length > 0;
        continue;
      }
      for (const n of ns) {
        if (included.size >= limit) {
          omitted.set(f, (omitted.get(f) ?? 0) + 1);
          truncated = true;
          continue;
        }
        included.add(n);
        next.push(n);
      }
    }
    frontier = next;
  }

  const keys = [...included].sort(byKey);
  // Every included node is read already (or is the root): only edges between them, minus deleted ends (T4).
  const nodes = (await nodesOf(reader, keys, opts.at, known)).sort((a, b) => byKey(a.key, b.key));
  const all = await edgesAmong(reader, keys, opts.at);
  const edges = sortEdges(
    all.filter((e) => !isDeletedNode(known.get(e.source)) && !isDeletedNode(known.get(e.target))),
  );
  const result: Neighborhood = { root, nodes, edges, truncated };
  if (omitted.size)
    result.omitted = [...omitted].map(([key, count]) => ({ key, count })).sort((a, b) => byKey(a.key, b.key));
  return result;
}

/** Shortest connection between two resources, following edges in either direction (Q4). */
export async function pathBetween(
  reader: GraphReader,
  from: ResourceKey,
  to: ResourceKey,
  opts: { at?: IsoTime; maxDepth: number },
): Promise<PathResult> {
  if (from === to) return { found: true, nodes: await reader.nodesAt([from], opts.at), edges: [] };
  const parent = new Map<ResourceKey, { prev: ResourceKey; edge: GraphEdge }>();
  const known = new Map<ResourceKey, ResourceNode>();
  const seen = new Set([from]);
  let frontier = [from];
  for (let depth = 0; depth < opts.maxDepth && frontier.length; depth++) {
    const edges = sortEdges(await liveEdgesTouching(reader, frontier, opts.at, known));
    const next: ResourceKey[] = [];
    const frontierSet = new Set(frontier);
    for (const e of edges) {
      for (const f of [e.source, e.target]) {
        if (!frontierSet.has(f)) continue;
        const n = otherEnd(e, f);
        if (seen.has(n)) continue;
        seen.add(n);
        parent.set(n, { prev: f, edge: e });
        next.push(n);
      }
    }
    if (seen.has(to)) {
      const keys: ResourceKey[] = [to];
      const pathEdges: GraphEdge[] = [];
      let k = to;
      while (k !== from) {
        const p = parent.get(k)!;
        pathEdges.unshift(p.edge);
        k = p.prev;
        keys.unshift(k);
      }
      const nodes = await nodesOf(reader, keys, opts.at, known);
      const order = new Map(keys.map((key, i) => [key, i]));
      nodes.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
      return { found: true, nodes, edges: pathEdges };
    }
    frontier = next.sort(byKey);
  }
  return { found: false, nodes: [], edges: [] };
}
