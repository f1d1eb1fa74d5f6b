// Pure domain rules, tested without a database (SPEC E1–E6, R2–R3, H, Q5).
import { describe, expect, it } from 'vitest';
import { configurationChanges, tagChanges } from '../../graph/changes.ts';
import { inferredDeletions } from '../../graph/deletions.ts';
import { deriveRelationships } from '../../graph/derive.ts';
import { edgeValidity, validAt } from '../../graph/edges.ts';
import { canonicalType, keyOf, parseKey } from '../../graph/identity.ts';
import { typeLabel } from '../../graph/stores/neo4j/names.ts';
import { relationshipType } from '../../graph/relationships.ts';
import { searchTermsOf, termScore } from '../../graph/search-terms.ts';
import { toIsoTime } from '../../graph/time.ts';
import { compareVersions, mergeVersions, unhashedVersion, versionFromItem } from '../../graph/versions.ts';
import { items, T } from '../support/ci-builder.ts';

const versions = (...specs: Parameters<typeof items>) =>
  items(...specs)
    .map((i) => versionFromItem(i))
    .sort(compareVersions);
const rel = (id: string) => ({ name: 'Is associated with SecurityGroup', type: 'AWS::EC2::SecurityGroup', id });

describe('relationship vocabulary', () => {
  it.each([
    ['Is contained in Vpc', 'IS_CONTAINED_IN'],
    ['Is contained in ', 'IS_CONTAINED_IN'],
    ['Contains NetworkInterface', 'CONTAINS'],
    ['Contains ', 'CONTAINS'],
    ['Is attached to ElasticIp', 'IS_ATTACHED_TO'],
    ['Is attached to CustomerManagedPolicy', 'IS_ATTACHED_TO'],
    ['Is associated with ', 'IS_ASSOCIATED_WITH'],
    ['Attached to Instance', 'IS_ATTACHED_TO'],
    ['', 'RELATED_TO'],
    ['})-[:X]->(n) //', 'RELATED_TO'],
  ])('E4: %j → %s', (name, type) => {
    expect(relationshipType(name)).toBe(type);
  });
});

describe('identity', () => {
  it('I1: keys round-trip, even when the id contains the separator or is an ARN', () => {
    const id = {
      accountId: '1',
      awsRegion: 'global',
      resourceType: 'AWS::IAM::Role',
      resourceId: 'arn:aws:iam::1:role/a|b',
    };
    expect(parseKey(keyOf(id))).toEqual(id);
    expect(parseKey('not a key')).toBeUndefined();
  });
  it('P6: canonical type spelling and safe Neo4j labels', () => {
    expect(canonicalType('AWS::LAMBDA::FUNCTION')).toBe('AWS::Lambda::Function');
    // The same spelling again (answered from the spellings already worked out), and other spellings of it.
    expect(canonicalType('AWS::LAMBDA::FUNCTION')).toBe('AWS::Lambda::Function');
    expect(canonicalType(' aws::lambda::function ')).toBe('AWS::Lambda::Function');
    expect(canonicalType(' AWS::Custom::Thing ')).toBe('AWS::Custom::Thing');
    expect(canonicalType(' AWS::Custom::Thing ')).toBe('AWS::Custom::Thing');
    expect(typeLabel('AWS::EC2::Instance')).toBe('EC2_Instance');
    // The label the Neo4j store gives (graph/stores/neo4j/names.ts; test/neo4j/hostile-input.test.ts has more).
    expect(typeLabel('AWS::X::`Y` })-[')).toBeUndefined();
  });
});

describe('edge validity', () => {
  it('E1/E3: intervals open at the first version listing an edge and close at the first that does not, or at deletion', () => {
    const vs = versions(
      { type: 'AWS::EC2::Instance', id: 'i', time: T(1), rels: [rel('sg-1')] },
      { type: 'AWS::EC2::Instance', id: 'i', time: T(2), rels: [rel('sg-1'), rel('sg-2')] },
      { type: 'AWS::EC2::Instance', id: 'i', time: T(3), rels: [rel('sg-2')] },
      { type: 'AWS::EC2::Instance', id: 'i', time: T(4), status: 'ResourceDeleted' },
      { type: 'AWS::EC2::Instance', id: 'i', time: T(5), rels: [rel('sg-1')] },
    );
    const out = edgeValidity('AWS::EC2::Instance', vs).map((e) => [e.relationship.resourceId, e.validFrom, e.validTo]);
    expect(out).toEqual([
      ['sg-1', T(1), T(3)],
      ['sg-2', T(2), T(4)],
      ['sg-1', T(5), null],
    ]);
  });

  it('E2: the result depends only on the set of versions, not their arrival order', () => {
    const a = versions(
      { type: 'AWS::EC2::Instance', id: 'i', time: T(2), rels: [rel('sg-2')] },
      { type: 'AWS::EC2::Instance', id: 'i', time: T(1), rels: [rel('sg-1')] },
    );
    const b = mergeVersions(mergeVersions([], [a[1]!]).versions, [a[0]!]).versions;
    expect(edgeValidity('AWS::EC2::Instance', b)).toEqual(edgeValidity('AWS::EC2::Instance', a));
  });

  it('Q2: validAt treats validTo as exclusive and "now" as open intervals only', () => {
    expect(validAt({ validFrom: T(1), validTo: T(3) }, T(3))).toBe(false);
    expect(validAt({ validFrom: T(1), validTo: T(3) }, T(1))).toBe(true);
    expect(validAt({ validFrom: T(1), validTo: null })).toBe(true);
    expect(validAt({ validFrom: T(1), validTo: T(2) })).toBe(false);
  });

  it('E6: derivation rules read SG references, route targets and ENI attachments, skipping what Config records', () => {
    expect(
      deriveRelationships('AWS::EC2::RouteTable', {
        configuration: { routes: [{ gatewayId: 'igw-1' }, { natGatewayId: 'nat-1' }, { gatewayId: 'local' }] },
        relationships: [],
      }).map((r) => [r.resourceType, r.resourceId, r.rule]),
    ).toEqual([
      ['AWS::EC2::InternetGateway', 'igw-1', 'route-targets'],
      ['AWS::EC2::NatGateway', 'nat-1', 'route-targets'],
    ]);
    expect(
      deriveRelationships('AWS::EC2::NetworkInterface', {
        configuration: { attachment: { instanceId: 'i-1' } },
        relationships: [
          { name: 'Is attached to Instance', resourceType: 'AWS::EC2::Instance', resourceId: 'i-1', origin: 'config' },
        ],
      }),
    ).toEqual([]);
  });
});

describe('merging copies of a version (V2, V3)', () => {
  const copies = (...configs: unknown[]) =>
    items(...configs.map((configuration) => ({ type: 'AWS::S3::Bucket', id: 'b', time: T(1), configuration })));

  it('V2: a repeat with the same content is a duplicate; the kept copy has its content hash, as if hashed at once', () => {
    // Key order differs, content does not: canonical JSON (and so the hash) is the same.
    const [first, repeat] = copies({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 });
    const merged = mergeVersions([], [unhashedVersion(first!, 'r'), unhashedVersion(repeat!, 'r')]);
    expect(merged.duplicates).toBe(1);
    expect(merged.written).toHaveLength(1);
    expect(merged.written[0]!.contentHash).toBe(versionFromItem(first!, 'r').contentHash);
    expect(versionFromItem(repeat!, 'r').contentHash).toBe(versionFromItem(first!, 'r').contentHash);
    // The written copy is the first one, its body (key order, source) unchanged.
    expect(JSON.stringify(merged.written[0])).toBe(JSON.stringify(versionFromItem(first!, 'r')));
  });

  it('V3: copies of one capture that differ keep the lower hash whichever arrives first, hashed or not', () => {
    const [x, y] = copies({ size: 1 }, { size: 2 });
    const hashed = [versionFromItem(x!), versionFromItem(y!)];
    const expected = hashed[0]!.contentHash <= hashed[1]!.contentHash ? hashed[0]! : hashed[1]!;
    for (const pair of [
      [unhashedVersion(x!), unhashedVersion(y!)],
      [unhashedVersion(y!), unhashedVersion(x!)],
      [versionFromItem(y!), unhashedVersion(x!)],
      [versionFromItem(x!), unhashedVersion(y!)],
    ]) {
      const merged = mergeVersions([], pair);
      expect(merged.versions).toEqual([expected]);
      expect(merged.written).toEqual([expected]);
    }
    // A stored copy (hashed) and a run's copy of it: the stored one is kept and nothing is written.
    const again = mergeVersions([versionFromItem(x!)], [unhashedVersion(x!)]);
    expect(again).toMatchObject({ written: [], added: 0, duplicates: 1 });
  });
});

describe('inferred deletions', () => {
  const key = '1|r|AWS::S3::Bucket|b';
  const recorded = versions({ type: 'AWS::S3::Bucket', id: 'b', time: T(1) });
  it('R2: absent from a later full snapshot → deleted as of that snapshot', () => {
    const out = inferredDeletions(key, recorded, [
      { time: T(2), members: new Set([key]) },
      { time: T(3), members: new Set() },
      { time: T(4), members: new Set() },
    ]);
    expect(out.map((v) => [v.captureTime, v.status, v.inferred])).toEqual([[T(3), 'ResourceDeleted', true]]);
  });
  it('R3: a later snapshot listing it again withdraws the inference; a snapshot older than the version infers nothing', () => {
    expect(
      inferredDeletions(key, recorded, [
        { time: T(3), members: new Set() },
        { time: T(5), members: new Set([key]) },
      ]),
    ).toEqual([]);
    expect(inferredDeletions(key, recorded, [{ time: T(0, 1), members: new Set() }])).toEqual([]);
  });
});

describe('changes', () => {
  it('H1: configuration changes are paths with old and new values', () => {
    expect(
      configurationChanges({ a: { b: [1, 2] }, c: 'x', gone: 1 }, { a: { b: [1, 3, 4] }, c: 'x', 'new key': true }),
    ).toEqual([
      { path: 'a.b[1]', change: 'changed', oldValue: 2, newValue: 3 },
      { path: 'a.b[2]', change: 'added', newValue: 4 },
      { path: 'gone', change: 'removed', oldValue: 1 },
      { path: '"new key"', change: 'added', newValue: true },
    ]);
  });
  it('H2: tag changes; unknown tags (null) report nothing', () => {
    expect(tagChanges({ a: '1', b: '2' }, { a: '1', b: '3', c: '4' })).toEqual([
      { key: 'b', change: 'changed', oldValue: '2', newValue: '3' },
      { key: 'c', change: 'added', newValue: '4' },
    ]);
    expect(tagChanges(null, { a: '1' })).toEqual([]);
  });
});

describe('search terms and time', () => {
  it('Q5: ids, names, tags, IP addresses and DNS names are terms; scores prefer exact ids', () => {
    const terms = searchTermsOf('i-1', {
      arn: 'arn:x',
      resourceName: undefined,
      tags: { Name: 'web' },
      configuration: {
        privateIpAddress: '10.0.0.5',
        networkInterfaces: [{ privateDnsName: 'ip-10-0-0-5.ec2.internal', association: { publicIp: '54.1.2.3' } }],
        description: 'not 1.2.3',
      },
    });
    expect(terms).toEqual(
      expect.arrayContaining([
        { kind: 'id', value: 'i-1' },
        { kind: 'name', value: 'web' },
        { kind: 'ip', value: '10.0.0.5' },
        { kind: 'ip', value: '54.1.2.3' },
        { kind: 'dns', value: 'ip-10-0-0-5.ec2.internal' },
      ]),
    );
    expect(terms.some((t) => t.value === 'not 1.2.3')).toBe(false);
    expect(termScore({ kind: 'id', value: 'i-1' }, 'I-1')).toBeGreaterThan(
      termScore({ kind: 'tag', value: 'i-1' }, 'i-1'),
    );
    expect(termScore({ kind: 'id', value: 'i-1' }, 'i-')).toBeLessThan(termScore({ kind: 'tag', value: 'i-' }, 'i-'));
  });
  it('P2: times from ISO strings, epoch seconds, placebo datetimes and Python reprs', () => {
    expect(toIsoTime('2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00.000Z');
    expect(toIsoTime(1414708529.922)).toBe('2014-10-30T22:35:29.922Z');
    expect(
      toIsoTime({
        __class__: 'datetime',
        year: 2016,
        month: 12,
        day: 11,
        hour: 6,
        minute: 4,
        second: 3,
        microsecond: 800000,
      }),
    ).toBe('2016-12-11T06:04:03.800Z');
    expect(toIsoTime('datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=tzlocal())')).toBe(
      '2020-04-22T13:13:17.718Z',
    );
    expect(toIsoTime('yesterday')).toBeUndefined();
  });
});
