// Runs commit one at a time (the :IngestLock node): a run waits while another holds it, and runs started
// together give the graph the same runs give one after the other.
import neo4j, { type Driver } from 'neo4j-driver';
import { describe, expect, it, vi } from 'vitest';
import type { RunInput } from '../../graph/store.ts';
import { items, T } from '../support/ci-builder.ts';
import { clearNeo4j, neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';
import { useSharedNeo4jStore } from '../support/shared-neo4j-store.ts';
import { sqliteExportOf } from '../support/sqlite-export.ts';

const env = neo4jForTests();

/** Transactions Neo4j lists as waiting for a lock another transaction holds. */
async function blockedTransactions(driver: Driver): Promise<number> {
  const { records } = await driver.executeQuery("SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked'");
  return records.length;
}
vi.setConfig({ testTimeout: 300_000 });

describe.skipIf(!env.uri)(neo4jSuiteTitle('concurrent runs', env), () => {
  const store = useSharedNeo4jStore(env.uri!);

  it('R1: a run waits while another holds the ingest lock, and nothing of it shows until it commits', async () => {
    await clearNeo4j(env.uri!);
    await store().ingest({
      source: 'test',
      scope: 'first',
      items: items({ type: 'AWS::S3::Bucket', id: 'first-bucket', time: T(1) }),
    });
    const driver = neo4j.driver(env.uri!);
    const session = driver.session();
    const holder = await session.beginTransaction();
    let settled = false;
    let pending: Promise<unknown> | undefined;
    try {
      await holder.run("MERGE (l:IngestLock {id: 'ingest'}) SET l.runId = 'another writer'");
      pending = store()
        .ingest({
          source: 'test',
          scope: 'second',
          items: items({ type: 'AWS::EC2::Instance', id: 'i-waiting', time: T(2), tags: { Name: 'waiting-one' } }),
        })
        .finally(() => (settled = true));
      // Wait until Neo4j reports the run's transaction blocked behind the holder's lock.
      // (or until the run settles, which the next line reports as the failure it is).
      await expect
        .poll(async () => settled || (await blockedTransactions(driver)) > 0, { timeout: 60_000, interval: 50 })
        .toBe(true);
      expect(settled, 'the run committed while another writer held the lock').toBe(false);
      const stats = await store().stats();
      expect([stats.resources, stats.versions, stats.runs]).toEqual([1, 1, 1]);
      expect(await store().search('waiting-one')).toEqual([]);
    } finally {
      await holder.rollback();
      await session.close();
      await driver.close();
    }
    await pending;
    expect((await store().search('waiting-one')).map((h) => h.node.resourceId)).toEqual(['i-waiting']);
    expect((await store().stats()).runs).toBe(2);
  });

  it('I5/R1: runs started together give the graph the same runs give one after the other', async () => {
    await clearNeo4j(env.uri!);
    const instances: RunInput = {
      source: 'test',
      scope: 'instances',
      items: items(
        ...[1, 2, 3].map((n) => ({
          type: 'AWS::EC2::Instance',
          id: `i-${n}`,
          time: T(n),
          rels: [
            { name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: 'subnet-1' },
            { name: 'Is associated with Role', type: 'AWS::IAM::Role', name_: 'app-role' },
          ],
        })),
      ),
    };
    const targets: RunInput = {
      source: 'test',
      scope: 'targets',
      items: items(
        { type: 'AWS::EC2::Subnet', id: 'subnet-1', time: T(1) },
        { type: 'AWS::IAM::Role', id: 'AROAEXAMPLE', name: 'app-role', region: 'global', time: T(1) },
      ),
    };
    await Promise.all([store().ingest(instances), store().ingest(targets)]);
    const expected = await sqliteExportOf(instances, targets);
    expect(
      expected.edges.filter((e) => e.target.includes('subnet-1') || e.target.includes('AROAEXAMPLE')),
    ).toHaveLength(6);
    expect(await store().canonicalExport()).toEqual(expected);
  });
});
