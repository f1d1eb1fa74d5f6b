// A neighbourhood or view on Neo4j is one statement, finding the resource a reference names included (Q1, Q3):
// a round trip per lookup was a tenth of a depth-2 call at large (docs/benchmarks.md). The answers themselves
// are the contract suite's; this counts what travels.
import { ManagedTransaction } from 'neo4j-driver';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AmbiguousRefError, NotFoundError } from '../../graph/errors.ts';
import { keyOf } from '../../graph/identity.ts';
import { ACCOUNT, items, REGION, T } from '../support/ci-builder.ts';
import { neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';
import { useSharedNeo4jStore } from '../support/shared-neo4j-store.ts';

const env = neo4jForTests();
vi.setConfig({ testTimeout: 300_000 });

const INSTANCE = 'AWS::EC2::Instance';
const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-1`;
const instance = (id: string, extra: object = {}) => ({
  type: INSTANCE,
  id,
  time: T(1),
  rels: [
    { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: 'subnet-1' },
    { name: 'Is contained in Vpc', type: 'AWS::EC2::VPC', id: 'vpc-1' },
  ],
  ...extra,
});

describe.skipIf(!env.uri)(neo4jSuiteTitle('Neo4j: a neighbourhood is one statement', env), () => {
  const shared = useSharedNeo4jStore(env.uri!);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The statements `read` sends, and what it answered or threw. */
  async function statementsOf<T>(read: () => Promise<T>): Promise<{ sent: string[]; answer: T | Error }> {
    const run = vi.spyOn(ManagedTransaction.prototype, 'run');
    const answer = await read().catch((e: Error) => e);
    const sent = run.mock.calls.map((c) => (typeof c[0] === 'string' ? c[0] : JSON.stringify(c[0])));
    run.mockRestore();
    return { sent, answer };
  }

  it('Q1/Q3: by id, ARN, name or key, a neighbourhood and a view read their resource and subgraph at once', async () => {
    const store = shared();
    await store.ingest({
      source: 'test',
      scope: 'a',
      items: items(
        instance('i-1', { arn, name: 'web-1' }),
        instance('i-dup'),
        instance('i-dup', { region: 'us-east-1' }),
      ),
    });
    const key = keyOf({ accountId: ACCOUNT, awsRegion: REGION, resourceType: INSTANCE, resourceId: 'i-1' });
    for (const ref of ['i-1', arn, 'web-1', key]) {
      for (const depth of [1, 2, 3]) {
        const { sent, answer } = await statementsOf(() => store.neighborhood(ref, { depth }));
        expect(sent, `${ref} at depth ${depth}`).toHaveLength(1);
        expect(answer).toMatchObject({ root: key });
        if (depth === 1) expect((answer as { nodes: unknown[] }).nodes).toHaveLength(3); // i-1, its subnet and VPC
      }
      const view = await statementsOf(() => store.view(ref, { kind: 'attachments' }));
      expect(view.sent, ref).toHaveLength(1);
      expect(view.answer).toMatchObject({ root: key });
    }
    // A reference that names no one resource costs the one statement too, and says why.
    const ambiguous = await statementsOf(() => store.neighborhood('i-dup'));
    expect(ambiguous.sent).toHaveLength(1);
    expect(ambiguous.answer).toBeInstanceOf(AmbiguousRefError);
    const unknown = await statementsOf(() => store.neighborhood('i-nope'));
    expect(unknown.sent).toHaveLength(1);
    expect(unknown.answer).toBeInstanceOf(NotFoundError);
  });
});
