// The local Neo4j used by every Neo4j test: it answers Cypher over Bolt, and a killed server
// restarted on the same data directory recovers what was committed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { removeDataDir, startLocalNeo4j } from '../neo4j-local/start.ts';
import { neo4jForTests, neo4jSuiteTitle } from '../support/neo4j-env.ts';

const env = neo4jForTests();

describe.skipIf(!env.uri)(neo4jSuiteTitle('test Neo4j', env), () => {
  it('answers Cypher over Bolt and is Neo4j 5.26', async () => {
    const driver = neo4j.driver(env.uri!);
    try {
      const res = await driver.executeQuery('CALL dbms.components() YIELD versions RETURN versions[0] AS v');
      expect(String(res.records[0]?.get('v'))).toMatch(/^5\.26\./);
    } finally {
      await driver.close();
    }
  });

  it('a killed local Neo4j restarted on the same data keeps committed data', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'configgraph-neo4j-restart-'));
    try {
      const first = await startLocalNeo4j({ dataDir });
      const d1 = neo4j.driver(first.uri);
      await d1.executeQuery('CREATE (:Probe {v: $v})', { v: 'kept' });
      await d1.close();
      first.kill();
      await first.exited;

      const second = await startLocalNeo4j({ dataDir });
      const d2 = neo4j.driver(second.uri);
      const res = await d2.executeQuery('MATCH (p:Probe) RETURN p.v AS v');
      await d2.close();
      await second.stop();
      expect(res.records.map((r) => r.get('v'))).toEqual(['kept']);
    } finally {
      removeDataDir(dataDir);
    }
  });
});
