import { describe, expect, it } from 'vitest';
import { collapse, mergeFragments, toggleExpansion, type Fragment } from '../../client/src/graph/fragments.ts';
import { edge, eni, instance, node, sg, subnetA, vpc } from './fixtures.ts';

const other = node('AWS::EC2::Instance', 'i-2');
const far = node('AWS::EC2::Volume', 'vol-far');
const frag = (owner: string, nodes: (typeof instance)[], edges = [] as ReturnType<typeof edge>[]): Fragment => ({
  owner,
  nodes,
  edges,
  truncated: false,
  omitted: [],
});

const root = frag(
  instance.key,
  [instance, eni, sg, subnetA],
  [edge(instance, eni, 'Contains NetworkInterface'), edge(instance, sg, 'Is associated with SecurityGroup')],
);
const sgExp = frag(
  sg.key,
  [sg, vpc, other],
  [edge(sg, vpc, 'Is contained in Vpc'), edge(other, sg, 'Is associated with SecurityGroup')],
);
const otherExp = frag(other.key, [other, far], [edge(other, far, 'Is attached to Volume')]);

describe('fragments', () => {
  it('merges nodes and keeps only edges whose ends are present', () => {
    const dangling = frag(eni.key, [eni], [edge(eni, subnetA, 'Is contained in Subnet'), edge(eni, far, 'x')]);
    const g = mergeFragments([root, dangling]);
    expect([...g.nodes.keys()].sort()).toEqual([instance.key, eni.key, sg.key, subnetA.key].sort());
    expect([...g.edges.values()].map((e) => e.name).sort()).toEqual([
      'Contains NetworkInterface',
      'Is associated with SecurityGroup',
      'Is contained in Subnet',
    ]);
  });

  it('reports truncation if any fragment was truncated', () => {
    expect(mergeFragments([root, { ...sgExp, truncated: true }]).truncated).toBe(true);
  });

  it('expanding adds the node; collapsing removes it and expansions only it made reachable', () => {
    const all = [root, sgExp, otherExp];
    let expanded = toggleExpansion(instance.key, [], all, sg.key);
    expect(expanded).toEqual([sg.key]);
    expanded = toggleExpansion(instance.key, expanded, all, other.key);
    expect(expanded).toEqual([sg.key, other.key]);
    // `other` was reachable only through the security group's expansion.
    expect(collapse(instance.key, expanded, all, sg.key)).toEqual([]);
  });

  it('keeps an expansion that is still reachable from the root', () => {
    const all = [root, frag(eni.key, [eni, subnetA]), sgExp];
    expect(collapse(instance.key, [eni.key, sg.key], all, sg.key)).toEqual([eni.key]);
  });

  it('never collapses the root', () => {
    expect(toggleExpansion(instance.key, [sg.key], [root, sgExp], instance.key)).toEqual([sg.key]);
  });
});
