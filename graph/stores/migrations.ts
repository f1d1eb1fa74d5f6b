// Schema versions and migrations, store-neutral (SPEC S2–S6). Each adapter keeps its own ordered list of
// steps (graph/stores/sqlite/migrations.ts, graph/stores/neo4j/migrations.ts); this file decides which of
// them a store needs and words what the user is told. No I/O here.
import { StoreUnavailableError } from '../errors.ts';

/** One step: the schema version it leads to, one line saying what it changes, and how. */
export interface Migration<Target> {
  to: number;
  description: string;
  up(target: Target): void | Promise<void>;
}

/** What `configgraph migrate` and the automatic migration on open report. */
export interface MigrationReport {
  /** The store, without credentials. */
  store: string;
  /** The version found; null when there was no store yet (it is created at `to`). */
  from: number | null;
  to: number;
  /** The steps that ran (or, in a dry run, would run), oldest first. */
  steps: { to: number; description: string }[];
  /** True when the steps ran; false for a dry run or a store already up to date. */
  applied: boolean;
  /** SQLite: the copy of the file taken before migrating. */
  backup?: string;
}

/** The version a list of steps leads to (the list must be non-empty, ascending, without gaps). */
export function latestVersion(migrations: readonly { to: number }[], base: number): number {
  let v = base;
  for (const m of migrations) {
    if (m.to !== v + 1) throw new Error(`migration to schema ${m.to} follows schema ${v}: steps must count up by one`);
    v = m.to;
  }
  return v;
}

/** A store written by a newer configgraph (S4): refused untouched. */
export class NewerSchemaError extends StoreUnavailableError {
  constructor(store: string, found: number, supported: number) {
    super(
      `${store} was written by a newer configgraph (store schema ${found}; this configgraph reads schema ${supported} and older). ` +
        'Upgrade configgraph to open it; it was not changed.',
    );
  }
}

/**
 * The steps a store at `found` needs (S3): none when it is current, every later step otherwise, oldest first.
 * Throws NewerSchemaError for a newer store and StoreUnavailableError for one older than `base`.
 */
export function pendingMigrations<M extends { to: number }>(
  store: string,
  found: number,
  migrations: readonly M[],
  base: number,
): M[] {
  const latest = latestVersion(migrations, base);
  if (found > latest) throw new NewerSchemaError(store, found, latest);
  if (found < base)
    throw new StoreUnavailableError(
      `${store} has store schema ${found}, older than any this configgraph can upgrade (${base} or later); import its data into a new store`,
    );
  return migrations.filter((m) => m.to > found);
}

/** The line printed on stderr when opening a store migrated it (S5). */
export function describeMigration(r: MigrationReport): string {
  const steps = r.steps.map((s) => `schema ${s.to}: ${s.description}`).join('; ');
  const backup = r.backup ? ` (the previous file was copied to ${r.backup})` : '';
  return `migrated ${r.store} from store schema ${r.from ?? 'none'} to ${r.to}${backup}: ${steps}`;
}
