// The store contract against a real Neo4j. Each store a test opens gets its own, emptied database
// (community edition has one per server, so the setup provides two servers).
import { afterAll, beforeAll, beforeEach, describe, it, vi } from 'vitest';
import { openNeo4jStore } from '../../graph/stores/neo4j/index.ts';
import {
  clearNeo4j,
  lockNeo4jDatabase,
  NEO4J_LOCK_HOOK_TIMEOUT,
  neo4jForTests,
  neo4jSuiteTitle,
  neo4jTestAuth,
} from '../support/neo4j-env.ts';
import { describeStoreContract } from './store-contract.ts';

const env = neo4jForTests();

if (env.uri) {
  // A real server on a shared 2-core machine: generous timeouts (speed is measured in bench/, not here).
  vi.setConfig({ testTimeout: 300_000 });
  const uris = [env.uri, env.uri2];
  let release: (() => void) | undefined;
  let opened = 0;
  beforeAll(async () => {
    release = await lockNeo4jDatabase(env.uri);
  }, NEO4J_LOCK_HOOK_TIMEOUT);
  afterAll(() => release?.());
  // Runs before the contract's own beforeEach: the first store of each test gets the first database.
  beforeEach(() => {
    opened = 0;
  });
  describeStoreContract('neo4j', async () => {
    const uri = uris[opened++];
    if (!uri)
      throw new Error(
        'this contract test needs a second, independent Neo4j: set NEO4J_URI_2 (or let the test setup start local ones)',
      );
    await clearNeo4j(uri);
    return openNeo4jStore({ uri, ...neo4jTestAuth() });
  });
} else {
  describe.skip(neo4jSuiteTitle('GraphStore contract: neo4j', env), () => {
    it('needs Neo4j', () => {});
  });
}
