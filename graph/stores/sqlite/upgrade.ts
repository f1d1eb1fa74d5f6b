// Opening a SQLite file at the schema this code writes (SPEC S2–S5): a new file is created at the latest
// schema; an older store is copied aside and then migrated in one transaction; a newer one, or a file of
// another program, is refused untouched; an up-to-date store is opened without writing anything.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../errors.ts';
import { latestVersion, pendingMigrations, type MigrationReport } from '../migrations.ts';
import { SQLITE_BASE_VERSION, SQLITE_MIGRATIONS, type DerivedRows } from './migrations.ts';
import { SCHEMA } from './schema.ts';

type Db = Database.Database;

/** The schema version this code writes. */
export const SCHEMA_VERSION = latestVersion(SQLITE_MIGRATIONS, SQLITE_BASE_VERSION);

/** The version a file holds: null when it holds nothing yet. Throws for a file that is not a configgraph store. */
export function storedVersion(db: Db, path: string): number | null {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
    (r) => r.name,
  );
  const hasMeta = tables.includes('meta');
  const row = hasMeta
    ? (db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").get() as { value: string } | undefined)
    : undefined;
  if (!row) {
    // An empty file, or one where only the empty meta table was created before a crash: a new store.
    if (tables.every((t) => t === 'meta')) return null;
    throw new StoreUnavailableError(
      `${path} is not a configgraph store (it holds tables of another program, and no configgraph schema version); it was not changed`,
    );
  }
  const n = Number(row.value);
  if (!Number.isInteger(n) || n < 1)
    throw new StoreUnavailableError(`${path} has an unreadable configgraph schema version "${row.value}"`);
  return n;
}

function setVersion(db: Db, version: number): void {
  db.prepare(
    "INSERT INTO meta (name, value) VALUES ('schema_version', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
  ).run(String(version));
}

/** A free name beside the file for its copy: `<file>.pre-v3.bak`, then `.pre-v3.1.bak`, … */
function backupPath(path: string, to: number): string {
  for (let i = 0; ; i++) {
    const candidate = `${path}.pre-v${to}${i ? `.${i}` : ''}.bak`;
    if (!existsSync(candidate)) return candidate;
  }
}

/**
 * Brings an open connection to the latest schema, or (dryRun) says what that would take. `db` must be
 * writable unless dryRun.
 */
export function upgradeSqlite(
  db: Db,
  path: string,
  opts: { dryRun?: boolean; derived?: DerivedRows } = {},
): MigrationReport {
  const derived: DerivedRows = opts.derived ?? {
    rebuild() {
      throw new Error('this step rebuilds derived rows: open the store with openSqliteStore to run it');
    },
  };
  const found = storedVersion(db, path);
  const report: MigrationReport = { store: path, from: found, to: SCHEMA_VERSION, steps: [], applied: false };
  if (found === null) {
    if (opts.dryRun) return report;
    // A new store: the base layout and every step, in one transaction, so new and upgraded stores agree.
    if (path !== ':memory:' && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.transaction(() => {
      db.exec(SCHEMA);
      for (const m of SQLITE_MIGRATIONS) m.up(db, { rebuild() {} }); // a new store has nothing to rebuild
      setVersion(db, SCHEMA_VERSION);
    })();
    return { ...report, applied: true };
  }
  const steps = pendingMigrations(path, found, SQLITE_MIGRATIONS, SQLITE_BASE_VERSION);
  report.steps = steps.map(({ to, description }) => ({ to, description }));
  if (steps.length === 0 || opts.dryRun) return report;
  let backup: string | undefined;
  if (path !== ':memory:') {
    // A consistent copy of the whole store (the WAL's committed pages included) in one self-contained file.
    backup = backupPath(path, SCHEMA_VERSION);
    db.prepare('VACUUM INTO ?').run(backup);
  }
  try {
    // IMMEDIATE: the write lock is taken first and the version read again under it, so a second process
    // opening the same store at the same moment waits and then finds nothing left to do.
    db.transaction(() => {
      const now = storedVersion(db, path) ?? found;
      // Derived rows are rebuilt by today's code, which reads the latest layout: once, after every step.
      let rebuild = false;
      for (const m of steps) {
        if (m.to <= now) continue;
        m.up(db, { rebuild: () => void (rebuild = true) });
        setVersion(db, m.to);
      }
      if (rebuild) derived.rebuild();
    }).immediate();
  } catch (e) {
    throw new StoreUnavailableError(
      `migrating ${path} from store schema ${found} to ${SCHEMA_VERSION} failed and was rolled back; the store is unchanged: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return backup ? { ...report, applied: true, backup } : { ...report, applied: true };
}

/** `configgraph migrate` for a SQLite file: opens it (read-only for a dry run), reports, closes. */
export function migrateSqliteFile(path: string, opts: { dryRun?: boolean } = {}): MigrationReport {
  if (path === ':memory:' || !existsSync(path))
    throw new StoreUnavailableError(
      `there is no SQLite store at ${path} (a new store is created at the latest schema)`,
    );
  let db: Db;
  try {
    db = new Database(path, { readonly: !!opts.dryRun, fileMustExist: true });
  } catch (e) {
    throw new StoreUnavailableError(`cannot open the SQLite store at ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    if (storedVersion(db, path) === null)
      throw new StoreUnavailableError(`${path} holds no configgraph store yet; nothing to migrate`);
    return upgradeSqlite(db, path, opts);
  } finally {
    db.close();
  }
}

/** Whether the file holds a configgraph store at this schema, so that a reader can open it read-only. */
export function readableAsIs(path: string): boolean {
  if (path === ':memory:' || !existsSync(path)) return false;
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return storedVersion(db, path) === SCHEMA_VERSION;
  } catch {
    return false; // opened the usual way, which creates, migrates or explains what is wrong
  } finally {
    db?.close();
  }
}
