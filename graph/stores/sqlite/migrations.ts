// The SQLite store's schema steps, oldest first (SPEC S2–S5).
//
// How to add a step: append ONE entry below with `to` = the last entry's `to` + 1, a one-line
// `description` (users read it in `configgraph migrate --dry-run` and on stderr when a store upgrades),
// and an `up(db)` that changes the layout or rewrites derived data with plain SQL. Nothing else changes:
// the schema version of the code is the last entry's `to`, a new store is created at schema 2 (./schema.ts)
// and taken through every step, and an existing store runs the steps it lacks in one transaction after its
// file was copied aside. `up` runs inside that transaction, so it must be synchronous and must not change
// the journal mode or VACUUM. Add a test to test/cli/store-migrate.test.ts (or beside it) that opens a
// store written before the step (test/fixtures/stores/) and checks the answers it gives after.
import type Database from 'better-sqlite3';
import type { Migration } from '../migrations.ts';
import { compactVersions } from './bodies.ts';
import { VERSION_HEADS_INDEX } from './heads.ts';
import { IMPORTED_FILES, IMPORTED_OBJECTS } from './imported-files.ts';
import { SEARCH_INDEX } from './search-index.ts';

/** The oldest schema this code upgrades: the layout written by ./schema.ts. */
export const SQLITE_BASE_VERSION = 2;

/**
 * Rows derived from versions (edges, placeholders, search terms), rebuilt by the store that owns them. A step
 * asks for it; the rebuild runs once after the last step, since it reads versions in the latest layout.
 */
export interface DerivedRows {
  rebuild(): void;
}

export interface SqliteMigration extends Omit<Migration<Database.Database>, 'up'> {
  up(db: Database.Database, derived: DerivedRows): void;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    to: 3,
    description:
      'index the resources not recorded (placeholders), so the clean-up after every run and the counts in stats stop reading every resource',
    up(db) {
      db.exec('CREATE INDEX IF NOT EXISTS resources_placeholders ON resources (key) WHERE recorded = 0');
    },
  },
  {
    to: 4,
    description:
      "rebuild every resource's relationships and search terms from its stored versions: a resource created before Config first recorded it now sits in its VPC and subnet from its creation time (SPEC T2)",
    up(_db, derived) {
      derived.rebuild();
    },
  },
  {
    to: 5,
    description:
      'index every search term by its trigrams (SQLite FTS5), so a search for part of an id, name, IP or DNS name reads the index instead of every term',
    up(db) {
      db.exec(SEARCH_INDEX);
    },
  },
  {
    to: 6,
    description:
      'store each distinct configuration once and every version compressed, so the store takes a fraction of the disk (the space freed is reused; `VACUUM` returns it to the file system)',
    up(db) {
      compactVersions(db);
    },
  },
  {
    to: 7,
    description:
      'remember which file contents were imported (SHA-256 and size), so importing the same files again skips them without reading them',
    up(db) {
      db.exec(IMPORTED_FILES);
    },
  },
  {
    to: 8,
    description:
      "index each version's key, capture time, status and head apart from its configuration, so a diff finds the resources that changed, and draws them, without reading the stored configurations",
    up(db) {
      db.exec(VERSION_HEADS_INDEX);
    },
  },
  {
    to: 9,
    description:
      'remember the listing (ETag, size, time) each S3 object had when its bytes were imported, so importing the same bucket again downloads only the objects that changed',
    up(db) {
      db.exec(IMPORTED_OBJECTS);
    },
  },
];
