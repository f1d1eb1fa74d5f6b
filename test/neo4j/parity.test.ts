// One graph, two stores: the same files imported into SQLite and Neo4j give identical canonical exports
// (resources, versions, edges with their validity intervals), and the same answers to the port's reads.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Neo4jStore } from '../../graph/stores/neo4j/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { fixtureItems } from '../contract/store-contract.ts';
import { generateEnvironment } from '../../world/generator/index.ts';
import { parseDocument } from '../../graph/parse/index.ts';
import { NEO4J_LOCK_HOOK_TIMEOUT, neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';
import { useSharedNeo4jStore } from '../support/shared-neo4j-store.ts';

const env = neo4jForTests();
// A real server on a shared 2-core machine: generous timeouts (speed is measured in bench/, not here).
vi.setConfig({ testTimeout: 300_000 });

describe.skipIf(!env.uri)(neo4jSuiteTitle('SQLite and Neo4j hold the same graph', env), () => {
  const shared = useSharedNeo4jStore(env.uri!);
  let neo: Neo4jStore;
  let sqlite: GraphStore;

  beforeAll(async () => {
    neo = shared();
    sqlite = openSqliteStore(':memory:');
    // The real samples, then a generated estate with a week of history, in two runs each.
    const fixtures = await fixtureItems();
    const generated = generateEnvironment({
      seed: 'parity',
      accounts: 1,
      regions: ['eu-west-1'],
      vpcsPerRegion: 1,
      subnetsPerVpc: 2,
      instancesPerSubnet: 2,
      days: 3,
    });
    const parsed = parseDocument({ configurationItems: generated.items }, 'generated.json');
    expect(parsed.skipped).toEqual([]);
    for (const store of [sqlite, neo]) {
      await store.ingest({
        source: 'files',
        scope: 'fixtures',
        items: fixtures.items,
        snapshots: fixtures.snapshots,
        startedAt: '2026-01-01T00:00:00.000Z',
      });
      await store.ingest({
        source: 'files',
        scope: 'generated',
        items: parsed.items,
        startedAt: '2026-01-01T00:00:00.000Z',
      });
    }
  }, NEO4J_LOCK_HOOK_TIMEOUT);
  afterAll(async () => {
    await sqlite?.close();
  });

  it('Q8: canonical exports are identical', async () => {
    const [a, b] = await Promise.all([sqlite.canonicalExport(), neo.canonicalExport()]);
    expect(a.resources.length).toBeGreaterThan(50);
    expect(a.edges.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  });

  it('reads agree: stats, graphAt, diff, neighbourhood, history, path and search', async () => {
    const strip = (s: Awaited<ReturnType<GraphStore['stats']>>) => ({ ...s, lastRun: undefined });
    expect(strip(await neo.stats())).toEqual(strip(await sqlite.stats()));
    const { resources } = await sqlite.canonicalExport();
    const times = [...new Set((await sqlite.canonicalExport()).versions.map((v) => v.captureTime))].sort();
    const mid = times[Math.floor(times.length / 2)]!;
    expect(await neo.graphAt(mid)).toEqual(await sqlite.graphAt(mid));
    expect(await neo.diff(times[0]!, times.at(-1)!)).toEqual(await sqlite.diff(times[0]!, times.at(-1)!));
    const instances = resources.filter((r) => r.recorded && r.resourceType === 'AWS::EC2::Instance').slice(0, 4);
    expect(instances.length).toBeGreaterThan(1);
    for (const i of instances) {
      expect(await neo.neighborhood(i.key, { depth: 2 })).toEqual(await sqlite.neighborhood(i.key, { depth: 2 }));
      expect(await neo.neighborhood(i.key, { depth: 1, at: mid })).toEqual(
        await sqlite.neighborhood(i.key, { depth: 1, at: mid }),
      );
      expect(await neo.history(i.key)).toEqual(await sqlite.history(i.key));
      // Run ids are random per store; everything else of the view must match.
      const withoutRun = (v: Awaited<ReturnType<GraphStore['resource']>>) => ({
        ...v,
        version: v.version && { ...v.version, runId: undefined },
      });
      expect(withoutRun(await neo.resource(i.key, { at: mid }))).toEqual(
        withoutRun(await sqlite.resource(i.key, { at: mid })),
      );
      expect(await neo.path(instances[0]!.key, i.key)).toEqual(await sqlite.path(instances[0]!.key, i.key));
      expect(await neo.search(i.resourceId)).toEqual(await sqlite.search(i.resourceId));
    }
    for (const q of ['10.', 'sg-', 'prod', 'vol']) expect(await neo.search(q)).toEqual(await sqlite.search(q));
  });
});
