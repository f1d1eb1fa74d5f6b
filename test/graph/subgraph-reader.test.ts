// The read-ahead neighbourhood (graph/subgraph-reader.ts): whatever the store read ahead, the traversal
// gives the store's own answer, and with the right subgraph it asks the store nothing more.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, ResourceKey, ResourceNode } from '../../graph/model.ts';
import { isDeletedNode } from '../../graph/nodes.ts';
import { openMemoryStore, type MemoryStore } from '../../graph/stores/memory/index.ts';
import { subgraphReader, type Subgraph } from '../../graph/subgraph-reader.ts';
import { neighborhoodOf, type GraphReader } from '../../graph/traverse.ts';
import { bothEndsItems, REAL, realKey } from '../support/both-ends.ts';

/** The store, recording what the traversal asked of it. */
function recording(store: GraphReader) {
  const asked: ResourceKey[][] = [];
  const edgesAskedOf = new Set<ResourceKey>();
  const edges: GraphEdge[] = [];
  const nodes: ResourceNode[] = [];
  const reader: GraphReader = {
    async edgesTouching(keys, at) {
      asked.push(keys);
      for (const k of keys) edgesAskedOf.add(k);
      const found = await store.edgesTouching(keys, at);
      edges.push(...found);
      return found;
    },
    async nodesAt(keys, at) {
      asked.push(keys);
      const found = await store.nodesAt(keys, at);
      nodes.push(...found);
      return found;
    },
  };
  return { reader, asked, edgesAskedOf, edges, nodes };
}

describe('a neighbourhood over a subgraph read ahead', () => {
  let store: MemoryStore;
  const root = realKey('AWS::EC2::VPC', REAL.vpc);
  const empty: Subgraph = { complete: [], reached: [], edges: [], nodes: [] };
  beforeAll(async () => {
    store = openMemoryStore();
    await store.ingest({ source: 'test', scope: 'test', items: bothEndsItems(), snapshots: [] });
  });

  for (const depth of [1, 2, 3])
    for (const limit of [3, 2000])
      it(`depth ${depth}, limit ${limit}: the store's answer, whatever was read ahead`, async () => {
        const expected = await neighborhoodOf(store, root, { depth, limit });
        expect(expected.nodes.length).toBeGreaterThan(1);
        // Nothing read ahead: everything is read from the store.
        expect(await neighborhoodOf(subgraphReader(empty, undefined, store), root, { depth, limit })).toEqual(expected);
        // Exactly what the traversal reads, read ahead: the store is asked nothing.
        const first = recording(store);
        await neighborhoodOf(first.reader, root, { depth, limit });
        const keys = [...new Set(first.nodes.map((n) => n.key))];
        const subgraph: Subgraph = { complete: keys, reached: keys, edges: first.edges, nodes: first.nodes };
        const again = recording(store);
        expect(await neighborhoodOf(subgraphReader(subgraph, undefined, again.reader), root, { depth, limit })).toEqual(
          expected,
        );
        expect(again.asked).toEqual([]);
        // Nodes only for what is shown, and for the rest only whether it is deleted: still nothing asked.
        const shown = new Set(expected.nodes.map((n) => n.key));
        const light: Subgraph = {
          ...subgraph,
          nodes: first.nodes.filter((n) => shown.has(n.key)),
          fates: first.nodes.filter((n) => !shown.has(n.key)).map((n) => [n.key, isDeletedNode(n)]),
        };
        const lighter = recording(store);
        expect(await neighborhoodOf(subgraphReader(light, undefined, lighter.reader), root, { depth, limit })).toEqual(
          expected,
        );
        expect(lighter.asked).toEqual([]);
        // Edges to what is not shown sent as their ends only (`beyond`): still the same answer, nothing asked.
        const inside = (e: GraphEdge) => shown.has(e.source) && shown.has(e.target);
        const ends: Subgraph = {
          ...light,
          complete: [...first.edgesAskedOf],
          reached: [...shown],
          edges: first.edges.filter(inside),
          beyond: first.edges
            .filter((e) => !inside(e))
            .map((e): [ResourceKey, ResourceKey] =>
              shown.has(e.source) ? [e.source, e.target] : [e.target, e.source],
            ),
        };
        // A truncated neighbourhood counts neighbours it does not show.
        if (expected.truncated) expect(ends.beyond!.length).toBeGreaterThan(0);
        const endsOnly = recording(store);
        expect(await neighborhoodOf(subgraphReader(ends, undefined, endsOnly.reader), root, { depth, limit })).toEqual(
          expected,
        );
        expect(endsOnly.asked).toEqual([]);
        // Asked for the edges themselves, a resource with ends beyond is read from the store.
        for (const [k] of ends.beyond!.slice(0, 1)) {
          const whole = await subgraphReader(ends, undefined, store).edgesTouching([k]);
          expect(new Set(whole.map((e) => e.id))).toEqual(new Set((await store.edgesTouching([k])).map((e) => e.id)));
        }
        // Another time than the one read ahead goes to the store.
        const then = '2017-01-01T00:00:00.000Z';
        expect(await neighborhoodOf(subgraphReader(subgraph, undefined, store), root, { depth, at: then })).toEqual(
          await neighborhoodOf(store, root, { depth, at: then }),
        );
      });
});
