// Queries every store answers the same way once a reference is resolved (SPEC Q3, Q4, W1–W3): arguments
// are checked first, so a bad one is reported whatever the reference names.
import type { IsoTime, ResourceKey } from '../model.ts';
import type { Neighborhood, NeighborhoodOptions, PathOptions, PathResult, ResourceRef, ViewOptions } from '../store.ts';
import { neighborhoodOf, pathBetween, validateDepth, type GraphReader } from '../traverse.ts';
import { parseViewKind, purposeViewOf, viewReach, type PurposeView } from '../views.ts';
import { pathDepth } from './ranges.ts';

export type ResolveRef = (ref: ResourceRef) => Promise<ResourceKey>;

/** A reader for one neighbourhood, for a store that reads its subgraph ahead (graph/subgraph-reader.ts). */
export type NeighborhoodReader = (
  root: ResourceKey,
  opts: { depth: number; at?: IsoTime; types?: string[] },
) => Promise<GraphReader>;

export async function neighborhoodByRef(
  reader: GraphReader | NeighborhoodReader,
  resolve: ResolveRef,
  ref: ResourceRef,
  opts: NeighborhoodOptions,
): Promise<Neighborhood> {
  const depth = validateDepth(opts.depth);
  const root = await resolve(ref);
  const shape = { depth, ...(opts.at ? { at: opts.at } : {}), ...(opts.types ? { types: opts.types } : {}) };
  const read = typeof reader === 'function' ? await reader(root, shape) : reader;
  return neighborhoodOf(read, root, { ...shape, ...(opts.limit ? { limit: opts.limit } : {}) });
}

export async function viewByRef(
  reader: GraphReader | NeighborhoodReader,
  resolve: ResolveRef,
  ref: ResourceRef,
  opts: ViewOptions,
): Promise<PurposeView> {
  const kind = parseViewKind(opts.kind);
  const root = await resolve(ref);
  const at = opts.at ? { at: opts.at } : {};
  const read = typeof reader === 'function' ? await reader(root, { ...viewReach(kind), ...at }) : reader;
  return purposeViewOf(read, root, { kind, ...at, ...(opts.limit ? { limit: opts.limit } : {}) });
}

export async function pathByRef(
  reader: GraphReader,
  resolve: ResolveRef,
  a: ResourceRef,
  b: ResourceRef,
  opts: PathOptions,
): Promise<PathResult> {
  const maxDepth = pathDepth(opts.maxDepth);
  return pathBetween(reader, await resolve(a), await resolve(b), { maxDepth, ...(opts.at ? { at: opts.at } : {}) });
}
