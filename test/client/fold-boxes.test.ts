// W2 with G1–G5: a counted node stands for members of its parent, so it is drawn where they would be — a
// subnet's folded instances inside that subnet's box, a VPC's folded security groups inside the VPC's box —
// however its id (`fold:<parent key>:<type>`) reads.
import { describe, expect, it } from 'vitest';
import { viewFragment } from '../../client/src/graph/purpose.ts';
import { groupNodes } from '../../graph/grouping.ts';
import { relationshipType } from '../../graph/relationships.ts';
import { foldId, type PurposeView } from '../../graph/view-plans.ts';
import { edge, subnetA, vpc } from './fixtures.ts';

const contained = edge(subnetA, vpc, 'Is contained in Vpc', { type: relationshipType('Is contained in Vpc') });

describe('counted nodes in their boxes (W2, G1)', () => {
  it('a subnet’s folded instances are in the subnet’s box; a VPC’s folded security groups in the VPC’s box', () => {
    const instances = foldId(subnetA.key, 'AWS::EC2::Instance');
    const groups = foldId(vpc.key, 'AWS::EC2::SecurityGroup');
    const view: PurposeView = {
      kind: 'network',
      root: vpc.key,
      nodes: [vpc, subnetA],
      edges: [contained],
      truncated: false,
      folds: [
        { id: instances, parent: subnetA.key, resourceType: 'AWS::EC2::Instance', count: 12 },
        { id: groups, parent: vpc.key, resourceType: 'AWS::EC2::SecurityGroup', count: 5 },
      ],
    };
    const fragment = viewFragment(view, []);
    const grouping = groupNodes(fragment.nodes, fragment.edges);
    expect(grouping.parentOf.get(instances)).toBe(`g:subnet:${subnetA.key}`);
    expect(grouping.parentOf.get(groups)).toBe(`g:vpc:${vpc.key}`);
  });
});
