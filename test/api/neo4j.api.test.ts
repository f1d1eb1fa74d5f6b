// The API suite on Neo4j: the test Neo4j from test/setup/neo4j-global.ts (or NEO4J_URI), held for
// the whole file because the community edition has one database that every Neo4j test file clears.
import neo4j from 'neo4j-driver';
import { afterAll, describe } from 'vitest';
import { openNeo4jStore } from '../../graph/stores/neo4j/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import {
  lockNeo4jDatabase,
  NEO4J_LOCK_HOOK_TIMEOUT,
  neo4jForTests,
  neo4jSuiteTitle,
  neo4jTestAuth,
} from '../support/neo4j-env.ts';
import { describeApiSuite } from './api-suite.ts';

const env = neo4jForTests();

describe.skipIf(!env.uri)(neo4jSuiteTitle('API on Neo4j', env), () => {
  const uri = env.uri as string;
  const auth = neo4jTestAuth();
  let release: (() => void) | undefined;
  afterAll(() => release?.());

  describeApiSuite(
    'Neo4j',
    async () => {
      release ??= await lockNeo4jDatabase(uri);
      const driver = neo4j.driver(uri, auth.user ? neo4j.auth.basic(auth.user, auth.password ?? '') : undefined);
      try {
        await driver.executeQuery('MATCH (n) DETACH DELETE n');
      } finally {
        await driver.close();
      }
      const store = await openNeo4jStore({
        uri,
        ...(auth.user ? { user: auth.user } : {}),
        ...(auth.password ? { password: auth.password } : {}),
      });
      return { store, spec: uri };
    },
    {
      setupTimeoutMs: NEO4J_LOCK_HOOK_TIMEOUT,
      reference: { label: 'SQLite', open: async () => openSqliteStore(':memory:') },
    },
  );
});
