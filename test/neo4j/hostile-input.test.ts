// Hostile resource types, relationship names, tag keys and ids never change the shape of a Cypher
// statement: they are stored and returned byte for byte, add no label, relationship type or node
// beyond what the model says, and cannot delete or match anything else.
import neo4j from 'neo4j-driver';
import { describe, expect, it, vi } from 'vitest';
import { keyOf } from '../../graph/identity.ts';
import { labelsOf, relTypeInCypher, typeLabel } from '../../graph/stores/neo4j/names.ts';
import { ACCOUNT, items, REGION, T } from '../support/ci-builder.ts';
import { neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';
import { useSharedNeo4jStore } from '../support/shared-neo4j-store.ts';

const NASTY = [
  'x`})-[:X]->(n) DETACH DELETE n //',
  'it\'s "quoted" `back` ticked',
  'line one\nMATCH (n) DETACH DELETE n\n// end',
  '}) RETURN 1 UNION MATCH (n) RETURN n //',
  '$param {key: 1} :Label',
];
const HOSTILE_TYPE = 'AWS::EC2::Inst`})-[:PWNED]->(n) DETACH DELETE n //\nx';

describe('Cypher names are allow-listed (pure)', () => {
  it('type labels come only from safe types', () => {
    expect(typeLabel('AWS::EC2::Instance')).toBe('EC2_Instance');
    expect(typeLabel('AWS::ElasticLoadBalancingV2::LoadBalancer')).toBe('ElasticLoadBalancingV2_LoadBalancer');
    expect(typeLabel('Custom::Thing')).toBe('Custom_Thing');
    expect(typeLabel(HOSTILE_TYPE)).toBeUndefined();
    for (const n of NASTY) expect(typeLabel(`AWS::EC2::${n}`)).toBeUndefined();
    expect(typeLabel('AWS::Resource')).toBeUndefined();
    expect(typeLabel('AWS::IngestLock')).toBeUndefined();
    expect(labelsOf('AWS::EC2::Instance')).toEqual(['EC2_Instance']);
    expect(labelsOf(HOSTILE_TYPE)).toEqual([]);
  });

  it('relationship types that fail the pattern are refused, never quoted', () => {
    expect(relTypeInCypher('IS_CONTAINED_IN')).toBe('`IS_CONTAINED_IN`');
    for (const n of NASTY) expect(() => relTypeInCypher(n)).toThrow(/unsafe/);
    expect(() => relTypeInCypher('is_contained_in')).toThrow(/unsafe/);
  });
});

const env = neo4jForTests();
// A real server on a shared 2-core machine: generous timeouts (speed is measured in bench/, not here).
vi.setConfig({ testTimeout: 300_000 });

describe.skipIf(!env.uri)(neo4jSuiteTitle('hostile input against a real Neo4j', env), () => {
  const store = useSharedNeo4jStore(env.uri!);

  it('stores hostile ids, types, names and tags verbatim and adds nothing else', async () => {
    // A canary that any injected DELETE or MATCH would touch.
    await store().ingest({
      source: 'test',
      scope: 'canary',
      items: items({ type: 'AWS::S3::Bucket', id: 'canary', time: T(1) }),
    });
    const hostile = items(
      ...NASTY.map((n, i) => ({
        type: 'AWS::EC2::Instance',
        id: `i-${i} ${n}`,
        name: n,
        time: T(2),
        tags: { [n]: n, Name: n },
        rels: [
          { name: n, type: 'AWS::EC2::Subnet', id: `subnet ${n}` },
          { name: `Is contained in ${n}`, type: HOSTILE_TYPE, id: n },
        ],
      })),
    );
    // The parser refuses such a type for a resource of its own (P9), so the item is built past it: the
    // store must stay safe whatever reaches it. As a relationship target's type it still comes through.
    const [typedItem] = items({
      type: 'AWS::EC2::Instance',
      id: 'hostile-type',
      time: T(2),
      rels: [{ name: 'Is associated with ', type: HOSTILE_TYPE, id: NASTY[0]! }],
    });
    hostile.push({ ...typedItem!, resourceType: HOSTILE_TYPE });
    const run = await store().ingest({ source: 'test', scope: NASTY[0]!, items: hostile });
    expect(run.status).toBe('succeeded');

    for (const [i, n] of NASTY.entries()) {
      const view = await store().resource(
        keyOf({ accountId: ACCOUNT, awsRegion: REGION, resourceType: 'AWS::EC2::Instance', resourceId: `i-${i} ${n}` }),
      );
      expect(view.node.resourceId).toBe(`i-${i} ${n}`);
      expect(view.node.tags[n]).toBe(n);
      expect(view.outgoing.map((e) => e.name).sort()).toEqual([`Is contained in ${n}`, n].sort());
      // Names that are not verb phrases fall back to RELATED_TO (E4); none becomes a type of its own.
      for (const e of view.outgoing) expect(e.type).toMatch(/^[A-Z][A-Z0-9_]{0,63}$/);
      const hits = await store().search(n);
      expect(hits.map((h) => h.node.resourceId)).toContain(`i-${i} ${n}`);
    }
    const typed = await store().resource('hostile-type');
    expect(typed.node.resourceType).toBe(HOSTILE_TYPE);

    const driver = neo4j.driver(env.uri!, undefined, { disableLosslessIntegers: true });
    try {
      const labels = (
        await driver.executeQuery('MATCH (n) UNWIND labels(n) AS l RETURN collect(DISTINCT l) AS l')
      ).records[0]!.get('l') as string[];
      expect(labels.sort()).toEqual(
        [
          'ConfiggraphSchema',
          'EC2_Instance',
          'EC2_Subnet',
          'IngestLock',
          'Resource',
          'Run',
          'S3_Bucket',
          'Version',
        ].sort(),
      );
      const types = (
        await driver.executeQuery('MATCH ()-[e]->() RETURN collect(DISTINCT type(e)) AS t')
      ).records[0]!.get('t') as string[];
      // Every hostile relationship name holds characters a verb phrase never has: RELATED_TO (E4).
      expect(types.sort()).toEqual(['HAS_VERSION', 'IS_ASSOCIATED_WITH', 'RELATED_TO']);
      const canary = await driver.executeQuery('MATCH (r:Resource {resourceId: "canary"}) RETURN count(r) AS n');
      expect(canary.records[0]!.get('n')).toBe(1);
      // 5 instances + 1 hostile-typed resource + canary; targets: 5 subnets, 5 hostile-typed placeholders + 1 (NASTY[0] is shared).
      const count = await driver.executeQuery('MATCH (r:Resource) RETURN count(r) AS n');
      expect(count.records[0]!.get('n')).toBe(1 + 5 + 1 + 5 + 5);
    } finally {
      await driver.close();
    }
  });

  it('hostile references and search strings are only ever values', async () => {
    for (const n of NASTY) {
      await expect(store().resource(`nope ${n}`)).rejects.toThrow(/no resource matches/);
      await store().search(`${n}' OR 1=1 //`);
    }
    const stats = await store().stats();
    expect(stats.resources).toBeGreaterThan(0);
    expect((await store().resource('canary')).node.resourceId).toBe('canary');
  });
});
