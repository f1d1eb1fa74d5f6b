// Bringing a Neo4j database to the schema this code writes (SPEC S2–S5): the version lives in one
// `(:ConfiggraphSchema {id: 'schema', version})` node; steps are idempotent and each finished one is recorded
// there, so an interrupted upgrade resumes. A newer database is refused untouched.
import { latestVersion, pendingMigrations, type MigrationReport } from '../migrations.ts';
import { NEO4J_BASE_VERSION, NEO4J_MIGRATIONS, type CypherRunner, type DerivedRows } from './migrations.ts';
import { SCHEMA_LABEL } from './names.ts';

export const NEO4J_SCHEMA_VERSION = latestVersion(NEO4J_MIGRATIONS, NEO4J_BASE_VERSION);

/** The labels only configgraph writes: any of them without a schema node means schema 1. */
const DATA_LABELS = ['Resource', 'Version', 'Run', 'Snapshot', 'Event'];

/** The database's schema version; null when it holds no configgraph data (a new store). */
export async function storedNeo4jVersion(run: CypherRunner): Promise<number | null> {
  const found = await run(`MATCH (s:${SCHEMA_LABEL}) RETURN max(s.version) AS v`);
  const v = found[0]?.v;
  if (typeof v === 'number') return v;
  const data = await run(`MATCH (n) WHERE ${DATA_LABELS.map((l) => `n:${l}`).join(' OR ')} RETURN 1 AS x LIMIT 1`);
  return data.length ? NEO4J_BASE_VERSION : null;
}

async function recordVersion(run: CypherRunner, version: number): Promise<void> {
  await run(`MERGE (s:${SCHEMA_LABEL} {id: 'schema'}) SET s.version = $version`, { version });
}

export async function upgradeNeo4j(
  run: CypherRunner,
  store: string,
  opts: { dryRun?: boolean; derived?: DerivedRows } = {},
): Promise<MigrationReport> {
  const derived: DerivedRows = opts.derived ?? {
    rebuild: () => Promise.reject(new Error('this step rebuilds derived rows: run it through the Neo4j store')),
  };
  const found = await storedNeo4jVersion(run);
  const report: MigrationReport = { store, from: found, to: NEO4J_SCHEMA_VERSION, steps: [], applied: false };
  // A new database runs every step too (they are idempotent), so new and upgraded stores agree.
  const steps =
    found === null ? [...NEO4J_MIGRATIONS] : pendingMigrations(store, found, NEO4J_MIGRATIONS, NEO4J_BASE_VERSION);
  if (found !== null) report.steps = steps.map(({ to, description }) => ({ to, description }));
  if (steps.length === 0 || opts.dryRun) return report;
  for (const m of steps) {
    await m.up(run, derived);
    await recordVersion(run, m.to);
  }
  return { ...report, applied: true };
}
