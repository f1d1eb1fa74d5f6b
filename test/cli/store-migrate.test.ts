// SQLite stores upgrade in place (SPEC S2–S6): a store written by the previous main
// (test/fixtures/stores/schema2.sqlite, see the README there) is migrated and answers exactly what the
// same data imported fresh answers; newer and foreign files are refused untouched.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileDigest, ResourceVersion } from '../../graph/model.ts';
import type { MigrationReport } from '../../graph/stores/migrations.ts';
import { migrateStore } from '../../graph/stores/open.ts';
import { SQLITE_MIGRATIONS } from '../../graph/stores/sqlite/migrations.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { SCHEMA_VERSION } from '../../graph/stores/sqlite/upgrade.ts';
import { answers } from '../support/store-answers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'stores', 'schema2.sqlite');
const SCHEMA6 = join(ROOT, 'test', 'fixtures', 'stores', 'schema6.sqlite');
const SCHEMA7 = join(ROOT, 'test', 'fixtures', 'stores', 'schema7.sqlite');
const SCHEMA8 = join(ROOT, 'test', 'fixtures', 'stores', 'schema8.sqlite');
/** The statement with which a diff finds the resources changed after a time (graph/stores/sqlite/changes.ts). */
const CHANGED_AFTER = 'SELECT DISTINCT key FROM versions WHERE capture_time > ?';
// The imports that made the fixture, in the same order and spelled the same (run sources are paths as given).
const IMPORTS = [
  ['test/fixtures/aws-config-developer-guide'],
  ['test/fixtures/aws-docs-eventbridge-example', 'test/fixtures/cloud-custodian'],
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-migrate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function copyOfFixture(): string {
  const path = join(dir, `old-${++n}.db`);
  copyFileSync(FIXTURE, path);
  return path;
}

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), ...args], {
    cwd,
    env: { ...process.env, CONFIGGRAPH_STORE: '', NEO4J_URI: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function metaVersion(path: string): string | undefined {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").get() as { value: string } | undefined)
      ?.value;
  } finally {
    db.close();
  }
}

describe('SQLite store migrations', () => {
  it('S2: the schema version of the code is the last step; every step counts up by one from 2', () => {
    expect(SQLITE_MIGRATIONS.map((m) => m.to)).toEqual(Array.from({ length: SCHEMA_VERSION - 2 }, (_, i) => i + 3));
    expect(metaVersion(FIXTURE)).toBe('2');
  });

  it('S6: migrate --dry-run names the versions and the steps and leaves the file byte-identical', () => {
    const path = copyOfFixture();
    const before = readFileSync(path);
    const r = cli(['migrate', '--dry-run', '--store', `sqlite:${path}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`store schema 2, this configgraph writes ${SCHEMA_VERSION}`);
    for (const m of SQLITE_MIGRATIONS) expect(r.stdout).toContain(`schema ${m.to}: ${m.description}`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}.pre-v${SCHEMA_VERSION}.bak`)).toBe(false);
    const json = cli(['migrate', '--dry-run', '--json', '--store', `sqlite:${path}`]);
    expect(JSON.parse(json.stdout)).toMatchObject({ from: 2, to: SCHEMA_VERSION, applied: false });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('S3/S5: a store written by the previous main migrates on open, says so once, and answers what a fresh import answers', async () => {
    // The same data imported fresh by this code, through the real CLI, as the fixture was made.
    const fresh = join(dir, 'fresh.db');
    for (const paths of IMPORTS) expect(cli(['import', ...paths, '--store', `sqlite:${fresh}`]).code).toBe(0);

    const path = copyOfFixture();
    const reports: MigrationReport[] = [];
    const migrated = openSqliteStore(path, { onMigrated: (r) => reports.push(r) });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      from: 2,
      to: SCHEMA_VERSION,
      applied: true,
      backup: `${path}.pre-v${SCHEMA_VERSION}.bak`,
    });
    expect(metaVersion(path)).toBe(String(SCHEMA_VERSION));
    // The copy taken first is the old store, whole.
    expect(metaVersion(`${path}.pre-v${SCHEMA_VERSION}.bak`)).toBe('2');

    const reference = openSqliteStore(fresh);
    expect((await migrated.search('arn:aws')).length).toBeGreaterThan(10);
    expect(await answers(migrated)).toEqual(await answers(reference));
    await reference.close();
    await migrated.close();

    // Opening it again migrates nothing and says nothing.
    const again = openSqliteStore(path, { onMigrated: (r) => reports.push(r) });
    await again.close();
    expect(reports).toHaveLength(1);
  });

  it('S3: the schema 3 step is used: clean-up and counts of placeholders read the placeholder index', () => {
    const path = copyOfFixture();
    openSqliteStore(path)
      .close()
      .catch(() => {});
    const db = new Database(path, { readonly: true });
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM resources WHERE recorded = 0').all() as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    db.close();
    expect(plan.join(' ')).toContain('resources_placeholders');
  });

  it('S3: the schema 5 step is used: a substring search reads the trigram index, which holds every term of the old store', async () => {
    const path = copyOfFixture();
    const old = new Database(FIXTURE, { readonly: true });
    const containing = (db: Database.Database, sql: string, part: string) =>
      (db.prepare(sql).all(part) as { value: string }[]).map((r) => r.value).sort();
    const before = containing(old, 'SELECT value FROM terms WHERE instr(value_lower, ?) > 0', 'east-1');
    old.close();
    expect(before.length).toBeGreaterThan(5);
    const store = openSqliteStore(path);
    expect((await store.search('east-1')).length).toBeGreaterThan(0);
    await store.close();
    const db = new Database(path, { readonly: true });
    const sql = `SELECT t.value FROM terms_text f JOIN terms t ON t.id = f.rowid WHERE f.value_lower GLOB '*' || ? || '*'`;
    expect(containing(db, sql, 'east-1')).toEqual(before);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('east-1') as { detail: string }[]).map((r) => r.detail);
    db.close();
    expect(plan.join(' ')).toMatch(/VIRTUAL TABLE INDEX 0:G/);
  });

  it('S3: the schema 6 step compacts every version: configurations stored once, compressed, read back unchanged', async () => {
    const path = copyOfFixture();
    const old = new Database(FIXTURE, { readonly: true });
    const before = (old.prepare('SELECT body FROM versions').all() as { body: string }[]).map(
      (r) => JSON.parse(r.body) as ResourceVersion,
    );
    old.close();
    const store = openSqliteStore(path);
    for (const v of before) {
      const read = await store.versionsOf(v.key);
      expect(read.find((x) => x.captureTime === v.captureTime && x.inferred === v.inferred)).toEqual(v);
    }
    await store.close();
    const db = new Database(path, { readonly: true });
    const kinds = db.prepare('SELECT DISTINCT typeof(body) AS t, typeof(config) AS c FROM versions').all();
    const counts = db
      .prepare(
        'SELECT (SELECT count(*) FROM configurations) AS configs, (SELECT count(DISTINCT config) FROM versions) AS used',
      )
      .get() as { configs: number; used: number };
    db.close();
    expect(kinds).toEqual([{ t: 'blob', c: 'blob' }]);
    expect(counts.configs).toBe(counts.used);
  });

  it('S3: a schema 6 store (written by main before the imported-files record) migrates, answers as before, and imports its files again once', async () => {
    const path = join(dir, `schema6-${++n}.db`);
    copyFileSync(SCHEMA6, path);
    copyFileSync(SCHEMA6, `${path}.old`); // read where it lies, the fixture would gain -wal and -shm files
    const old = openSqliteStore(`${path}.old`, { readonly: true });
    const before = await answers(old);
    await old.close();
    const r = cli(['stats', '--json', '--store', `sqlite:${path}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`from store schema 6 to ${SCHEMA_VERSION}`);
    expect(metaVersion(path)).toBe(String(SCHEMA_VERSION));
    const migrated = openSqliteStore(path);
    expect(await answers(migrated)).toEqual(before);
    await migrated.close();
    // Files imported before the record existed are not in it: the first import reads them (and stores
    // nothing new), the next skips them.
    const [first] = IMPORTS;
    const again = cli(['import', ...first!, '--json', '--store', `sqlite:${path}`]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ versions: 0, alreadyImported: 0 });
    const third = JSON.parse(cli(['import', ...first!, '--json', '--store', `sqlite:${path}`]).stdout);
    expect(third.alreadyImported).toBeGreaterThan(0);
    expect(third.items).toBe(0);
  });

  it('S3: a schema 7 store (written by main before the version-heads index) migrates in place, answers as before, and a diff reads the new index', async () => {
    const path = join(dir, `schema7-${++n}.db`);
    copyFileSync(SCHEMA7, path);
    copyFileSync(SCHEMA7, `${path}.old`); // read where it lies, the fixture would gain -wal and -shm files
    const plan = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`EXPLAIN QUERY PLAN ${CHANGED_AFTER}`).all('') as { detail: string }[])
          .map((r) => r.detail)
          .join(' ');
      } finally {
        db.close();
      }
    };
    expect(plan(`${path}.old`)).not.toContain('versions_heads');
    const old = openSqliteStore(`${path}.old`, { readonly: true });
    const before = await answers(old);
    await old.close();
    const reports: MigrationReport[] = [];
    const migrated = openSqliteStore(path, { onMigrated: (r) => reports.push(r) });
    expect(reports).toMatchObject([{ from: 7, to: SCHEMA_VERSION, applied: true }]);
    expect(metaVersion(path)).toBe(String(SCHEMA_VERSION));
    expect(await answers(migrated)).toEqual(before);
    await migrated.close();
    expect(plan(path)).toContain('COVERING INDEX versions_heads');
  });

  it('S3: a schema 8 store (written by main before the imported-objects record) migrates in place, answers as before, and remembers objects holding the contents it recorded', async () => {
    const path = join(dir, `schema8-${++n}.db`);
    copyFileSync(SCHEMA8, path);
    copyFileSync(SCHEMA8, `${path}.old`); // read where it lies, the fixture would gain -wal and -shm files
    const recorded = () => {
      const db = new Database(`${path}.old`, { readonly: true });
      try {
        return db.prepare('SELECT sha256, bytes FROM imported_files ORDER BY sha256').all() as FileDigest[];
      } finally {
        db.close();
      }
    };
    const files = recorded();
    expect(files.length).toBeGreaterThan(0);
    const old = openSqliteStore(`${path}.old`, { readonly: true });
    const before = await answers(old);
    await old.close();
    const reports: MigrationReport[] = [];
    const migrated = openSqliteStore(path, { onMigrated: (r) => reports.push(r) });
    try {
      expect(reports).toMatchObject([{ from: 8, to: SCHEMA_VERSION, applied: true }]);
      expect(metaVersion(path)).toBe(String(SCHEMA_VERSION));
      expect(await answers(migrated)).toEqual(before);
      // A content imported before the step is recorded still: an object holding it is remembered and known.
      const listed = {
        path: 's3://b/k.json.gz',
        etag: '"e"',
        size: files[0]!.bytes,
        lastModified: '2024-01-01T00:00:00.000Z',
      };
      expect(await migrated.importedObjects([listed])).toEqual([]);
      expect(await migrated.recordImportedObjects([{ ...listed, ...files[0]! }])).toBe(1);
      expect(await migrated.importedObjects([listed])).toEqual([listed]);
    } finally {
      await migrated.close();
    }
  });

  it('S5: other commands migrate automatically and say so once on stderr', () => {
    const path = copyOfFixture();
    const r = cli(['stats', '--json', '--store', `sqlite:${path}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/migrated /g)).toHaveLength(1);
    expect(r.stderr).toContain(`from store schema 2 to ${SCHEMA_VERSION}`);
    expect(r.stderr).toContain(`${path}.pre-v${SCHEMA_VERSION}.bak`);
    expect(JSON.parse(r.stdout)).toMatchObject({ resources: 19, runs: 2 });
    const second = cli(['stats', '--store', `sqlite:${path}`]);
    expect(second.stderr).toBe('');
  });

  it('S6: migrate runs the steps and reports them; a second migrate has nothing to do', async () => {
    const path = copyOfFixture();
    const r = cli(['migrate', '--store', `sqlite:${path}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`migrated from store schema 2 to ${SCHEMA_VERSION}`);
    expect(r.stdout).toContain(`${path}.pre-v${SCHEMA_VERSION}.bak`);
    expect(metaVersion(path)).toBe(String(SCHEMA_VERSION));
    const again = await migrateStore(`sqlite:${path}`, {});
    expect(again).toMatchObject({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, steps: [], applied: false });
  });

  it('S3: a step that fails rolls back: the store is unchanged and still schema 2', () => {
    const path = copyOfFixture();
    // Make the schema 3 step fail: a table already holds the name of the index it creates.
    const db = new Database(path);
    db.exec('CREATE TABLE resources_placeholders (x)');
    db.close();
    const before = readFileSync(path);
    expect(() => openSqliteStore(path)).toThrow(/failed and was rolled back; the store is unchanged/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(metaVersion(path)).toBe('2');
  });

  it('S4: a store written by a newer configgraph is refused untouched, naming both versions', () => {
    const path = copyOfFixture();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE name = 'schema_version'").run();
    db.close();
    const before = readFileSync(path);
    expect(() => openSqliteStore(path)).toThrow(
      `written by a newer configgraph (store schema 99; this configgraph reads schema ${SCHEMA_VERSION} and older)`,
    );
    const r = cli(['stats', '--store', `sqlite:${path}`]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('store schema 99');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('S4: a SQLite file of another program is refused and not written to', () => {
    const path = join(dir, 'foreign.db');
    const db = new Database(path);
    db.exec('CREATE TABLE notes (body TEXT)');
    db.close();
    const before = readFileSync(path);
    expect(() => openSqliteStore(path)).toThrow(/is not a configgraph store/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('S5: opening an up-to-date store writes nothing, so a reader is not held up by a writer', async () => {
    const path = join(dir, 'busy.db');
    const first = openSqliteStore(path);
    await first.close();
    // Another process is in the middle of writing (it holds the write lock).
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare("INSERT INTO meta (name, value) VALUES ('busy', '1')").run();
    const store = openSqliteStore(path);
    expect((await store.stats()).resources).toBe(0);
    await store.close();
    writer.exec('ROLLBACK');
    writer.close();
  });
});
