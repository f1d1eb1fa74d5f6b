// Turns the loaded graph plus the view's choices (filters, hidden nodes, grouping, compare marks,
// path) into Cytoscape element definitions. Pure: the same input always gives the same elements.
import {
  connectionCaption,
  connectionLabel,
  readableConnections,
  type Connection,
} from '../../../graph/connections.ts';
import { groupNodes } from '../../../graph/grouping.ts';
import type { GraphEdge, ResourceKey, ResourceNode } from '../../../graph/model.ts';
import { boxFolds, type BoxFold } from './box-folds.ts';
import { NON_COMPLIANT_BADGE, type BrokenRules } from './compliance-marks.ts';
import type { DiffMarks } from './diff-marks.ts';
import { familyOf } from './family.ts';
import type { LoadedGraph } from './fragments.ts';
import { countedLabel, shortType } from './keys.ts';

export interface NodeElement {
  group: 'nodes';
  data: {
    id: string;
    label: string;
    parent?: string;
    kind: 'resource' | 'group';
    resourceType?: string;
    family?: string;
    status?: string;
    groupKind?: string;
    /** The Config rules it breaks at the view's time, joined with ", " (absent: none). */
    nonCompliant?: string;
    /** A counted node (G11): how many resources it stands for. */
    count?: number;
  };
  classes: string;
}

export interface EdgeElement {
  group: 'edges';
  data: {
    id: string;
    source: string;
    target: string;
    /** Config's relationship name(s): both of a reverse twin's, joined (SPEC G8). */
    label: string;
    /** The label as drawn: a twin's names on two lines (connectionCaption). */
    caption: string;
    origin: string;
    type: string;
    /** The ids of the edges this connection draws (two for a reverse twin). */
    edgeIds: string[];
  };
  classes: string;
}

export type Element = NodeElement | EdgeElement;

export interface ViewFilters {
  hiddenTypes: string[];
  hiddenAccounts: string[];
  hiddenRegions: string[];
  hiddenNodes: string[];
}

/** Only the filters of something that holds them (the view state holds much more). */
export function filtersOf(s: ViewFilters): ViewFilters {
  return {
    hiddenTypes: s.hiddenTypes,
    hiddenAccounts: s.hiddenAccounts,
    hiddenRegions: s.hiddenRegions,
    hiddenNodes: s.hiddenNodes,
  };
}

export interface ShapeInput {
  graph: LoadedGraph;
  root?: ResourceKey;
  filters: ViewFilters;
  grouping: boolean;
  /** Draw connections to the box that encloses a node (SPEC G9); hidden by default. */
  showEnclosing?: boolean;
  expanded: ResourceKey[];
  marks?: DiffMarks;
  path?: { nodes: Set<ResourceKey>; edges: Set<string> };
  /** Who breaks which Config rule at the view's time. */
  compliance?: BrokenRules;
  /** Draw only resources that break a rule (the start resource stays). */
  nonCompliantOnly?: boolean;
  /** The rule whose breakers get a mark of their own. */
  rule?: string;
  /**
   * Fold a big view's crowded boxes into counted nodes (G11), but for these fold ids, opened by the
   * user. Absent: nothing is folded.
   */
  openBoxes?: readonly string[];
}

export interface ShapedGraph {
  elements: Element[];
  visibleNodes: ResourceKey[];
  /** The connections drawn (after merging reverse twins and setting enclosing ones aside). */
  visibleEdges: string[];
  /** Nodes left out by filters or hiding. */
  hiddenCount: number;
  /** Connections to an enclosing box (SPEC G9), drawn only when showEnclosing. */
  enclosingCount: number;
  /** Boxes drawn. */
  groupCount: number;
  /** Counted nodes drawn for crowded boxes (G11), each with the resources it stands for. */
  folds: BoxFold[];
  /** A folded resource → the counted node drawn for it. */
  foldOf: Map<ResourceKey, string>;
  /** Counted nodes the user opened (G11), drawn as their members, each of which can be closed (G12). */
  openedBoxes: OpenedBox[];
}

/** An opened counted node, as the Close action names it ("36 instances in Subnet app-a"). */
export interface OpenedBox extends BoxFold {
  label: string;
}

/** What a person calls the resource: its name, its Name tag, else its id. */
export function displayName(node: ResourceNode): string {
  return node.resourceName || node.tags['Name'] || node.resourceId;
}

export function nodeLabel(node: ResourceNode): string {
  const name = displayName(node);
  const type = shortType(node.resourceType);
  return name === node.resourceId ? `${name}\n${type}` : `${name}\n${node.resourceId}\n${type}`;
}

export function isVisible(node: ResourceNode, filters: ViewFilters, root?: ResourceKey): boolean {
  if (node.key === root) return true;
  return !(
    filters.hiddenNodes.includes(node.key) ||
    filters.hiddenTypes.includes(node.resourceType) ||
    filters.hiddenAccounts.includes(node.accountId) ||
    filters.hiddenRegions.includes(node.awsRegion)
  );
}

const DELETED = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

export function shapeElements(input: ShapeInput): ShapedGraph {
  const steps = shapingSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * shapeElements in steps: it yields between its stages (filtering, boxes, resources, connections, their
 * elements), so that a caller can let the page answer between them. At 10,000 elements the whole took 250–320
 * ms in the explorer on a slow machine (docs/benchmarks.md, "fifteenth session"); the longest stage is about
 * two fifths of it.
 */
export function* shapingSteps(input: ShapeInput): Generator<void, ShapedGraph, void> {
  const { graph, root, filters, grouping, marks, path } = input;
  const sortedNodes = [...graph.nodes.values()].sort((a, b) => a.key.localeCompare(b.key));
  const broken = input.compliance ?? new Map<ResourceKey, string[]>();
  const visible = sortedNodes.filter(
    (n) => isVisible(n, filters, root) && (!input.nonCompliantOnly || n.key === root || broken.has(n.key)),
  );
  const visibleKeys = new Set(visible.map((n) => n.key));
  // In code point order, as the connections sort them (sorted already, that sort costs nothing); nothing
  // else depends on their order.
  const edges: GraphEdge[] = [...graph.edges.values()]
    .filter((e) => visibleKeys.has(e.source) && visibleKeys.has(e.target))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  yield;
  const elements: Element[] = [];
  const grouped = grouping ? groupNodes(visible, edges) : undefined;
  yield;
  for (const g of grouped?.groups ?? []) {
    const data: NodeElement['data'] = { id: g.id, label: g.label, kind: 'group', groupKind: g.kind };
    if (g.parent) data.parent = g.parent;
    elements.push({ group: 'nodes', data, classes: `group group-${g.kind}` });
  }
  const expanded = new Set(input.expanded);
  const keep = new Set<ResourceKey>([...expanded, ...(path?.nodes ?? []), ...(marks?.nodes.keys() ?? [])]);
  if (root !== undefined) keep.add(root);
  const { folds, foldOf, opened } =
    grouped && input.openBoxes
      ? boxFolds(visible, grouped, input.openBoxes, keep)
      : { folds: [], foldOf: new Map<ResourceKey, string>(), opened: [] };
  const boxLabel = new Map(grouped?.groups.map((g) => [g.id, g.label]));
  const openedBoxes = opened.map((f) => ({
    ...f,
    label: `${countedLabel(f.resourceType, f.members.length)} in ${boxLabel.get(f.box) ?? f.box}`,
  }));
  for (const node of visible) {
    if (foldOf.has(node.key)) continue;
    const family = familyOf(node.resourceType);
    const classes = ['resource', `family-${family}`];
    if (node.key === root) classes.push('root');
    if (!node.recorded) classes.push('placeholder');
    if (DELETED.has(node.status)) classes.push('deleted');
    // T1: it existed but Config first recorded it later; drawn in its box with a mark of its own.
    if (node.beforeFirstRecord) classes.push('first-recorded-later');
    if (expanded.has(node.key)) classes.push('expanded');
    const mark = marks?.nodes.get(node.key);
    if (mark) classes.push(`diff-${mark}`);
    if (path?.nodes.has(node.key)) classes.push('on-path');
    const rules = broken.get(node.key);
    const breaksPicked = input.rule !== undefined && rules?.includes(input.rule) === true;
    if (rules) classes.push('non-compliant');
    if (breaksPicked) classes.push('breaks-rule');
    // The words, not only the border, say it (readable without colour and by the list).
    const badge = breaksPicked ? `⚠ breaks ${input.rule}` : rules ? NON_COMPLIANT_BADGE : undefined;
    const data: NodeElement['data'] = {
      id: node.key,
      label: badge ? `${nodeLabel(node)}\n${badge}` : nodeLabel(node),
      kind: 'resource',
      resourceType: node.resourceType,
      family,
      status: node.status,
    };
    if (rules) data.nonCompliant = rules.join(', ');
    const parent = grouped?.parentOf.get(node.key);
    if (parent) data.parent = parent;
    elements.push({ group: 'nodes', data, classes: classes.join(' ') });
  }
  for (const f of folds) {
    const family = familyOf(f.resourceType);
    const data: NodeElement['data'] = {
      id: f.id,
      label: `${countedLabel(f.resourceType, f.members.length)}\n(open to see them)`,
      kind: 'resource',
      resourceType: f.resourceType,
      family,
      status: 'Folded',
      parent: f.box,
      count: f.members.length,
    };
    elements.push({ group: 'nodes', data, classes: `resource fold family-${family}` });
  }
  yield;
  const connections = readableConnections(edges, grouped);
  yield;
  const drawn: Connection[] = input.showEnclosing
    ? [...connections.drawn, ...connections.enclosing].sort((a, b) => a.id.localeCompare(b.id))
    : connections.drawn;
  const enclosing = new Set(connections.enclosing.map((c) => c.id));
  const shown: DrawnConnection[] = foldOf.size > 0 ? rerouted(drawn, foldOf) : drawn;
  for (const c of shown) {
    const classes = ['relationship', c.origin === 'derived' ? 'derived' : 'config'];
    if (c.folded) classes.push('folded');
    else if (c.edges.length > 1) classes.push('twin');
    if (enclosing.has(c.id)) classes.push('enclosing');
    const mark = c.edges.map((e) => marks?.edges.get(e.id)).find((m) => m !== undefined);
    if (mark) classes.push(`diff-${mark}`);
    if (c.edges.some((e) => path?.edges.has(e.id))) classes.push('on-path');
    const folded = c.folded ? foldedLabel(c.folded) : undefined;
    elements.push({
      group: 'edges',
      data: {
        id: c.id,
        source: c.source,
        target: c.target,
        label: folded ?? connectionLabel(c),
        caption: folded ?? connectionCaption(c),
        origin: c.origin,
        type: c.edges.map((e) => e.type).join(' / '),
        edgeIds: c.edges.map((e) => e.id),
      },
      classes: classes.join(' '),
    });
  }
  return {
    elements,
    visibleNodes: visible.map((n) => n.key),
    visibleEdges: drawn.map((c) => c.id),
    hiddenCount: sortedNodes.length - visible.length,
    enclosingCount: connections.enclosing.length,
    groupCount: grouped?.groups.length ?? 0,
    folds,
    foldOf,
    openedBoxes,
  };
}

/** A connection as drawn; a rerouted one (G11) holds the labels of the connections it joins. */
type DrawnConnection = Connection & { folded?: string[] };

/**
 * G11: connections to folded resources are drawn to their counted node; those that then join the same
 * two nodes are one connection holding all their edges, and those inside one fold are not drawn.
 */
function rerouted(drawn: readonly Connection[], foldOf: ReadonlyMap<ResourceKey, string>): DrawnConnection[] {
  const out: DrawnConnection[] = [];
  const joined = new Map<string, DrawnConnection>();
  for (const c of drawn) {
    const source = foldOf.get(c.source) ?? c.source;
    const target = foldOf.get(c.target) ?? c.target;
    if (source === c.source && target === c.target) {
      out.push(c);
      continue;
    }
    if (source === target) continue;
    const id = source < target ? `via:${source}|${target}` : `via:${target}|${source}`;
    const seen = joined.get(id);
    if (seen) {
      seen.edges.push(...c.edges);
      seen.names.push(...c.names);
      seen.folded!.push(connectionLabel(c));
      if (seen.origin !== c.origin) seen.origin = 'config';
      continue;
    }
    const via: DrawnConnection = {
      ...c,
      id,
      source,
      target,
      edges: [...c.edges],
      names: [...c.names],
      folded: [connectionLabel(c)],
    };
    joined.set(id, via);
    out.push(via);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** "Is associated with SecurityGroup" once; "24 × Is associated with SecurityGroup"; "31 connections". */
function foldedLabel(labels: readonly string[]): string {
  if (labels.length === 1) return labels[0]!;
  return new Set(labels).size === 1 ? `${labels.length} × ${labels[0]}` : `${labels.length} connections`;
}

/** The values present in the loaded graph, for the filter checkboxes. */
export function facetsOf(graph: LoadedGraph): { types: string[]; accounts: string[]; regions: string[] } {
  const types = new Set<string>();
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const n of graph.nodes.values()) {
    types.add(n.resourceType);
    accounts.add(n.accountId);
    regions.add(n.awsRegion);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { types: sorted(types), accounts: sorted(accounts), regions: sorted(regions) };
}
