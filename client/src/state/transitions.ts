// How the view state moves: a change is a patch on the state, and what it touches decides whether
// data is fetched again, the loaded graph is only reshaped, and whether the address bar gets a new
// history entry. Pure, so the rules are tested without a browser.
import { isBoxFoldKey } from '../graph/box-folds.ts';
import { isFoldKey } from '../graph/purpose.ts';
import { isCompare, type PanelName, type ViewState } from './view-state.ts';

/** What a change needs: fetch data, reshape what is loaded, or lay it out again. */
export type Refresh = 'data' | 'shape' | 'relayout';

/** The state after `patch`; a key patched to undefined is removed (optional fields stay absent). */
export function applyPatch(before: ViewState, patch: Partial<ViewState>): ViewState {
  const next: ViewState = { ...before, ...patch };
  for (const k of Object.keys(patch) as (keyof ViewState)[]) if (patch[k] === undefined) delete next[k];
  return next;
}

/** Whether the data behind the view differs: anything that changes what the API is asked. */
export function needsData(before: ViewState, next: ViewState): boolean {
  return (
    before.resource !== next.resource ||
    before.depth !== next.depth ||
    before.view !== next.view ||
    before.openFolds.join() !== next.openFolds.join() ||
    before.at !== next.at ||
    before.compareFrom !== next.compareFrom ||
    before.compareTo !== next.compareTo ||
    before.pathTo !== next.pathTo ||
    before.expanded.join() !== next.expanded.join()
  );
}

/** Navigation (a new resource, time, comparison or path) gets a history entry; tweaks replace it. */
export function isNavigation(before: ViewState, next: ViewState): boolean {
  return (
    before.resource !== next.resource ||
    before.at !== next.at ||
    before.compareFrom !== next.compareFrom ||
    before.pathTo !== next.pathTo
  );
}

/** Opening a resource at the centre starts afresh; `at` (a deleted search hit's last moment, T3) moves the time. */
export function openPatch(current: ViewState, ref: string, at?: string): Partial<ViewState> {
  const panel: PanelName = current.panel === 'path' ? 'details' : current.panel;
  return {
    ...(at ? { at } : {}),
    resource: ref,
    view: undefined,
    openFolds: [],
    openBoxes: [],
    expanded: [],
    hiddenNodes: [],
    selected: undefined,
    pathTo: undefined,
    panel,
  };
}

/**
 * Selecting a node: a counted node (a fold) opens, its members drawn in its place (SPEC W2), which
 * needs data; a counted box of a big view (G11) opens from what is loaded; any other node is only
 * selected.
 */
export function selectPatch(
  current: ViewState,
  key: string | undefined,
): { patch: Partial<ViewState>; refresh: 'auto' | 'shape' | 'none' } {
  if (key !== undefined && isBoxFoldKey(key))
    return { patch: { openBoxes: [...new Set([...current.openBoxes, key])].sort() }, refresh: 'shape' };
  if (key !== undefined && isFoldKey(key))
    return { patch: { openFolds: [...new Set([...current.openFolds, key])].sort() }, refresh: 'auto' };
  return { patch: { selected: key }, refresh: 'none' };
}

/**
 * G11: a selected resource drawn inside a counted box (selected from the list, a comparison's changes,
 * the address bar) is shown: its box's fold opens. Undefined when it is drawn already.
 */
export function openForSelection(
  state: ViewState,
  foldOf: ReadonlyMap<string, string>,
): Partial<ViewState> | undefined {
  const fold = state.selected === undefined ? undefined : foldOf.get(state.selected);
  return fold === undefined || state.openBoxes.includes(fold)
    ? undefined
    : { openBoxes: [...state.openBoxes, fold].sort() };
}

/**
 * G12: closing an opened counted node folds its members again. A selected member is unselected, or
 * selecting it would open the box again at once (openForSelection).
 */
export function closePatch(current: ViewState, fold: { id: string; members: readonly string[] }): Partial<ViewState> {
  const patch: Partial<ViewState> = { openBoxes: current.openBoxes.filter((id) => id !== fold.id) };
  if (current.selected !== undefined && fold.members.includes(current.selected)) patch.selected = undefined;
  return patch;
}

/** The time the view shows: the later end when comparing, else "as of" (absent: now). */
export function viewTime(state: ViewState): string | undefined {
  return isCompare(state) ? state.compareTo : state.at;
}
