// The whole view in one value, so the URL can hold it and a shared link reproduces it.
// Parsing is forgiving (a hand-edited link degrades to defaults) but never lets junk through.
import type { ViewFilters } from '../graph/shape.ts';

export const LAYOUTS = ['fcose', 'concentric', 'breadthfirst', 'grid'] as const;
export type LayoutName = (typeof LAYOUTS)[number];
export const PANELS = ['details', 'history', 'filters', 'path', 'export'] as const;
export type PanelName = (typeof PANELS)[number];
/** How the neighbourhood is chosen: hop depth, or a view by purpose (SPEC W1–W3). */
export const VIEW_CHOICES = ['hops', 'attachments', 'network'] as const;
export type ViewChoice = (typeof VIEW_CHOICES)[number];

export interface ViewState extends ViewFilters {
  /** The resource the view is centred on (a key, id or ARN as the API accepts). */
  resource?: string;
  depth: 1 | 2 | 3;
  /** Absent: the start resource's default (attachments for an instance, network for a VPC, else hops). */
  view?: ViewChoice;
  /** Folded groups of a view that are opened (fold ids). */
  openFolds: string[];
  /** A big view's counted boxes the user opened (G11: `fold:in:` ids). */
  openBoxes: string[];
  layout: LayoutName;
  grouping: boolean;
  /** Draw the connections from a node to the box that encloses it (hidden by default, SPEC G9). */
  showEnclosing: boolean;
  /** Draw only the resources that break a Config rule at the view's time (and the start resource). */
  nonCompliantOnly: boolean;
  /** The Config rule whose breakers are marked in the view. */
  rule?: string;
  /** "As of" time (ISO); absent means now. */
  at?: string;
  /** Compare mode: both set. */
  compareFrom?: string;
  compareTo?: string;
  expanded: string[];
  selected?: string;
  /** Path mode: the other end (the resource is the start). */
  pathTo?: string;
  panel: PanelName;
}

export function defaultViewState(): ViewState {
  return {
    depth: 1,
    layout: 'fcose',
    grouping: true,
    showEnclosing: false,
    nonCompliantOnly: false,
    hiddenTypes: [],
    hiddenAccounts: [],
    hiddenRegions: [],
    hiddenNodes: [],
    expanded: [],
    openFolds: [],
    openBoxes: [],
    panel: 'details',
  };
}

export function isCompare(state: ViewState): state is ViewState & { compareFrom: string; compareTo: string } {
  return state.compareFrom !== undefined && state.compareTo !== undefined;
}

/** Accepts ISO-8601 times with a zone; returns them normalised to UTC with milliseconds. */
export function normaliseTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const P = {
  resource: 'r',
  depth: 'depth',
  view: 'view',
  openFolds: 'fold',
  openBoxes: 'open',
  layout: 'layout',
  grouping: 'group',
  showEnclosing: 'links',
  nonCompliantOnly: 'nc',
  rule: 'rule',
  at: 'at',
  compareFrom: 'from',
  compareTo: 'to',
  hiddenTypes: 'xt',
  hiddenAccounts: 'xa',
  hiddenRegions: 'xr',
  hiddenNodes: 'xn',
  expanded: 'x',
  selected: 'sel',
  pathTo: 'path',
  panel: 'panel',
} as const;

function list(params: URLSearchParams, name: string): string[] {
  return [...new Set(params.getAll(name).filter((v) => v.length > 0 && v.length <= 2048))].sort();
}

function text(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name)?.trim();
  return v && v.length <= 2048 ? v : undefined;
}

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const state = defaultViewState();
  const resource = text(params, P.resource);
  if (resource) state.resource = resource;
  const depth = Number(params.get(P.depth));
  if (depth === 1 || depth === 2 || depth === 3) state.depth = depth;
  const view = params.get(P.view);
  if (view && (VIEW_CHOICES as readonly string[]).includes(view)) state.view = view as ViewChoice;
  state.openFolds = list(params, P.openFolds);
  state.openBoxes = list(params, P.openBoxes);
  const layout = params.get(P.layout);
  if (layout && (LAYOUTS as readonly string[]).includes(layout)) state.layout = layout as LayoutName;
  if (params.get(P.grouping) === '0') state.grouping = false;
  if (params.get(P.showEnclosing) === 'all') state.showEnclosing = true;
  if (params.get(P.nonCompliantOnly) === '1') state.nonCompliantOnly = true;
  const rule = text(params, P.rule);
  if (rule) state.rule = rule;
  const at = normaliseTime(params.get(P.at));
  if (at) state.at = at;
  const from = normaliseTime(params.get(P.compareFrom));
  const to = normaliseTime(params.get(P.compareTo));
  if (from && to) {
    // Compare always reads "from the earlier to the later".
    [state.compareFrom, state.compareTo] = from <= to ? [from, to] : [to, from];
  }
  state.hiddenTypes = list(params, P.hiddenTypes);
  state.hiddenAccounts = list(params, P.hiddenAccounts);
  state.hiddenRegions = list(params, P.hiddenRegions);
  state.hiddenNodes = list(params, P.hiddenNodes);
  state.expanded = list(params, P.expanded);
  const selected = text(params, P.selected);
  if (selected) state.selected = selected;
  const pathTo = text(params, P.pathTo);
  if (pathTo) state.pathTo = pathTo;
  const panel = params.get(P.panel);
  if (panel && (PANELS as readonly string[]).includes(panel)) state.panel = panel as PanelName;
  return state;
}

/** Canonical query string (defaults omitted, lists sorted): equal states give equal URLs. */
export function serialiseViewState(state: ViewState): string {
  const params = new URLSearchParams();
  const d = defaultViewState();
  if (state.resource) params.set(P.resource, state.resource);
  if (state.depth !== d.depth) params.set(P.depth, String(state.depth));
  if (state.view) params.set(P.view, state.view);
  if (state.layout !== d.layout) params.set(P.layout, state.layout);
  if (!state.grouping) params.set(P.grouping, '0');
  if (state.showEnclosing) params.set(P.showEnclosing, 'all');
  if (state.nonCompliantOnly) params.set(P.nonCompliantOnly, '1');
  if (state.rule) params.set(P.rule, state.rule);
  if (state.at) params.set(P.at, state.at);
  if (isCompare(state)) {
    params.set(P.compareFrom, state.compareFrom);
    params.set(P.compareTo, state.compareTo);
  }
  const lists: [string, string[]][] = [
    [P.hiddenTypes, state.hiddenTypes],
    [P.hiddenAccounts, state.hiddenAccounts],
    [P.hiddenRegions, state.hiddenRegions],
    [P.hiddenNodes, state.hiddenNodes],
    [P.expanded, state.expanded],
    [P.openFolds, state.openFolds],
    [P.openBoxes, state.openBoxes],
  ];
  for (const [name, values] of lists) for (const v of [...new Set(values)].sort()) params.append(name, v);
  if (state.selected) params.set(P.selected, state.selected);
  if (state.pathTo) params.set(P.pathTo, state.pathTo);
  if (state.panel !== d.panel) params.set(P.panel, state.panel);
  const s = params.toString();
  return s ? `?${s}` : '';
}
