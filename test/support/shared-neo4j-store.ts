// One store on the shared test Neo4j for the length of a suite: the database lock is taken (suites in
// other workers wait their turn), the database emptied, and both undone after the suite.
import { afterAll, beforeAll } from 'vitest';
import { openNeo4jStore, type Neo4jStore } from '../../graph/stores/neo4j/index.ts';
import { clearNeo4j, lockNeo4jDatabase, NEO4J_LOCK_HOOK_TIMEOUT, neo4jTestAuth } from './neo4j-env.ts';

/** Call inside `describe`; the returned function gives the open store from `beforeAll` on. */
export function useSharedNeo4jStore(uri: string, opts: { clear?: boolean } = {}): () => Neo4jStore {
  let release: (() => void) | undefined;
  let store: Neo4jStore | undefined;
  beforeAll(async () => {
    release = await lockNeo4jDatabase(uri);
    if (opts.clear !== false) await clearNeo4j(uri);
    store = await openNeo4jStore({ uri, ...neo4jTestAuth() });
  }, NEO4J_LOCK_HOOK_TIMEOUT);
  afterAll(async () => {
    await store?.close();
    release?.();
  });
  return () => {
    if (!store) throw new Error('the shared Neo4j store is opened in beforeAll');
    return store;
  };
}
