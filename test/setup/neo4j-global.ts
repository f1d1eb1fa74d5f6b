// vitest globalSetup: the Neo4j databases for the whole test run. Community edition has one user
// database per server, and the store contract compares two independent stores, so there are two:
// NEO4J_URI and NEO4J_URI_2 when set; otherwise embedded local servers (test/neo4j-local/), built if
// needed, started in parallel and stopped at teardown. Without Java/Maven: a failure when CI=true,
// a loud warning (and Neo4j suites reported as skipped, with the reason) otherwise.
import type { TestProject } from 'vitest/node';
import { commandWorks, jarIsStale } from '../neo4j-local/launch.mjs';
import { startLocalNeo4j, type LocalNeo4j } from '../neo4j-local/start.ts';
import '../support/neo4j-env.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = [process.env.NEO4J_URI, process.env.NEO4J_URI_2];
  const started: LocalNeo4j[] = [];
  const provide = (uris: (string | null)[], reason: string) => {
    project.provide('neo4jUri', uris[0] ?? null);
    project.provide('neo4jUri2', uris[1] ?? null);
    project.provide('neo4jAbsentReason', reason);
  };
  const teardown = async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
  if (given[0] && given[1]) {
    provide(given as string[], '');
    return teardown;
  }
  const missing: string[] = [];
  if (!commandWorks('java', ['-version'])) missing.push('java (JDK 17+)');
  if (jarIsStale() && !commandWorks('mvn', ['-v'])) missing.push('mvn (Maven, to build test/neo4j-local)');
  if (missing.length > 0) {
    const reason = `NEO4J_URI${given[0] ? '_2' : ''} is not set and the local Neo4j cannot start: missing ${missing.join(', ')}`;
    if (process.env.CI === 'true') throw new Error(`Neo4j is required in CI: ${reason}`);
    console.warn(
      `\n${'!'.repeat(78)}\n!! ${reason}\n!! Neo4j test suites will be SKIPPED. Install a JDK and Maven, or set NEO4J_URI and NEO4J_URI_2.\n${'!'.repeat(78)}\n`,
    );
    provide([given[0] ?? null, null], reason);
    return teardown;
  }
  const uris = await Promise.all(
    given.map(async (uri) => {
      if (uri) return uri;
      const local = await startLocalNeo4j();
      started.push(local);
      return local.uri;
    }),
  ).catch(async (e: unknown) => {
    await teardown();
    throw e;
  });
  provide(uris, '');
  return teardown;
}
