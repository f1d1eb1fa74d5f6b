// The notes above the graph: what time it shows or compares, what was cut or truncated, what the
// filters hide, and what could not be loaded. Pure, so each rule is tested without a browser.
import { shortType } from '../graph/keys.ts';
import type { LoadedGraph, Fragment } from '../graph/fragments.ts';
import { cutNotes } from '../graph/purpose.ts';
import { displayName } from '../graph/shape.ts';
import { viewTime } from '../state/transitions.ts';
import { isCompare, type ViewState } from '../state/view-state.ts';
import { formatTime } from '../time/format.ts';

/** A loaded resource as the notes and lists name it: "web-1 (EC2 Instance)"; unknown keys as they are. */
export function nameWithType(graph: LoadedGraph, key: string): string {
  const n = graph.nodes.get(key);
  return n ? `${displayName(n)} (${shortType(n.resourceType)})` : key;
}

export function viewNotes(
  loaded: { graph: LoadedGraph; fragments: readonly Fragment[]; notes: readonly string[] },
  hiddenCount: number,
  state: ViewState,
): string[] {
  const notes = [...loaded.notes];
  const cuts = cutNotes(loaded.fragments, (key) => nameWithType(loaded.graph, key));
  for (const c of cuts) notes.push(c.text);
  if (loaded.graph.truncated && !cuts.length)
    notes.push(
      'Some neighbours were left out (the neighbourhood is truncated): lower the depth or expand nodes one by one.',
    );
  if (hiddenCount) notes.push(`${hiddenCount} resource${hiddenCount === 1 ? '' : 's'} hidden by filters.`);
  const time = viewTime(state);
  if (time) notes.unshift(`Showing the graph as of ${formatTime(time)}.`);
  if (isCompare(state)) notes.unshift(`Comparing ${formatTime(state.compareFrom)} → ${formatTime(state.compareTo)}.`);
  return notes;
}
