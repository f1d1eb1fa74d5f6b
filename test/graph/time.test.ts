// Honest time (SPEC T1–T4) as pure functions: the node a resource is at a time, its placement window and
// the edges dropped at a deleted end. The stores' behaviour is proved by the contract suite.
import { describe, expect, it } from 'vitest';
import { edgeValidity } from '../../graph/edges.ts';
import { keyOf } from '../../graph/identity.ts';
import type { GraphEdge, ResourceKey, ResourceNode } from '../../graph/model.ts';
import { nodeAt } from '../../graph/nodes.ts';
import { liveEdgesTouching, type GraphReader } from '../../graph/traverse.ts';
import { compareVersions, versionFromItem } from '../../graph/versions.ts';
import { items, T, type CiSpec } from '../support/ci-builder.ts';

const ENI = 'AWS::EC2::NetworkInterface';
const versions = (...specs: CiSpec[]) =>
  items(...specs)
    .map((i) => versionFromItem(i))
    .sort(compareVersions);
const identity = { accountId: '111122223333', awsRegion: 'eu-west-1', resourceType: ENI, resourceId: 'eni-1' };
const key = keyOf(identity);
const placement = [
  { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: 'subnet-1' },
  { name: 'Is contained in Vpc', type: 'AWS::EC2::VPC', id: 'vpc-1' },
];
const attachment = { name: 'Is attached to Instance', type: 'AWS::EC2::Instance', id: 'i-1' };

describe('T1: a resource exists from its creation time', () => {
  const vs = versions(
    { type: ENI, id: 'eni-1', time: T(3), created: T(2), tags: { Name: 'eth0' }, rels: placement },
    { type: ENI, id: 'eni-1', time: T(5), tags: { Name: 'eth0-renamed' }, rels: placement },
  );

  it('T1: between creation and first capture it is its first version, marked with when it was first recorded', () => {
    expect(nodeAt(key, identity, vs, T(2, 6))).toMatchObject({
      recorded: true,
      status: 'OK',
      resourceName: 'eth0',
      captureTime: T(3),
      beforeFirstRecord: true,
      firstRecordedAt: T(3),
    });
  });

  it('T1: before its creation it is not yet recorded; from its first capture on it carries no mark', () => {
    expect(nodeAt(key, identity, vs, T(1))).toMatchObject({ recorded: false, status: 'NotYetRecorded' });
    const at4 = nodeAt(key, identity, vs, T(4));
    expect(at4.beforeFirstRecord).toBeUndefined();
    expect(at4.firstRecordedAt).toBeUndefined();
    expect(nodeAt(key, identity, vs).resourceName).toBe('eth0-renamed');
  });

  it('T1: no creation time, or one not before the capture, means no window', () => {
    const none = versions({ type: ENI, id: 'eni-1', time: T(3), rels: placement });
    expect(nodeAt(key, identity, none, T(2, 6)).status).toBe('NotYetRecorded');
    const same = versions({ type: ENI, id: 'eni-1', time: T(3), created: T(3), rels: placement });
    expect(nodeAt(key, identity, same, T(2, 6)).status).toBe('NotYetRecorded');
  });
});

describe('T2: the placement of the first version holds from the creation time', () => {
  it('T2: IS_CONTAINED_IN a VPC or subnet opens at creation; other relationships at the first capture', () => {
    const vs = versions(
      {
        type: ENI,
        id: 'eni-1',
        time: T(3),
        created: T(2),
        rels: [
          ...placement,
          attachment,
          { name: 'Is contained in RouteTable', type: 'AWS::EC2::RouteTable', id: 'rtb-1' },
        ],
      },
      { type: ENI, id: 'eni-1', time: T(5), rels: placement },
    );
    const byTarget = Object.fromEntries(
      edgeValidity(ENI, vs).map((e) => [e.relationship.resourceId, [e.validFrom, e.validTo]]),
    );
    expect(byTarget).toEqual({
      'subnet-1': [T(2), null],
      'vpc-1': [T(2), null],
      'i-1': [T(3), T(5)],
      // A route table association can change, so it is not placement.
      'rtb-1': [T(3), T(5)],
    });
  });

  it('T2: a placement first listed by a later version opens at that version', () => {
    const vs = versions(
      { type: ENI, id: 'eni-1', time: T(3), created: T(2), rels: [] },
      { type: ENI, id: 'eni-1', time: T(5), rels: placement },
    );
    expect(edgeValidity(ENI, vs).map((e) => e.validFrom)).toEqual([T(5), T(5)]);
  });
});

describe('T3: a deleted resource keeps its last known name and tags', () => {
  it('T3: name, tags and ARN come from the last version that is not a deletion; it says when it went', () => {
    const vs = versions(
      { type: ENI, id: 'eni-1', time: T(1), tags: { Name: 'old' } },
      { type: ENI, id: 'eni-1', time: T(2), tags: { Name: 'web', team: 'a' }, arn: 'arn:eni-1' },
      { type: ENI, id: 'eni-1', time: T(4), status: 'ResourceDeleted' },
    );
    const gone = nodeAt(key, identity, vs);
    expect(gone).toMatchObject({
      status: 'ResourceDeleted',
      captureTime: T(4),
      resourceName: 'web',
      tags: { Name: 'web', team: 'a' },
      arn: 'arn:eni-1',
      deletedAt: T(4),
      lastExistedAt: '2024-03-03T23:59:59.999Z',
    });
    // At its last moment it is the live version again, unmarked.
    const last = nodeAt(key, identity, vs, gone.lastExistedAt);
    expect(last.status).toBe('OK');
    expect(last.deletedAt).toBeUndefined();
  });

  it('T3: a resource only ever seen deleted has no last moment', () => {
    const vs = versions({ type: ENI, id: 'eni-1', time: T(4), status: 'ResourceDeletedNotRecorded' });
    const node = nodeAt(key, identity, vs);
    expect(node.deletedAt).toBe(T(4));
    expect(node.lastExistedAt).toBeUndefined();
  });
});

describe('T4: no edge to a deleted resource', () => {
  const node = (k: ResourceKey, status: string): ResourceNode => ({
    key: k,
    accountId: '1',
    awsRegion: 'r',
    resourceType: 't',
    resourceId: k,
    status,
    recorded: status !== 'NotRecorded',
    tags: {},
  });
  const edge = (id: string, source: string, target: string): GraphEdge => ({
    id,
    source,
    target,
    name: 'Is attached to Instance',
    type: 'IS_ATTACHED_TO',
    origin: 'derived',
    rule: 'eni-attachment',
    validFrom: T(1),
    validTo: null,
  });
  const reader: GraphReader = {
    edgesTouching: () =>
      Promise.resolve([edge('a', 'eni', 'gone'), edge('b', 'eni', 'live'), edge('c', 'eni', 'placeholder')]),
    nodesAt: (keys) =>
      Promise.resolve(
        keys.map((k) => node(k, k === 'gone' ? 'ResourceDeleted' : k === 'placeholder' ? 'NotRecorded' : 'OK')),
      ),
  };

  it('T4: an edge whose end is deleted at the time read is dropped; live ends and placeholders stay', async () => {
    const known = new Map<ResourceKey, ResourceNode>();
    const edges = await liveEdgesTouching(reader, ['eni'], T(2), known);
    expect(edges.map((e) => e.id)).toEqual(['b', 'c']);
    expect([...known.keys()].sort()).toEqual(['eni', 'gone', 'live', 'placeholder']);
  });
});
