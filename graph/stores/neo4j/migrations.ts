// The Neo4j store's schema steps, oldest first (SPEC S2–S5).
//
// How to add a step: append ONE entry below with `to` = the last entry's `to` + 1, a one-line
// `description` and an `up(run)` that sends Cypher through `run`. Steps must be idempotent (a step that
// stops half-way is run again from its start on the next open: Neo4j cannot change constraints and data in
// one transaction), e.g. `CREATE … IF NOT EXISTS`, `MERGE`, `SET` of derived values; write data in
// batches (`CALL { … } IN TRANSACTIONS`) so one step never needs the whole graph in one transaction. The
// runner (./upgrade.ts) records each finished step in the schema node. A database without the schema node
// that holds configgraph data is schema 1, the layout before versions were recorded. Test a step in
// test/neo4j/migrate.test.ts with data written as the previous schema had it.
import type { Migration } from '../migrations.ts';
import { nodeHeadOf } from './node-state.ts';
import { compressedBytes, versionFromProps } from './query.ts';
import { DROPPED_INDEXES, IMPORTED_FILE_CONSTRAINT, IMPORTED_OBJECT_CONSTRAINT, SCHEMA_STATEMENTS } from './schema.ts';

/** Sends one Cypher statement (in its own transaction) and returns its records as plain objects. */
export type CypherRunner = (cypher: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

/** The schema of a database that holds configgraph data but no schema node. */
export const NEO4J_BASE_VERSION = 1;

/** Rows derived from versions (edges, placeholders, state and search terms), rebuilt by the store (S5). */
export interface DerivedRows {
  rebuild(): Promise<void>;
}

export interface Neo4jMigration extends Omit<Migration<CypherRunner>, 'up'> {
  up(run: CypherRunner, derived: DerivedRows): Promise<void>;
}

/**
 * Every version in pages of 2,000 by id, each page read and rewritten in transactions of its own, so that a step
 * never holds the whole graph: `fields` is what each page returns beside `id`.
 */
async function inVersionPages(
  run: CypherRunner,
  fields: string,
  rewrite: (page: Record<string, unknown>[]) => Promise<void>,
): Promise<void> {
  for (let after = ''; ;) {
    const page = await run(
      `MATCH (v:Version) WHERE v.id > $after RETURN v.id AS id, ${fields} ORDER BY v.id LIMIT 2000`,
      {
        after,
      },
    );
    if (page.length === 0) return;
    after = page.at(-1)!.id as string;
    await rewrite(page);
  }
}

export const NEO4J_MIGRATIONS: readonly Neo4jMigration[] = [
  {
    to: 2,
    description: 'record the schema version in a (:ConfiggraphSchema) node and (re)create every constraint and index',
    async up(run) {
      for (const statement of SCHEMA_STATEMENTS) await run(statement);
    },
  },
  {
    to: 3,
    description:
      "rebuild every resource's relationships, state and search terms from its stored versions: a resource created before Config first recorded it now sits in its VPC and subnet from its creation time (SPEC T2)",
    async up(_run, derived) {
      await derived.rebuild();
    },
  },
  {
    to: 4,
    description:
      'store what a version shows of its resource (name, tags, status, times) in `head`, so that graph reads fetch that instead of the body',
    async up(run) {
      // Versions that have a head already are skipped.
      await inVersionPages(run, 'CASE WHEN v.head IS NULL THEN v.body END AS body', async (page) => {
        const heads = page
          .filter((r) => r.body !== null && r.body !== undefined)
          .map((r) => ({ id: r.id, head: JSON.stringify(nodeHeadOf(versionFromProps(r.body, null))) }));
        if (heads.length)
          await run('UNWIND $rows AS row MATCH (v:Version {id: row.id}) SET v.head = row.head', { rows: heads });
      });
    },
  },
  {
    to: 5,
    description:
      'remember which file contents were imported (an :ImportedFile node per SHA-256 and size, unique), so importing the same files again skips them',
    async up(run) {
      await run(IMPORTED_FILE_CONSTRAINT);
    },
  },
  {
    to: 6,
    description:
      'drop the index on Version.captureTime: no query of configgraph uses it, and each version written paid for it (an import spends most of its server time in the commit)',
    async up(run) {
      for (const name of DROPPED_INDEXES) await run(`DROP INDEX ${name} IF EXISTS`);
    },
  },
  {
    to: 7,
    description:
      "compress every version's configuration (a zstd byte array, as an import now writes it): the bulk of a version, in a fraction of the bytes to write and to send over Bolt",
    async up(run) {
      // Configurations that are bytes already are skipped.
      await inVersionPages(
        run,
        'CASE WHEN v.configuration IS :: STRING THEN v.configuration END AS text',
        async (page) => {
          const rows = page
            .filter((r) => typeof r.text === 'string')
            .map((r) => ({ id: r.id, configuration: compressedBytes(r.text as string) }));
          if (rows.length)
            await run('UNWIND $rows AS row MATCH (v:Version {id: row.id}) SET v.configuration = row.configuration', {
              rows,
            });
        },
      );
    },
  },
  {
    to: 8,
    description:
      'remember the listing (ETag, size, time) each S3 object had when its bytes were imported (an :ImportedObject node per path, unique), so importing the same bucket again downloads only the objects that changed',
    async up(run) {
      await run(IMPORTED_OBJECT_CONSTRAINT);
    },
  },
];
