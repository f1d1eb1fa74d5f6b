// Queries every store answers the same way once a reference is resolved (SPEC Q3, Q4, W1–W3): arguments
// are checked first, so a bad one is reported whatever the reference names.
import type { IsoTime, ResourceKey } from '../model.ts';
import type { Neighborhood, NeighborhoodOptions, PathOptions, PathResult, ResourceRef, ViewOptions } from '../store.ts';
import { neighborhoodOf, pathBetween, validateDepth, type GraphReader } from '../traverse.ts';
import { parseViewKind, purposeViewOf, viewReach, type PurposeView } from '../views.ts';
import { pathDepth } from './ranges.ts';

export type ResolveRef = (ref: ResourceRef) => Promise<ResourceKey>;

/** What a neighbourhood or view reads around its root. */
export type ReadShape = { depth: number; at?: IsoTime; types?: string[] };

/**
 * Finds a reference's resource and a reader for the subgraph around it: a store that reads the subgraph
 * ahead (graph/subgraph-reader.ts) can find the resource in the same read.
 */
export type NeighborhoodReader = (
  ref: ResourceRef,
  shape: ReadShape,
) => Promise<{ root: ResourceKey; read: GraphReader }>;

/** A store's reader for every neighbourhood, with its resource found first. */
export const resolvingFirst =
  (reader: GraphReader, resolve: ResolveRef): NeighborhoodReader =>
  async (ref) => ({ root: await resolve(ref), read: reader });

export async function neighborhoodByRef(
  reader: NeighborhoodReader,
  ref: ResourceRef,
  opts: NeighborhoodOptions,
): Promise<Neighborhood> {
  const depth = validateDepth(opts.depth);
  const shape = { depth, ...(opts.at ? { at: opts.at } : {}), ...(opts.types ? { types: opts.types } : {}) };
  const { root, read } = await reader(ref, shape);
  return neighborhoodOf(read, root, { ...shape, ...(opts.limit ? { limit: opts.limit } : {}) });
}

export async function viewByRef(reader: NeighborhoodReader, ref: ResourceRef, opts: ViewOptions): Promise<PurposeView> {
  const kind = parseViewKind(opts.kind);
  const at = opts.at ? { at: opts.at } : {};
  const { root, read } = await reader(ref, { ...viewReach(kind), ...at });
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
