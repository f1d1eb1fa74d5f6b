// docs/neo4j-schema.md is a user interface: every query it offers is run here, as written in the doc,
// against a real Neo4j holding a small known environment, and its answer is checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { items, T } from '../support/ci-builder.ts';
import { NEO4J_LOCK_HOOK_TIMEOUT, neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';
import { useSharedNeo4jStore } from '../support/shared-neo4j-store.ts';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'neo4j-schema.md'), 'utf8');

/** The Cypher block that follows `<!-- query: NAME -->` in the doc. */
function documentedQuery(name: string): string {
  const m = new RegExp(`<!-- query: ${name} -->\\s*\`\`\`cypher\\n([\\s\\S]*?)\`\`\``).exec(DOC);
  if (!m) throw new Error(`docs/neo4j-schema.md has no query "${name}"`);
  return m[1]!;
}

const SUBNET = 'AWS::EC2::Subnet';
const VPC = 'AWS::EC2::VPC';
const SG = 'AWS::EC2::SecurityGroup';
const web = (id: string, time: string, extra: Record<string, unknown> = {}) => ({
  type: 'AWS::EC2::Instance',
  id,
  time,
  rels: [
    { name: 'Is contained in Subnet', type: SUBNET, id: 'subnet-1' },
    { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
    { name: 'Is associated with SecurityGroup', type: SG, id: 'sg-web' },
  ],
  ...extra,
});

const env = neo4jForTests();
// A real server on a shared 2-core machine: generous timeouts (speed is measured in bench/, not here).
vi.setConfig({ testTimeout: 300_000 });

describe.skipIf(!env.uri)(neo4jSuiteTitle('docs/neo4j-schema.md queries against a real Neo4j', env), () => {
  const store = useSharedNeo4jStore(env.uri!);
  let driver: Driver;
  const query = async (name: string, params: Record<string, unknown>) =>
    (await driver.executeQuery(documentedQuery(name), params)).records.map((r) => r.toObject());

  beforeAll(async () => {
    driver = neo4j.driver(env.uri!, undefined, { disableLosslessIntegers: true });
    await store().ingest({
      source: 'doc-test',
      scope: 'doc',
      items: items(
        { type: VPC, id: 'vpc-1', time: T(1) },
        { type: SUBNET, id: 'subnet-1', time: T(1), rels: [{ name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' }] },
        {
          type: SG,
          id: 'sg-web',
          time: T(1),
          rels: [{ name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' }],
          configuration: { groupId: 'sg-web', ipPermissions: [] },
        },
        {
          type: SG,
          id: 'sg-web',
          time: T(10),
          rels: [{ name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' }],
          configuration: { groupId: 'sg-web', ipPermissions: [{ fromPort: 443 }] },
        },
        { type: SG, id: 'sg-old', time: T(1), rels: [{ name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' }] },
        web('i-web', T(2)),
        web('i-gone', T(2)),
        web('i-gone', T(5), { status: 'ResourceDeleted' }),
        {
          type: 'AWS::EC2::Volume',
          id: 'vol-1',
          time: T(3),
          rels: [{ name: 'Is attached to Instance', type: 'AWS::EC2::Instance', id: 'i-web' }],
        },
        {
          type: 'AWS::EC2::Volume',
          id: 'vol-1',
          time: T(3, 1),
          rels: [
            { name: 'Is attached to Instance', type: 'AWS::EC2::Instance', id: 'i-web' },
            { name: 'Is attached to Instance', type: 'AWS::EC2::Instance', id: 'i-missing' },
          ],
        },
      ),
    });
  }, NEO4J_LOCK_HOOK_TIMEOUT);
  afterAll(async () => {
    await driver?.close();
  });

  it('"everything attached to instance X" lists both directions, now', async () => {
    const r = await query('attached-to-instance', { instanceId: 'i-web' });
    expect(r).toEqual([
      {
        relationship: 'IS_ASSOCIATED_WITH',
        configName: 'Is associated with SecurityGroup',
        direction: 'out',
        type: SG,
        id: 'sg-web',
        recorded: true,
      },
      {
        relationship: 'IS_CONTAINED_IN',
        configName: 'Is contained in Subnet',
        direction: 'out',
        type: SUBNET,
        id: 'subnet-1',
        recorded: true,
      },
      {
        relationship: 'IS_CONTAINED_IN',
        configName: 'Is contained in Vpc',
        direction: 'out',
        type: VPC,
        id: 'vpc-1',
        recorded: true,
      },
      {
        relationship: 'IS_ATTACHED_TO',
        configName: 'Is attached to Instance',
        direction: 'in',
        type: 'AWS::EC2::Volume',
        id: 'vol-1',
        recorded: true,
      },
    ]);
  });

  it('"what was in VPC Y on date D" respects time: the deleted instance is there before, gone after', async () => {
    const before = await query('in-vpc-at', { vpcId: 'vpc-1', at: T(4) });
    expect(before.map((x) => x.id)).toEqual(['i-gone', 'i-web', 'sg-old', 'sg-web', 'subnet-1']);
    const after = await query('in-vpc-at', { vpcId: 'vpc-1', at: T(6) });
    expect(after.map((x) => x.id)).toEqual(['i-web', 'sg-old', 'sg-web', 'subnet-1']);
    expect(await query('in-vpc-at', { vpcId: 'vpc-1', at: T(0) })).toEqual([]);
  });

  it('"which security groups changed this week" finds the group with a version in the window', async () => {
    expect(await query('security-groups-changed', { since: T(8) })).toEqual([
      { id: 'sg-web', versions: 1, lastChange: T(10) },
    ]);
    expect((await query('security-groups-changed', { since: T(1) })).map((x) => x.id)).toEqual(['sg-web', 'sg-old']);
  });

  it('history, placeholders and runs queries answer as documented', async () => {
    const h = await query('history', { id: 'i-gone' });
    expect(h.map((x) => [x.captureTime, x.status, x.inferred])).toEqual([
      [T(2), 'OK', false],
      [T(5), 'ResourceDeleted', false],
    ]);
    // Compressed (schema 7), as the document says: one zstd frame of the configuration's JSON.
    const bytes = h[0]!.configuration as Int8Array;
    expect(
      JSON.parse(zstdDecompressSync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)).toString()),
    ).toEqual({
      id: 'i-gone',
    });
    expect(await query('placeholders', {})).toEqual([{ type: 'AWS::EC2::Instance', id: 'i-missing', pointedAtBy: 1 }]);
    expect(await query('runs', {})).toEqual([
      { seq: 1, source: 'doc-test', status: 'succeeded', startedAt: expect.any(String) },
    ]);
  });
});
