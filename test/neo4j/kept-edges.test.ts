// A resource brought again by a later run keeps the relationships that come out as stored (IngestReads.storedDerived
// answered on Neo4j): the same relationship, not one deleted and created again; a changed one is replaced.
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCOUNT, items, REGION, T } from '../support/ci-builder.ts';
import { NEO4J_LOCK_HOOK_TIMEOUT, neo4jForTests, neo4jSuiteTitle, neo4jTestAuth } from '../support/neo4j-env.ts';
import { useSharedNeo4jStore } from '../support/shared-neo4j-store.ts';
import { keyOf } from '../../graph/identity.ts';

const env = neo4jForTests();
vi.setConfig({ testTimeout: 300_000 });

const INSTANCE = 'AWS::EC2::Instance';
const key = keyOf({ accountId: ACCOUNT, awsRegion: REGION, resourceType: INSTANCE, resourceId: 'i-1' });
const instance = (time: string, sg: string, ip: string) => ({
  type: INSTANCE,
  id: 'i-1',
  time,
  rels: [
    { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: 'subnet-1' },
    { name: 'Is associated with SecurityGroup', type: 'AWS::EC2::SecurityGroup', id: sg },
  ],
  configuration: { instanceId: 'i-1', privateIpAddress: ip },
});

describe.skipIf(!env.uri)(neo4jSuiteTitle('Neo4j: edges kept across runs', env), () => {
  const shared = useSharedNeo4jStore(env.uri!);
  let driver: Driver;
  /** The relationships out of i-1 by their target's resource id: their element ids and validity. */
  const outgoing = async () => {
    const r = await driver.executeQuery(
      'MATCH (:Resource {key: $key})-[e]->(t:Resource) RETURN t.resourceId AS target, elementId(e) AS element, e.validTo AS validTo',
      { key },
    );
    return new Map(
      r.records.map((x) => [x.get('target') as string, { element: x.get('element'), to: x.get('validTo') }]),
    );
  };

  beforeAll(async () => {
    const { user, password } = neo4jTestAuth();
    driver = neo4j.driver(env.uri!, user || password ? neo4j.auth.basic(user ?? 'neo4j', password ?? '') : undefined);
  }, NEO4J_LOCK_HOOK_TIMEOUT);
  afterAll(async () => {
    await driver?.close();
  });

  it('E1: unchanged relationships stay the same relationships; one whose validity changes is replaced', async () => {
    const store = shared();
    await store.ingest({ source: 'test', scope: 'a', items: items(instance(T(1), 'sg-1', '10.0.0.1')) });
    const before = await outgoing();
    // A later CI with a new IP and another security group: the subnet edge comes out as stored, the sg-1 edge closes.
    await store.ingest({ source: 'test', scope: 'b', items: items(instance(T(3), 'sg-2', '10.0.0.2')) });
    const after = await outgoing();
    expect(after.get('subnet-1')?.element).toBe(before.get('subnet-1')?.element);
    expect(after.get('sg-1')?.element).not.toBe(before.get('sg-1')?.element);
    expect(after.get('sg-1')?.to).toBe(T(3));
    expect(after.get('sg-2')?.to).toBeNull();
    expect(await store.search('10.0.0.2')).toHaveLength(1);
    expect(await store.search('10.0.0.1')).toHaveLength(0);
  });
});
