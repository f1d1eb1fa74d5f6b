// Chooses a store from a spec: `sqlite:PATH`, a bare path, or `neo4j://…`/`bolt://…` (SPEC S1).
import { InvalidInputError } from '../errors.ts';
import type { GraphStore } from '../store.ts';
import type { MigrationReport } from './migrations.ts';
import type { SqliteStore } from './sqlite/index.ts';
import type { WriterLockOptions } from './sqlite/writer-lock.ts';

export const DEFAULT_STORE = 'sqlite:./data/configgraph.db';

export interface StoreEnv {
  CONFIGGRAPH_STORE?: string | undefined;
  NEO4J_URI?: string | undefined;
  NEO4J_USER?: string | undefined;
  NEO4J_PASSWORD?: string | undefined;
  NEO4J_DATABASE?: string | undefined;
}

/** The store spec in force: the flag, else CONFIGGRAPH_STORE, else NEO4J_URI, else the embedded default. */
export function storeSpec(flag: string | undefined, env: StoreEnv): string {
  return flag || env.CONFIGGRAPH_STORE || env.NEO4J_URI || DEFAULT_STORE;
}

/** Describes a spec for logs without credentials (user:password@ in a URI is dropped). */
export function describeStoreSpec(spec: string): string {
  return spec.replace(/\/\/[^/@]*@/, '//');
}

type Target =
  | { kind: 'neo4j'; options: { uri: string; user?: string; password?: string; database?: string } }
  | { kind: 'sqlite'; path: string };

function targetOf(spec: string | undefined, env: StoreEnv): Target {
  const s = storeSpec(spec, env);
  if (/^(neo4j|neo4j\+s|neo4j\+ssc|bolt|bolt\+s|bolt\+ssc):\/\//.test(s)) {
    const options: { uri: string; user?: string; password?: string; database?: string } = { uri: s };
    if (env.NEO4J_USER) options.user = env.NEO4J_USER;
    if (env.NEO4J_PASSWORD) options.password = env.NEO4J_PASSWORD;
    if (env.NEO4J_DATABASE) options.database = env.NEO4J_DATABASE;
    return { kind: 'neo4j', options };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    throw new InvalidInputError(
      `unsupported store "${describeStoreSpec(s)}"`,
      'sqlite:PATH, a file path, or neo4j://host:7687 / bolt://host:7687',
    );
  }
  const path = s.startsWith('sqlite:') ? s.slice('sqlite:'.length) : s;
  if (!path) throw new InvalidInputError('sqlite: needs a path', 'sqlite:./data/configgraph.db or sqlite::memory:');
  return { kind: 'sqlite', path };
}

/** The file of an embedded store spec (not `:memory:`), which another thread or process can open too. */
export function sqliteFileOf(spec: string | undefined, env: StoreEnv = process.env): string | undefined {
  const t = targetOf(spec, env);
  return t.kind === 'sqlite' && t.path !== ':memory:' ? t.path : undefined;
}

export interface OpenOptions {
  /** Called once when opening migrated an older store (S5); the CLI says so on stderr. */
  onMigrated?: (report: MigrationReport) => void;
  /**
   * `read`: the caller only reads; an embedded store at this schema is opened read-only, so it never waits
   * for a writer. `write`: the caller writes; an embedded store's writer lock is taken first, so a second
   * writer waits for it (sqlite/writer-lock.ts). Absent (the server): opened for writing, without the lock.
   */
  access?: 'read' | WriterLockOptions;
  /** An embedded store writes each run on a writer thread while the caller prepares the next (`configgraph import`). */
  writerThread?: boolean;
  /** With `writerThread`: runs are written in-process until this many items have come (sqlite/index.ts). */
  writerThreadFromItems?: number;
}

export async function openStore(
  spec: string | undefined,
  env: StoreEnv = process.env,
  opts: OpenOptions = {},
): Promise<GraphStore> {
  const t = targetOf(spec, env);
  if (t.kind === 'neo4j') {
    const { openNeo4jStore } = await import('./neo4j/index.ts');
    return openNeo4jStore(t.options, opts);
  }
  return openSqlite(t.path, opts);
}

async function openSqlite(path: string, opts: OpenOptions): Promise<SqliteStore> {
  const { openSqliteStore } = await import('./sqlite/index.ts');
  const { readableAsIs } = await import('./sqlite/upgrade.ts');
  const { access, ...rest } = opts;
  if (access === 'read' && readableAsIs(path)) return openSqliteStore(path, { readonly: true });
  if (access === undefined || access === 'read' || path === ':memory:') return openSqliteStore(path, rest);
  const { takeWriterLock } = await import('./sqlite/writer-lock.ts');
  const lock = await takeWriterLock(path, access);
  try {
    return openSqliteStore(path, { ...rest, release: lock.release });
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** `configgraph migrate`: the store's schema version, the target and the steps; runs them unless dryRun (S6). */
export async function migrateStore(
  spec: string | undefined,
  env: StoreEnv = process.env,
  opts: { dryRun?: boolean; access?: WriterLockOptions } = {},
): Promise<MigrationReport> {
  const t = targetOf(spec, env);
  if (t.kind === 'neo4j') {
    const { migrateNeo4j } = await import('./neo4j/index.ts');
    return migrateNeo4j(t.options, opts);
  }
  const { migrateSqliteFile } = await import('./sqlite/upgrade.ts');
  // Checked read-only first (no store there, another program's file, nothing to do, a dry run); the
  // steps themselves run through the store, which rebuilds derived rows when a step asks it to (S5).
  const planned = migrateSqliteFile(t.path, { dryRun: true });
  if (opts.dryRun || planned.steps.length === 0) return planned;
  const store = await openSqlite(t.path, { access: opts.access ?? { command: 'migrate' } });
  try {
    return store.migration;
  } finally {
    await store.close();
  }
}
