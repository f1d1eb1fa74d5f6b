// The canonical export (SPEC Q8): everything a store holds in one order, so two stores compare equal.
import type { GraphEdge, ResourceNode, ResourceVersion } from '../model.ts';
import { compareNodes } from '../nodes.ts';
import type { CanonicalExport } from '../store.ts';
import { compareVersions } from '../versions.ts';

export const compareEdgeIds = (a: Pick<GraphEdge, 'id'>, b: Pick<GraphEdge, 'id'>): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Resources by key, versions by key then version order (without where they came from), edges by id. */
export function canonicalExportOf(
  resources: ResourceNode[],
  versions: ResourceVersion[],
  edges: GraphEdge[],
): CanonicalExport {
  return {
    resources: [...resources].sort(compareNodes),
    versions: [...versions]
      .sort((a, b) => (a.key !== b.key ? (a.key < b.key ? -1 : 1) : compareVersions(a, b)))
      .map(({ source: _s, runId: _r, ...rest }) => rest as ResourceVersion),
    edges: [...edges].sort(compareEdgeIds),
  };
}
