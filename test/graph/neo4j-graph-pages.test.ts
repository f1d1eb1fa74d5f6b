// Neo4j's streamGraphAt pulls the edges from Bolt as its pages are consumed (issue 13): over a stand-in for a
// transaction that counts the edge records pulled, the first page of edges is handed on long before the
// statement's last record is pulled, and the pages collected are every edge between drawn nodes, in id order.
// (The contract suite checks the same pages against graphAt on a real Neo4j.)
import { describe, expect, it } from 'vitest';
import type { ResourceNode } from '../../graph/model.ts';
import type { GraphPage } from '../../graph/store.ts';
import { streamGraphAtNeo4j } from '../../graph/stores/neo4j/graph-at.ts';
import type { Runner } from '../../graph/stores/neo4j/query.ts';
import { GRAPH_PAGE } from '../../graph/queries/graph-at.ts';

const KEYS = ['a', 'b', 'c', 'd'].map((k) => `111111111111|eu-west-1|AWS::EC2::Instance|i-${k}`);
const EDGES = 3 * GRAPH_PAGE + 17;
const idOf = (i: number) => i.toString(16).padStart(32, '0');

function record(fields: Record<string, unknown>) {
  return { get: (name: string) => fields[name], toObject: () => fields };
}

/** A transaction answering the three statements streamGraphAtNeo4j runs, counting the edge records pulled. */
function standIn(): { tx: Runner; pulled: () => number } {
  let pulled = 0;
  const answer = (cypher: string): Record<string, unknown>[] | (() => AsyncGenerator<ReturnType<typeof record>>) => {
    if (cypher.includes('RETURN r.key AS key')) return KEYS.map((key) => ({ key }));
    if (cypher.includes('RETURN DISTINCT')) return [{ source: KEYS[0], target: KEYS[1] }];
    return async function* () {
      for (let i = 0; i < EDGES; i++) {
        pulled++;
        const e = { id: idOf(i), name: 'Contains', type: 'CONTAINS', origin: 'config', validFrom: '2026-01-01' };
        yield record({ e: { ...e, validTo: null }, source: KEYS[i % 4], target: KEYS[(i + 1) % 4] });
      }
    };
  };
  const tx = {
    run(cypher: string) {
      const a = answer(cypher);
      const records = Array.isArray(a) ? a.map(record) : [];
      return {
        then: (resolve: (r: { records: typeof records }) => unknown) => resolve({ records }),
        [Symbol.asyncIterator]: () =>
          Array.isArray(a)
            ? (async function* () {
                yield* records;
              })()
            : a(),
      };
    },
  } as unknown as Runner;
  return { tx, pulled: () => pulled };
}

const nodesAt = async (keys: string[]): Promise<ResourceNode[]> =>
  keys.map((key) => ({
    key,
    accountId: '111111111111',
    awsRegion: 'eu-west-1',
    resourceType: 'AWS::EC2::Instance',
    resourceId: key.split('|')[3]!,
    status: 'OK',
    recorded: true,
    tags: {},
  }));

describe('Neo4j streamGraphAt: edges pulled as the pages are consumed', () => {
  it('hands on the first page of edges before the last record is pulled, and every edge in id order', async () => {
    const { tx, pulled } = standIn();
    const pages = streamGraphAtNeo4j(tx, nodesAt, undefined, {});
    const first = (await pages.next()).value as GraphPage;
    expect(first.nodes?.map((n) => n.key)).toEqual(KEYS);
    const firstEdges = (await pages.next()).value as GraphPage;
    expect(firstEdges.edges).toHaveLength(GRAPH_PAGE);
    expect(pulled()).toBeLessThan(EDGES / 2);
    const ids = (firstEdges.edges ?? []).map((e) => e.id);
    for await (const page of pages) for (const e of page.edges ?? []) ids.push(e.id);
    expect(pulled()).toBe(EDGES);
    expect(ids).toEqual(Array.from({ length: EDGES }, (_, i) => idOf(i)));
  });
});
