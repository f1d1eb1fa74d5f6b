import { describe, expect, it } from 'vitest';
import { emptyMarks } from '../../client/src/graph/diff-marks.ts';
import { mergeFragments } from '../../client/src/graph/fragments.ts';
import {
  facetsOf,
  nodeLabel,
  shapeElements,
  shapingSteps,
  type EdgeElement,
  type NodeElement,
  type ViewFilters,
} from '../../client/src/graph/shape.ts';
import { bigEstate } from './big-estate.ts';
import { edge, edges, eni, instance, nodes, node, role, sg, subnetA, volume, vpc } from './fixtures.ts';

const graph = mergeFragments([{ owner: instance.key, nodes, edges, truncated: false, omitted: [] }]);
const none: ViewFilters = { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] };
const resources = (els: ReturnType<typeof shapeElements>['elements']) =>
  els.filter((e): e is NodeElement => e.group === 'nodes' && e.data.kind === 'resource');
const edgeEls = (els: ReturnType<typeof shapeElements>['elements']) =>
  els.filter((e): e is EdgeElement => e.group === 'edges');

describe('shapeElements', () => {
  it('gives every resource its family, root and status classes', () => {
    const { elements } = shapeElements({ graph, root: instance.key, filters: none, grouping: false, expanded: [] });
    const byId = new Map(resources(elements).map((e) => [e.data.id, e]));
    expect(byId.get(instance.key)!.classes.split(' ')).toEqual(
      expect.arrayContaining(['resource', 'family-compute', 'root']),
    );
    expect(byId.get(vpc.key)!.classes).toContain('family-network');
    expect(byId.get(volume.key)!.classes).toContain('family-storage');
    expect(byId.get(role.key)!.classes).toContain('family-identity');
    expect(byId.get(instance.key)!.data.parent).toBeUndefined();
  });

  it('T1: a resource shown before Config first recorded it is a resource in its box, marked first-recorded-later', () => {
    const late = { ...volume, beforeFirstRecord: true as const, firstRecordedAt: '2024-03-02T00:00:00.000Z' };
    const g = mergeFragments([
      {
        owner: instance.key,
        nodes: nodes.map((n) => (n.key === volume.key ? late : n)),
        edges,
        truncated: false,
        omitted: [],
      },
    ]);
    const { elements } = shapeElements({ graph: g, root: instance.key, filters: none, grouping: true, expanded: [] });
    const el = resources(elements).find((e) => e.data.id === volume.key)!;
    expect(el.classes.split(' ')).toEqual(expect.arrayContaining(['resource', 'first-recorded-later']));
    expect(el.classes).not.toContain('placeholder');
    const plain = shapeElements({ graph, root: instance.key, filters: none, grouping: true, expanded: [] });
    expect(resources(plain.elements).find((e) => e.data.id === volume.key)!.data.parent).toBe(el.data.parent);
  });

  it('labels edges with the raw relationship name (trimmed) and marks derived ones', () => {
    const { elements } = shapeElements({ graph, root: instance.key, filters: none, grouping: false, expanded: [] });
    const derived = edgeEls(elements).find((e) => e.data.target === role.key)!;
    expect(derived.data.label).toBe('Is associated with');
    expect(derived.classes).toContain('derived');
    expect(edgeEls(elements).filter((e) => e.classes.includes('derived'))).toHaveLength(1);
  });

  it('filters by type, account, region and hidden node, but never hides the root', () => {
    const filters: ViewFilters = {
      hiddenTypes: ['AWS::EC2::Instance', 'AWS::EC2::Volume'],
      hiddenAccounts: [],
      hiddenRegions: ['global'],
      hiddenNodes: [sg.key],
    };
    const shaped = shapeElements({ graph, root: instance.key, filters, grouping: false, expanded: [] });
    expect(shaped.visibleNodes).toContain(instance.key);
    expect(shaped.visibleNodes).not.toContain(volume.key);
    expect(shaped.visibleNodes).not.toContain(role.key);
    expect(shaped.visibleNodes).not.toContain(sg.key);
    expect(shaped.hiddenCount).toBe(3);
    // No edge may point at a hidden node.
    for (const e of edgeEls(shaped.elements)) {
      expect(shaped.visibleNodes).toContain(e.data.source);
      expect(shaped.visibleNodes).toContain(e.data.target);
    }
  });

  it('adds compound parents before their children when grouping', () => {
    const { elements } = shapeElements({ graph, root: instance.key, filters: none, grouping: true, expanded: [] });
    const seen = new Set<string>();
    for (const e of elements) {
      if (e.group === 'nodes') {
        if (e.data.parent) expect(seen.has(e.data.parent)).toBe(true);
        seen.add(e.data.id);
      }
    }
    expect(resources(elements).every((e) => e.data.parent)).toBe(true);
  });

  it('applies compare marks, path highlights and expansion', () => {
    const marks = emptyMarks();
    marks.nodes.set(volume.key, 'removed');
    marks.edges.set(edges[0]!.id, 'added');
    const { elements } = shapeElements({
      graph,
      root: instance.key,
      filters: none,
      grouping: false,
      expanded: [sg.key],
      marks,
      path: { nodes: new Set([vpc.key]), edges: new Set() },
    });
    const byId = new Map(elements.map((e) => [e.data.id, e]));
    expect(byId.get(volume.key)!.classes).toContain('diff-removed');
    expect(byId.get(edges[0]!.id)!.classes).toContain('diff-added');
    expect(byId.get(vpc.key)!.classes).toContain('on-path');
    expect(byId.get(sg.key)!.classes).toContain('expanded');
  });

  it('marks placeholders and deleted resources', () => {
    const ph = node('AWS::IAM::Role', 'ghost', { recorded: false, awsRegion: 'global' });
    const gone = node('AWS::EC2::Volume', 'vol-gone', { status: 'ResourceDeleted' });
    const g = mergeFragments([{ owner: ph.key, nodes: [ph, gone], edges: [], truncated: false, omitted: [] }]);
    const els = resources(shapeElements({ graph: g, filters: none, grouping: false, expanded: [] }).elements);
    expect(els.find((e) => e.data.id === ph.key)!.classes).toContain('placeholder');
    expect(els.find((e) => e.data.id === gone.key)!.classes).toContain('deleted');
  });

  it('G8 G9: draws a reverse twin once with both names, and hides links to the node’s own box unless asked', () => {
    const both = mergeFragments([
      {
        owner: instance.key,
        nodes,
        edges: [...edges, edge(eni, instance, 'Is attached to Instance'), edge(subnetA, instance, 'Contains Instance')],
        truncated: false,
        omitted: [],
      },
    ]);
    const shaped = shapeElements({ graph: both, root: instance.key, filters: none, grouping: true, expanded: [] });
    const drawn = edgeEls(shaped.elements);
    const twin = drawn.filter(
      (e) => [e.data.source, e.data.target].sort().join() === [instance.key, eni.key].sort().join(),
    );
    expect(twin).toHaveLength(1);
    expect(twin[0]!.data.label).toBe('Is attached to Instance / Contains NetworkInterface');
    expect(twin[0]!.classes).toContain('twin');
    const toOwnBox = (e: EdgeElement) =>
      (e.data.source === instance.key && [subnetA.key, vpc.key].includes(e.data.target)) ||
      (e.data.target === instance.key && [subnetA.key, vpc.key].includes(e.data.source));
    expect(drawn.filter(toOwnBox)).toEqual([]);
    // instance–subnet (a twin), instance–VPC, eni–subnet, subnets–VPC, sg–VPC, alb–VPC.
    expect(shaped.enclosingCount).toBe(7);
    expect(shaped.visibleEdges).toHaveLength(drawn.length);
    expect(shaped.groupCount).toBeGreaterThan(3);
    const all = shapeElements({
      graph: both,
      root: instance.key,
      filters: none,
      grouping: true,
      showEnclosing: true,
      expanded: [],
    });
    const shown = edgeEls(all.elements).filter(toOwnBox);
    expect(shown).toHaveLength(2);
    expect(shown.every((e) => e.classes.includes('enclosing'))).toBe(true);
    expect(edgeEls(all.elements)).toHaveLength(drawn.length + 7);
  });

  it('is deterministic', () => {
    const a = shapeElements({ graph, root: instance.key, filters: none, grouping: true, expanded: [] });
    const reversed = mergeFragments([
      { owner: instance.key, nodes: [...nodes].reverse(), edges: [...edges].reverse(), truncated: false, omitted: [] },
    ]);
    const b = shapeElements({ graph: reversed, root: instance.key, filters: none, grouping: true, expanded: [] });
    expect(JSON.stringify(b.elements)).toBe(JSON.stringify(a.elements));
  });

  it('in steps, gives what it gives at once, yielding between its stages (the explorer runs a step per task)', () => {
    const estate = bigEstate(2, 3, 8);
    const big = mergeFragments([
      { owner: estate.root, nodes: estate.nodes, edges: estate.edges, truncated: false, omitted: [] },
    ]);
    const input = { graph: big, root: estate.root, filters: none, grouping: true, expanded: [], openBoxes: [] };
    const steps = shapingSteps(input);
    let yielded = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yielded++;
    // Filtering, boxes, resources, connections, their elements: no step does the whole.
    expect(yielded).toBeGreaterThanOrEqual(4);
    const whole = shapeElements(input);
    expect(whole.elements.length).toBeGreaterThan(100);
    expect(step.value).toEqual(whole);
  });

  it('labels with name, id and type; Name tag when there is no resourceName', () => {
    expect(nodeLabel(instance)).toBe('web\ni-1\nEC2 Instance');
    expect(nodeLabel(vpc)).toBe('main\nvpc-1\nEC2 VPC');
    expect(nodeLabel(sg)).toBe('sg-1\nEC2 SecurityGroup');
  });

  it('lists facets of what is loaded', () => {
    const f = facetsOf(graph);
    expect(f.regions).toEqual(['global', 'us-east-1']);
    expect(f.types).toContain('AWS::ElasticLoadBalancingV2::LoadBalancer');
  });
});
