// G11: a big view's crowded boxes are drawn as counted nodes, opened on demand; connections to folded
// resources are drawn to their counted node; selecting a folded resource opens its box.
import { describe, expect, it } from 'vitest';
import { FOLD_BUDGET, FOLD_MIN, isBoxFoldKey } from '../../client/src/graph/box-folds.ts';
import { mergeFragments } from '../../client/src/graph/fragments.ts';
import { shapeElements, type EdgeElement, type NodeElement, type ShapeInput } from '../../client/src/graph/shape.ts';
import { closePatch, openForSelection, openPatch, selectPatch } from '../../client/src/state/transitions.ts';
import { defaultViewState } from '../../client/src/state/view-state.ts';
import { bigEstate } from './big-estate.ts';

const none = { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] };
// 2 VPCs × 6 subnets × 25 instances (each with a network interface): 616 resources.
const estate = bigEstate(2, 6, 25);
const graph = mergeFragments([
  { owner: estate.root, nodes: estate.nodes, edges: estate.edges, truncated: false, omitted: [] },
]);
const shape = (extra: Partial<ShapeInput> = {}) =>
  shapeElements({ graph, root: estate.root, filters: none, grouping: true, expanded: [], openBoxes: [], ...extra });
const nodesOf = (elements: ReturnType<typeof shape>['elements']) =>
  elements.filter((e): e is NodeElement => e.group === 'nodes');
const edgesOf = (elements: ReturnType<typeof shape>['elements']) =>
  elements.filter((e): e is EdgeElement => e.group === 'edges');

describe('counted boxes in a big view (G11)', () => {
  it('folds each box’s many resources of one type into one counted node in that box, saying how many', () => {
    const shaped = shape();
    expect(estate.nodes.length).toBeGreaterThan(FOLD_BUDGET);
    // Every subnet's 25 instances and 25 network interfaces: two counted nodes per subnet.
    expect(shaped.folds).toHaveLength(2 * 6 * 2);
    const drawn = nodesOf(shaped.elements).filter((n) => n.data.kind === 'resource');
    expect(drawn.length).toBeLessThanOrEqual(FOLD_BUDGET);
    const fold = drawn.find((n) => n.data.id === shaped.folds[0]!.id)!;
    expect(fold.classes.split(' ')).toContain('fold');
    expect(fold.data.count).toBe(25);
    expect(fold.data.label.split('\n')[0]).toMatch(/^25 (instances|network interfaces)$/);
    expect(fold.data.parent).toBe(shaped.folds[0]!.box);
    expect(fold.data.parent).toMatch(/^g:subnet:/);
    // Every resource is still in the view: drawn, or counted in exactly one fold.
    const drawnKeys = new Set(drawn.map((n) => n.data.id));
    for (const n of estate.nodes) expect(drawnKeys.has(n.key) !== shaped.foldOf.has(n.key)).toBe(true);
    expect(shaped.visibleNodes).toHaveLength(estate.nodes.length);
    const counted = shaped.folds.reduce((sum, f) => sum + f.members.length, 0);
    expect(counted).toBe(shaped.foldOf.size);
    expect(shaped.folds.every((f) => isBoxFoldKey(f.id) && f.members.length >= FOLD_MIN)).toBe(true);
  });

  it('draws a folded resource’s connections to its counted node, one per pair of ends, holding every edge', () => {
    const shaped = shape();
    const ids = new Set(shaped.elements.map((e) => e.data.id));
    const edges = edgesOf(shaped.elements);
    for (const e of edges) expect(ids.has(e.data.source) && ids.has(e.data.target)).toBe(true);
    const pairs = edges.map((e) => [e.data.source, e.data.target].sort().join(' '));
    expect(new Set(pairs).size).toBe(pairs.length);
    // The instances of one subnet and each of their two security groups: 13 (or 12) edges, one connection.
    const fold = shaped.folds.find((f) => f.resourceType === 'AWS::EC2::Instance')!;
    const toGroups = edges.filter(
      (e) => (e.data.source === fold.id || e.data.target === fold.id) && e.data.label.includes('SecurityGroup'),
    );
    expect(toGroups.length).toBe(2);
    for (const c of toGroups) {
      expect(c.classes.split(' ')).toContain('folded');
      expect(c.data.label).toMatch(/^1[23] × Is associated with SecurityGroup$/);
      expect(c.data.edgeIds.length).toBeGreaterThanOrEqual(12);
    }
    // Edges inside one fold are not drawn; every other edge of the view is drawn exactly once.
    const drawnEdgeIds = edges.flatMap((e) => e.data.edgeIds);
    expect(new Set(drawnEdgeIds).size).toBe(drawnEdgeIds.length);
    const unfolded = edgesOf(shape({ openBoxes: undefined }).elements).flatMap((e) => e.data.edgeIds);
    const inside = unfolded.filter((id) => {
      const e = graph.edges.get(id)!;
      const f = shaped.foldOf.get(e.source);
      return f !== undefined && f === shaped.foldOf.get(e.target);
    });
    expect(drawnEdgeIds.length + inside.length).toBe(unfolded.length);
  });

  it('opens a fold on demand, drawing its members in its place and folding nothing else', () => {
    const before = shape();
    const fold = before.folds[3]!;
    const after = shape({ openBoxes: [fold.id] });
    expect(after.folds.map((f) => f.id)).toEqual(before.folds.filter((f) => f !== fold).map((f) => f.id));
    const drawn = nodesOf(after.elements);
    expect(drawn.some((n) => n.data.id === fold.id)).toBe(false);
    for (const k of fold.members) expect(drawn.find((n) => n.data.id === k)?.data.parent).toBe(fold.box);
  });

  it('never folds the start resource, an expanded one or a path’s, nor a view within the budget', () => {
    const instance = estate.nodes.find((n) => n.resourceType === 'AWS::EC2::Instance')!.key;
    const eni = estate.nodes.find((n) => n.resourceType === 'AWS::EC2::NetworkInterface')!.key;
    const shaped = shape({
      expanded: [instance],
      path: { nodes: new Set([eni]), edges: new Set() },
    });
    expect(shaped.foldOf.has(instance)).toBe(false);
    expect(shaped.foldOf.has(eni)).toBe(false);
    // Their 24 siblings are still counted, as the other subnets' 25 are.
    expect(shaped.folds.filter((f) => f.members.length === 24)).toHaveLength(2);
    const small = bigEstate(1, 3, 25);
    const smallGraph = mergeFragments([
      { owner: small.root, nodes: small.nodes, edges: small.edges, truncated: false, omitted: [] },
    ]);
    expect(small.nodes.length).toBeLessThanOrEqual(FOLD_BUDGET);
    expect(
      shapeElements({ graph: smallGraph, filters: none, grouping: true, expanded: [], openBoxes: [] }).folds,
    ).toEqual([]);
    // Without boxes there is nothing to fold into.
    expect(shape({ grouping: false }).folds).toEqual([]);
  });

  it('opens a counted box from what is loaded when clicked; a folded resource selected opens its box', () => {
    const shaped = shape();
    const fold = shaped.folds[0]!;
    const state = { ...defaultViewState(), resource: estate.root };
    expect(selectPatch(state, fold.id)).toEqual({ patch: { openBoxes: [fold.id] }, refresh: 'shape' });
    const member = fold.members[7]!;
    expect(openForSelection({ ...state, selected: member }, shaped.foldOf)).toEqual({ openBoxes: [fold.id] });
    expect(openForSelection({ ...state, selected: member, openBoxes: [fold.id] }, shaped.foldOf)).toBeUndefined();
    expect(openForSelection({ ...state, selected: estate.root }, shaped.foldOf)).toBeUndefined();
    // Opening another resource starts with every box folded again.
    expect(openPatch({ ...state, openBoxes: [fold.id] }, 'i-1').openBoxes).toEqual([]);
  });

  it('G12: closes an opened counted node again, folding its members as before and unselecting them', () => {
    const before = shape();
    const fold = before.folds[3]!;
    const opened = shape({ openBoxes: [fold.id] });
    // The opened one is listed with what it counts and where, to be closed.
    expect(opened.openedBoxes.map((b) => b.id)).toEqual([fold.id]);
    expect(opened.openedBoxes[0]!.members).toEqual(fold.members);
    expect(opened.openedBoxes[0]!.label).toMatch(/^25 (instances|network interfaces) in Subnet /);
    expect(before.openedBoxes).toEqual([]);
    const state = { ...defaultViewState(), resource: estate.root, openBoxes: [fold.id], selected: fold.members[2] };
    const patch = closePatch(state, opened.openedBoxes[0]!);
    expect(patch).toEqual({ openBoxes: [], selected: undefined });
    // Closed, the view is drawn exactly as before it was opened.
    expect(shape({ openBoxes: patch.openBoxes }).elements).toEqual(before.elements);
    // Another selection stays; other opened boxes stay open.
    const other = before.folds[5]!;
    expect(
      closePatch({ ...state, openBoxes: [fold.id, other.id].sort(), selected: estate.root }, opened.openedBoxes[0]!),
    ).toEqual({ openBoxes: [other.id] });
    // Unselected, the closed box is not opened again by the selection rule.
    expect(openForSelection({ ...state, ...patch }, before.foldOf)).toBeUndefined();
  });
});
