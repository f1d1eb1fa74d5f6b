// One resource as seen at a time (SPEC Q2, T1), assembled the same way over every store's reader.
import type { IsoTime, ResourceKey, ResourceNode, ResourceVersion } from '../model.ts';
import { existsAt } from '../nodes.ts';
import type { ResourceView } from '../store.ts';
import { liveEdgesTouching, type GraphReader } from '../traverse.ts';
import { versionAt } from '../versions.ts';
import { compareEdgeIds } from './canonical-export.ts';

/** `versions` are all of the resource's versions in order. */
export async function resourceViewOf(
  reader: GraphReader,
  key: ResourceKey,
  versions: ResourceVersion[],
  at: IsoTime | undefined,
): Promise<ResourceView> {
  const known = new Map<ResourceKey, ResourceNode>();
  const edges = await liveEdgesTouching(reader, [key], at, known);
  const node = known.get(key) ?? (await reader.nodesAt([key], at))[0]!;
  // T1: before its first capture, the first version describes it.
  const version = versionAt(versions, at) ?? (node.beforeFirstRecord ? versions[0] : undefined);
  const view: ResourceView = {
    node,
    outgoing: edges.filter((e) => e.source === key).sort(compareEdgeIds),
    incoming: edges.filter((e) => e.target === key).sort(compareEdgeIds),
    existsAt: node.recorded ? existsAt(version) : edges.length > 0,
  };
  if (version) view.version = version;
  return view;
}
