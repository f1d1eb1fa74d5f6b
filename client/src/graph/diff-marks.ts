// Compare mode: which nodes and edges were added, removed or changed between two times.
// Marks come from the API's scope-wide diff and, for the resources in view, from comparing the
// two neighbourhoods themselves (a neighbour may sit outside the diff's account/region scope).
import type { GraphDiff } from '../../../graph/store.ts';
import type { ResourceKey } from '../../../graph/model.ts';
import type { LoadedGraph } from './fragments.ts';

export type Mark = 'added' | 'removed' | 'changed';

export interface DiffMarks {
  nodes: Map<ResourceKey, Mark>;
  edges: Map<string, Mark>;
}

export function emptyMarks(): DiffMarks {
  return { nodes: new Map(), edges: new Map() };
}

export function marksFromDiff(diff: GraphDiff): DiffMarks {
  const marks = emptyMarks();
  for (const n of diff.resources.added) marks.nodes.set(n.key, 'added');
  for (const n of diff.resources.removed) marks.nodes.set(n.key, 'removed');
  for (const c of diff.resources.changed) if (!marks.nodes.has(c.node.key)) marks.nodes.set(c.node.key, 'changed');
  for (const e of diff.edges.added) marks.edges.set(e.id, 'added');
  for (const e of diff.edges.removed) marks.edges.set(e.id, 'removed');
  return marks;
}

const DELETED = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

/** Marks from the view as it was (`before`) and as it is (`after`). */
export function marksFromGraphs(before: LoadedGraph, after: LoadedGraph): DiffMarks {
  const marks = emptyMarks();
  for (const [key, old] of before.nodes) {
    const now = after.nodes.get(key);
    if (!now || (DELETED.has(now.status) && !DELETED.has(old.status))) marks.nodes.set(key, 'removed');
    else if (!DELETED.has(now.status) && DELETED.has(old.status)) marks.nodes.set(key, 'added');
    else if ((now.captureTime ?? '') !== (old.captureTime ?? '')) marks.nodes.set(key, 'changed');
  }
  for (const key of after.nodes.keys()) if (!before.nodes.has(key)) marks.nodes.set(key, 'added');
  for (const id of before.edges.keys()) if (!after.edges.has(id)) marks.edges.set(id, 'removed');
  for (const id of after.edges.keys()) if (!before.edges.has(id)) marks.edges.set(id, 'added');
  return marks;
}

/** The API diff wins where both speak; the view comparison fills in the rest. */
export function combineMarks(primary: DiffMarks, secondary: DiffMarks): DiffMarks {
  const nodes = new Map(secondary.nodes);
  for (const [k, m] of primary.nodes) nodes.set(k, m);
  const edges = new Map(secondary.edges);
  for (const [k, m] of primary.edges) edges.set(k, m);
  return { nodes, edges };
}

/** Both graphs together, so removed things stay on screen (coloured) next to added ones. */
export function unionGraphs(before: LoadedGraph, after: LoadedGraph): LoadedGraph {
  const nodes = new Map(before.nodes);
  for (const [k, n] of after.nodes) nodes.set(k, n);
  const edges = new Map(before.edges);
  for (const [k, e] of after.edges) edges.set(k, e);
  return { nodes, edges, truncated: before.truncated || after.truncated };
}

export function countMarks(marks: DiffMarks, visibleNodes: Iterable<ResourceKey>): Record<Mark, number> {
  const counts: Record<Mark, number> = { added: 0, removed: 0, changed: 0 };
  for (const key of visibleNodes) {
    const m = marks.nodes.get(key);
    if (m) counts[m] += 1;
  }
  return counts;
}
