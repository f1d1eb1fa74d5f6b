// Views by purpose (SPEC W1–W3), run over an in-memory reader: the plan is pure, the stores only
// supply the one-hop read (the contract suite runs the same views on SQLite and Neo4j).
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../graph/errors.ts';
import type { GraphEdge, ResourceKey, ResourceNode } from '../../graph/model.ts';
import type { GraphReader } from '../../graph/traverse.ts';
import { defaultViewFor, foldId, parseFoldId, purposeViewOf, T } from '../../graph/views.ts';

const key = (type: string, id: string): ResourceKey => `111122223333|eu-west-1|${type}|${id}`;

/** A tiny graph: edges as Config lists them, each [source, name, target]. */
function reader(rels: [ResourceKey, string, ResourceKey][]): GraphReader {
  const edges: GraphEdge[] = rels.map(([source, name, target]) => ({
    id: `${source}>${name}>${target}`,
    source,
    target,
    name,
    type: name
      .replace(/ [A-Z][A-Za-z]*$/, '')
      .toUpperCase()
      .replace(/ /g, '_'),
    origin: 'config',
    validFrom: '2026-01-01T00:00:00.000Z',
    validTo: null,
  }));
  const keys = new Set(rels.flatMap(([s, , t]) => [s, t]));
  return {
    edgesTouching: (ks) => Promise.resolve(edges.filter((e) => ks.includes(e.source) || ks.includes(e.target))),
    nodesAt: (ks) =>
      Promise.resolve(
        ks
          .filter((k) => keys.has(k))
          .map((k): ResourceNode => {
            const [accountId, awsRegion, resourceType, resourceId] = k.split('|') as [string, string, string, string];
            return { key: k, accountId, awsRegion, resourceType, resourceId, status: 'OK', recorded: true, tags: {} };
          }),
      ),
  };
}

const I = key(T.instance, 'i-1');
const VPC = key(T.vpc, 'vpc-1');
const SUB = key(T.subnet, 'subnet-a');
const SUB_B = key(T.subnet, 'subnet-b');
const ENI = key(T.eni, 'eni-1');
const EIP = key(T.eip, 'eipalloc-1');
const SG = key(T.sg, 'sg-1');
const VOL = key(T.volume, 'vol-1');
const RT = key(T.routeTable, 'rtb-1');
const ACL = key(T.acl, 'acl-1');
const NAT = key(T.nat, 'nat-1');
const IGW = key(T.igw, 'igw-1');
const OTHER_I = key(T.instance, 'i-2');

/** Each relationship recorded from one end only (as the old generator did). */
const ONE_END: [ResourceKey, string, ResourceKey][] = [
  [I, 'Is contained in Subnet', SUB],
  [I, 'Is contained in Vpc', VPC],
  [I, 'Is associated with SecurityGroup', SG],
  [I, 'Is attached to Volume', VOL],
  [ENI, 'Is attached to Instance', I],
  [EIP, 'Is attached to NetworkInterface', ENI],
  [SUB, 'Is contained in Vpc', VPC],
  [SUB_B, 'Is contained in Vpc', VPC],
  [RT, 'Contains Subnet', SUB],
  [ACL, 'Is attached to Subnet', SUB],
  [RT, 'Routes to', NAT],
  [RT, 'Routes to', IGW],
  [IGW, 'Is attached to Vpc', VPC],
  [OTHER_I, 'Is contained in Subnet', SUB_B],
  [OTHER_I, 'Is contained in Vpc', VPC],
];

/** The same world recorded from both ends, with Config's names, as real Config does. */
const BOTH_ENDS: [ResourceKey, string, ResourceKey][] = [
  ...ONE_END,
  [SUB, 'Contains Instance', I],
  [VPC, 'Contains Instance', I],
  [VPC, 'Contains Subnet', SUB],
  [VPC, 'Contains Subnet', SUB_B],
  [I, 'Contains NetworkInterface', ENI],
  [ENI, 'Is attached to ElasticIp', EIP],
  [SG, 'Is associated with Instance', I],
  [VOL, 'Is attached to Instance', I],
  [SUB, 'Is contained in RouteTable', RT],
  [SUB, 'Is attached to NetworkAcl', ACL],
  [VPC, 'Is attached to InternetGateway', IGW],
  [NAT, 'Is contained in Subnet', SUB],
  [NAT, 'Is contained in Vpc', VPC],
  [VPC, 'Contains Instance', OTHER_I],
  [SUB_B, 'Contains Instance', OTHER_I],
];

const keysOf = (v: { nodes: ResourceNode[] }) => v.nodes.map((n) => n.key).sort();

describe('views by purpose', () => {
  it('W1: attachments from an instance reach its subnet’s route table and that table’s NAT and internet gateways', async () => {
    const v = await purposeViewOf(reader(ONE_END), I, { kind: 'attachments' });
    expect(keysOf(v)).toEqual([I, VPC, SUB, ENI, EIP, SG, VOL, RT, ACL, NAT, IGW].sort());
    // The VPC is shown, never followed: the other subnet and its instance stay out.
    expect(keysOf(v)).not.toContain(SUB_B);
    expect(keysOf(v)).not.toContain(OTHER_I);
    expect(v.truncated).toBe(false);
    expect(v.edges.some((e) => e.source === RT && e.target === IGW)).toBe(true);
  });

  it('W1: relationships recorded from one end or from both give the same attachments and network views', async () => {
    for (const kind of ['attachments', 'network'] as const) {
      const root = kind === 'attachments' ? I : VPC;
      const one = await purposeViewOf(reader(ONE_END), root, { kind });
      const both = await purposeViewOf(reader(BOTH_ENDS), root, { kind });
      expect(keysOf(both)).toEqual(keysOf(one));
      expect(both.folds).toEqual(one.folds);
    }
  });

  it('W2: the network view shows subnets, route tables, ACLs and gateways and folds each subnet’s members by type', async () => {
    const eniRels: [ResourceKey, string, ResourceKey][] = Array.from({ length: 23 }, (_, i) => [
      key(T.eni, `eni-${String(i).padStart(2, '0')}`),
      'Is contained in Subnet',
      SUB,
    ]);
    const v = await purposeViewOf(reader([...BOTH_ENDS, ...eniRels]), VPC, { kind: 'network' });
    expect(keysOf(v)).toEqual([VPC, SUB, SUB_B, RT, ACL, NAT, IGW].sort());
    expect(v.folds).toEqual([
      { id: foldId(SUB, T.instance), parent: SUB, resourceType: T.instance, count: 1 },
      { id: foldId(SUB, T.eni), parent: SUB, resourceType: T.eni, count: 23 },
      { id: foldId(SUB_B, T.instance), parent: SUB_B, resourceType: T.instance, count: 1 },
    ]);
    expect(parseFoldId(v.folds[1]!.id)).toEqual({ parent: SUB, resourceType: T.eni });
    expect(parseFoldId(SUB)).toBeUndefined();
  });

  it('W3: a hub is not followed, and the view names it with the number of neighbours left out', async () => {
    const peerings: [ResourceKey, string, ResourceKey][] = Array.from({ length: 45 }, (_, i) => [
      RT,
      'Routes to',
      key(T.peering, `pcx-${String(i).padStart(2, '0')}`),
    ]);
    const v = await purposeViewOf(reader([...ONE_END, ...peerings]), I, { kind: 'attachments' });
    expect(v.truncated).toBe(true);
    // NAT and IGW are left out with the 45 peerings: 47 neighbours of the route table.
    expect(v.omitted).toEqual([{ key: RT, count: 47 }]);
    expect(keysOf(v)).toContain(RT);
    expect(keysOf(v)).not.toContain(IGW);
    const small = await purposeViewOf(reader(ONE_END), I, { kind: 'attachments', limit: 3 });
    expect(small.nodes).toHaveLength(3);
    expect(small.truncated).toBe(true);
    expect(small.omitted?.map((o) => o.key)).toContain(I);
  });

  it('W3: an instance opens in attachments, a VPC in network, anything else in hops; a view from the wrong type is refused', async () => {
    expect(defaultViewFor(T.instance)).toBe('attachments');
    expect(defaultViewFor(T.vpc)).toBe('network');
    expect(defaultViewFor(T.subnet)).toBeUndefined();
    await expect(purposeViewOf(reader(ONE_END), SUB, { kind: 'attachments' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});
