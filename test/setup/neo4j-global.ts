// vitest globalSetup: one Neo4j for the whole test run. NEO4J_URI wins; otherwise the embedded
// local Neo4j (test/neo4j-local/) is built if needed and started, and stopped at teardown.
// Without Java/Maven: a failure when CI=true, a loud warning (and skipped Neo4j suites) otherwise.
import type { TestProject } from 'vitest/node';
import { commandWorks, jarIsStale } from '../neo4j-local/launch.mjs';
import { startLocalNeo4j, type LocalNeo4j } from '../support/local-neo4j.ts';
import '../support/neo4j-env.ts';

let local: LocalNeo4j | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.NEO4J_URI;
  if (fromEnv) {
    project.provide('neo4jUri', fromEnv);
    project.provide('neo4jAbsentReason', '');
    return async () => {};
  }
  const missing: string[] = [];
  if (!commandWorks('java', ['-version'])) missing.push('java (JDK 17+)');
  if (jarIsStale() && !commandWorks('mvn', ['-v'])) missing.push('mvn (Maven, to build test/neo4j-local)');
  if (missing.length > 0) {
    const reason = `NEO4J_URI is not set and the local Neo4j cannot start: missing ${missing.join(', ')}`;
    if (process.env.CI === 'true') throw new Error(`Neo4j is required in CI: ${reason}`);
    console.warn(`\n${'!'.repeat(78)}\n!! ${reason}\n!! Neo4j test suites will be SKIPPED. Install a JDK and Maven, or set NEO4J_URI.\n${'!'.repeat(78)}\n`);
    project.provide('neo4jUri', null);
    project.provide('neo4jAbsentReason', reason);
    return async () => {};
  }
  local = await startLocalNeo4j();
  project.provide('neo4jUri', local.uri);
  project.provide('neo4jAbsentReason', '');
  return async () => {
    await local?.stop();
    local = undefined;
  };
}
