// Neo4j stores upgrade in place (SPEC S2–S6): a database written before schema versions were recorded
// (configgraph data, no schema node) is schema 1, migrates on open and answers as before; a newer one is
// refused untouched.
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NewerSchemaError, type MigrationReport } from '../../graph/stores/migrations.ts';
import { NEO4J_MIGRATIONS } from '../../graph/stores/neo4j/migrations.ts';
import { migrateNeo4j, openNeo4jStore } from '../../graph/stores/neo4j/index.ts';
import { labelsOf, SCHEMA_LABEL } from '../../graph/stores/neo4j/names.ts';
import { storedText } from '../../graph/stores/neo4j/query.ts';
import { NEO4J_SCHEMA_VERSION } from '../../graph/stores/neo4j/upgrade.ts';
import { fixtureItems } from '../support/fixtures.ts';
import { NEO4J_LOCK_HOOK_TIMEOUT, neo4jForTests, neo4jSuiteTitle, neo4jTestAuth } from '../support/neo4j-env.ts';
import { useSharedNeo4jStore } from '../support/shared-neo4j-store.ts';
import { answers } from '../support/store-answers.ts';

const env = neo4jForTests();
// A real server on a shared 2-core machine: generous timeouts (speed is measured in bench/, not here).
vi.setConfig({ testTimeout: 300_000 });

describe.skipIf(!env.uri)(neo4jSuiteTitle('Neo4j store migrations', env), () => {
  const shared = useSharedNeo4jStore(env.uri!);
  const opts = () => ({ uri: env.uri!, ...neo4jTestAuth() });
  let driver: Driver;
  let before: unknown;
  const q = async (cypher: string) =>
    (await driver.executeQuery(cypher)).records.map((r) => r.toObject() as Record<string, unknown>);
  const schemaNodes = () => q(`MATCH (s:${SCHEMA_LABEL}) RETURN s.id AS id, s.version AS version`);

  beforeAll(async () => {
    const { user, password } = neo4jTestAuth();
    driver = neo4j.driver(env.uri!, user || password ? neo4j.auth.basic(user ?? 'neo4j', password ?? '') : undefined, {
      disableLosslessIntegers: true,
    });
    const fixtures = await fixtureItems();
    await shared().ingest({ source: 'files', scope: 'fixtures', items: fixtures.items, snapshots: fixtures.snapshots });
    before = await answers(shared());
  }, NEO4J_LOCK_HOOK_TIMEOUT);
  afterAll(async () => {
    await driver?.close();
  });

  it('S2: a new store records the latest schema in one schema node; no resource type can take its label', async () => {
    expect(NEO4J_MIGRATIONS.at(-1)?.to).toBe(NEO4J_SCHEMA_VERSION);
    expect(await schemaNodes()).toEqual([{ id: 'schema', version: NEO4J_SCHEMA_VERSION }]);
    expect(labelsOf(`AWS::${SCHEMA_LABEL}`)).toEqual([]);
  });

  it('S2/S3/S6: an unversioned store with configgraph data is schema 1; dry run changes nothing; opening migrates it and it answers the same', async () => {
    // The layout before versions: no schema node, and no constraint for it.
    await q(`MATCH (s:${SCHEMA_LABEL}) DELETE s`);
    await q('DROP CONSTRAINT configgraph_schema IF EXISTS');

    const dry = await migrateNeo4j(opts(), { dryRun: true });
    expect(dry).toMatchObject({ from: 1, to: NEO4J_SCHEMA_VERSION, applied: false });
    expect(dry.steps.map((s) => s.to)).toEqual(NEO4J_MIGRATIONS.map((m) => m.to));
    expect(await schemaNodes()).toEqual([]);

    const reports: MigrationReport[] = [];
    const store = await openNeo4jStore(opts(), { onMigrated: (r) => reports.push(r) });
    try {
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ from: 1, to: NEO4J_SCHEMA_VERSION, applied: true });
      expect(await schemaNodes()).toEqual([{ id: 'schema', version: NEO4J_SCHEMA_VERSION }]);
      const constraints = await q('SHOW CONSTRAINTS YIELD name RETURN name');
      expect(constraints.map((c) => c.name)).toContain('configgraph_schema');
      expect(await answers(store)).toEqual(before);
    } finally {
      await store.close();
    }

    // Up to date: opening again migrates nothing.
    const again = await openNeo4jStore(opts(), { onMigrated: (r) => reports.push(r) });
    await again.close();
    expect(reports).toHaveLength(1);
    expect(await migrateNeo4j(opts(), { dryRun: true })).toMatchObject({ from: NEO4J_SCHEMA_VERSION, steps: [] });
  });

  it('S5: a store written before T2 (placement edges from the first capture only) is rebuilt by schema 3 and answers as a fresh import', async () => {
    // The layout schema 2 wrote: an edge of a resource created before Config first recorded it started at
    // that first capture. Put the fixtures' such edges back there, as a store of that time holds them.
    const moved = await q(
      `MATCH (r:Resource)-[e]->(:Resource) WHERE r.recorded
       CALL (r) { MATCH (r)-[:HAS_VERSION]->(v:Version) WHERE NOT v.inferred RETURN min(v.captureTime) AS first }
       WITH e, first WHERE e.validFrom < first
       SET e.validFrom = first RETURN count(e) AS n`,
    );
    expect(moved[0]!.n as number).toBeGreaterThan(0);
    expect(await answers(shared())).not.toEqual(before);
    await q(`MATCH (s:${SCHEMA_LABEL}) SET s.version = 2`);

    const reports: MigrationReport[] = [];
    const store = await openNeo4jStore(opts(), { onMigrated: (r) => reports.push(r) });
    try {
      expect(reports[0]).toMatchObject({ from: 2, to: NEO4J_SCHEMA_VERSION, applied: true });
      expect(reports[0]!.steps.map((s) => s.to)).toEqual(NEO4J_MIGRATIONS.filter((m) => m.to > 2).map((m) => m.to));
      expect(await answers(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('S3: a store written before schema 4 (versions without their head) gets the heads and answers as before', async () => {
    // Schema 3 kept no `head` on versions: graph reads parsed each version's body instead.
    await q('MATCH (v:Version) REMOVE v.head');
    await q(`MATCH (s:${SCHEMA_LABEL}) SET s.version = 3`);

    const reports: MigrationReport[] = [];
    const store = await openNeo4jStore(opts(), { onMigrated: (r) => reports.push(r) });
    try {
      expect(reports[0]).toMatchObject({ from: 3, to: NEO4J_SCHEMA_VERSION, applied: true });
      expect(reports[0]!.steps[0]!.to).toBe(4);
      expect(await q('MATCH (v:Version) WHERE v.head IS NULL RETURN v.id AS id')).toEqual([]);
      expect(await answers(store)).toEqual(before);
      // Step 5: the imported-files record (R7), one node per content by constraint.
      const constraint = await q(`SHOW CONSTRAINTS YIELD name WHERE name = 'imported_file_id' RETURN name`);
      expect(constraint).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('S3: a store written at schema 5 (with the index on Version.captureTime) loses that index and answers as before', async () => {
    await q('CREATE INDEX version_time IF NOT EXISTS FOR (v:Version) ON (v.captureTime)');
    await q('CALL db.awaitIndexes(60)');
    await q(`MATCH (s:${SCHEMA_LABEL}) SET s.version = 5`);
    const indexes = async () => (await q('SHOW INDEXES YIELD name RETURN name')).map((r) => r.name);
    expect(await indexes()).toContain('version_time');

    const reports: MigrationReport[] = [];
    const store = await openNeo4jStore(opts(), { onMigrated: (r) => reports.push(r) });
    try {
      expect(reports[0]).toMatchObject({ from: 5, to: NEO4J_SCHEMA_VERSION, applied: true });
      expect(reports[0]!.steps[0]!.to).toBe(6);
      expect(await indexes()).not.toContain('version_time');
      expect(await answers(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('S3: a store written at schema 6 (configurations as JSON text) gets them compressed and answers as before', async () => {
    // Schema 6 wrote both as JSON strings; an import now writes compressed byte arrays.
    const texts = (
      await q('MATCH (v:Version) RETURN v.id AS id, v.body AS body, v.configuration AS configuration')
    ).map((r) => ({
      id: r.id,
      body: storedText(r.body),
      configuration: r.configuration === null ? null : storedText(r.configuration),
    }));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.some((t) => t.configuration !== null)).toBe(true);
    await driver.executeQuery(
      'UNWIND $rows AS row MATCH (v:Version {id: row.id}) SET v.body = row.body, v.configuration = row.configuration',
      { rows: texts },
    );
    await q(`MATCH (s:${SCHEMA_LABEL}) SET s.version = 6`);
    expect(await answers(shared())).toEqual(before); // text is still read, before and during the step

    const reports: MigrationReport[] = [];
    const store = await openNeo4jStore(opts(), { onMigrated: (r) => reports.push(r) });
    try {
      expect(reports[0]).toMatchObject({ from: 6, to: NEO4J_SCHEMA_VERSION, applied: true });
      expect(reports[0]!.steps[0]!.to).toBe(7);
      const after = await q('MATCH (v:Version) RETURN v.id AS id, v.configuration AS configuration');
      expect(after).toHaveLength(texts.length);
      for (const r of after) {
        const was = texts.find((t) => t.id === r.id)!;
        if (was.configuration === null) expect(r.configuration).toBeNull();
        else {
          expect(r.configuration).toBeInstanceOf(Int8Array);
          expect(storedText(r.configuration)).toBe(was.configuration);
        }
      }
      expect(await answers(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('S3: a store written at schema 7 (no imported-objects record) gets its constraint, answers as before, and remembers objects holding the contents it recorded', async () => {
    // A file content recorded as schema 7 recorded it (graph/stores/neo4j/imported-files.ts).
    const file = { sha256: 'f'.repeat(64), bytes: 7 };
    await q(
      `CREATE (:ImportedFile {id: '${file.sha256}:7', sha256: '${file.sha256}', bytes: 7, path: 'f.json.gz', runId: 'r'})`,
    );
    await q('DROP CONSTRAINT imported_object_path IF EXISTS');
    await q(`MATCH (s:${SCHEMA_LABEL}) SET s.version = 7`);
    const constraints = async () => (await q('SHOW CONSTRAINTS YIELD name RETURN name')).map((r) => r.name);
    expect(await constraints()).not.toContain('imported_object_path');

    const reports: MigrationReport[] = [];
    const store = await openNeo4jStore(opts(), { onMigrated: (r) => reports.push(r) });
    try {
      expect(reports[0]).toMatchObject({ from: 7, to: NEO4J_SCHEMA_VERSION, applied: true });
      expect(reports[0]!.steps[0]!.to).toBe(8);
      expect(await constraints()).toContain('imported_object_path');
      expect(await answers(store)).toEqual(before);
      const listed = { path: 's3://b/k.json.gz', etag: '"e"', size: 7, lastModified: '2024-01-01T00:00:00.000Z' };
      expect(await store.recordImportedObjects([{ ...listed, ...file }])).toBe(1);
      expect(await store.importedObjects([listed])).toEqual([listed]);
    } finally {
      await store.close();
      await q('MATCH (n) WHERE n:ImportedFile OR n:ImportedObject DETACH DELETE n');
    }
  });

  it('S4: a store written by a newer configgraph is refused untouched, naming both versions', async () => {
    await q(`MATCH (s:${SCHEMA_LABEL}) SET s.version = 99`);
    try {
      const err = await openNeo4jStore(opts()).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(NewerSchemaError);
      expect((err as Error).message).toContain(
        `store schema 99; this configgraph reads schema ${NEO4J_SCHEMA_VERSION} and older`,
      );
      expect(await schemaNodes()).toEqual([{ id: 'schema', version: 99 }]);
    } finally {
      await q(`MATCH (s:${SCHEMA_LABEL}) SET s.version = ${NEO4J_SCHEMA_VERSION}`);
    }
  });
});
