// How a Neo4j test file learns where the test Neo4j is (or, loudly, that there is none), and how
// files that share it take turns: community edition has one user database, and each test clears it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bolt URI of the test Neo4j, or null when none could be had. */
    neo4jUri: string | null;
    /** A second, independent test Neo4j (the contract suite compares two stores). */
    neo4jUri2: string | null;
    /** Why there is no Neo4j (set when neo4jUri is null). */
    neo4jAbsentReason: string;
  }
}

export type Neo4jForTests =
  { uri: string; uri2: string | null; reason?: undefined } | { uri: null; uri2: null; reason: string };

/** What test/setup/neo4j-global.ts provided, else NEO4J_URI(_2); else absent with the reason. */
export function neo4jForTests(): Neo4jForTests {
  let provided: string | null | undefined;
  let provided2: string | null | undefined;
  let reason: string | undefined;
  try {
    provided = inject('neo4jUri');
    provided2 = inject('neo4jUri2');
    reason = inject('neo4jAbsentReason');
  } catch {
    provided = undefined;
  }
  provided ||= process.env.NEO4J_URI;
  provided2 ||= process.env.NEO4J_URI_2;
  if (provided) return { uri: provided, uri2: provided2 ?? null };
  const why =
    reason ||
    'NEO4J_URI is not set and the vitest globalSetup test/setup/neo4j-global.ts did not provide a local Neo4j';
  if (process.env.CI === 'true') {
    // In CI a missing Neo4j is a failure, never a skip.
    throw new Error(`Neo4j is required in CI: ${why}`);
  }
  console.warn(`\n*** Neo4j tests SKIPPED: ${why} ***\n`);
  return { uri: null, uri2: null, reason: why };
}

/** Suite title that says loudly when the suite is skipped for lack of Neo4j. */
export function neo4jSuiteTitle(title: string, env: Neo4jForTests): string {
  return env.uri ? title : `${title} [SKIPPED: no Neo4j: ${env.reason}]`;
}

/** Neo4j driver credentials for tests (the local server runs without auth). */
export function neo4jTestAuth(): { user?: string; password?: string } {
  return { user: process.env.NEO4J_USER, password: process.env.NEO4J_PASSWORD };
}

const LOCK_WAIT_MS = 15 * 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Exclusive use of the shared test database by one test file at a time (an mkdir lock keyed by the
 * URI; a lock whose owner process died is taken over). Returns the release function.
 */
export async function lockNeo4jDatabase(uri: string): Promise<() => void> {
  const dir = join(tmpdir(), `configgraph-neo4j-lock-${uri.replace(/[^A-Za-z0-9]/g, '_')}`);
  const owner = join(dir, 'owner');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let ownerPid = Number.NaN;
    try {
      ownerPid = Number(readFileSync(owner, 'utf8'));
    } catch {
      // The owner is between mkdir and writing its pid; wait.
    }
    if (Number.isInteger(ownerPid) && ownerPid > 0 && !isAlive(ownerPid)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited ${LOCK_WAIT_MS} ms for the test Neo4j lock ${dir}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Lock wait can be long when another file holds the database: hooks taking it need this timeout. */
export const NEO4J_LOCK_HOOK_TIMEOUT = LOCK_WAIT_MS + 60_000;

/** Empties a test database (data only; constraints and indexes stay), in batches. */
export async function clearNeo4j(uri: string): Promise<void> {
  const { default: neo4j } = await import('neo4j-driver');
  const { user, password } = neo4jTestAuth();
  const driver = neo4j.driver(uri, user || password ? neo4j.auth.basic(user ?? 'neo4j', password ?? '') : undefined, {
    disableLosslessIntegers: true,
  });
  try {
    for (;;) {
      const res = await driver.executeQuery('MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c');
      if ((res.records[0]?.get('c') as number) === 0) break;
    }
  } finally {
    await driver.close();
  }
}
