// The SQLite side of the ingest plan (graph/ingest/): its reads answered with prepared statements and its
// writes executed as SQL, all inside the one transaction the store opens for a run (R1).
import type Database from 'better-sqlite3';
import type { SnapshotMembership } from '../../deletions.ts';
import type {
  IngestReads,
  KeyRange,
  PlaceholderEdge,
  PlaceholderQuery,
  ScopeRef,
  StoredDerived,
  StoredHead,
} from '../../ingest/reads.ts';
import { storedEdgeColumns, type DerivedWrites, type IngestWrites, type StoredEdge } from '../../ingest/writes.ts';
import type { SearchTerm } from '../../search-terms.ts';
import type { ResourceKey, ResourceVersion, RunRecord } from '../../model.ts';
import { versionHead, versionIdentity, type VersionHead } from '../../versions.ts';
import { configData, configHash, packBody, VERSION_COLUMNS, versionOf, versionTexts } from './bodies.ts';
import { replaceTerms } from './search-index.ts';

type Row = Record<string, unknown>;

/** The columns of an edge that say what its relationship named (EdgeNaming). */
export const NAMING = 'name, origin, target_type AS targetType, target_id AS targetId, target_name AS targetName';
export type Prepare = (sql: string) => Database.Statement;

function grouped<T>(keys: ResourceKey[], rowsOf: (key: ResourceKey) => T[]): Map<ResourceKey, T[]> {
  const out = new Map<ResourceKey, T[]>();
  for (const key of new Set(keys)) {
    const list = rowsOf(key);
    if (list.length) out.set(key, list);
  }
  return out;
}

export const versionsOfRows = (rows: unknown[]): ResourceVersion[] =>
  (rows as Row[]).map((r) => versionOf(r.body as Buffer | string, r.config as Buffer | string | null));

/** Recorded keys of some scopes after `range.after`, the first `range.limit` in SQLite's key order. */
function keysInRange(stmt: Prepare, scopes: ScopeRef[], range: KeyRange): ResourceKey[] {
  if (!scopes.length) return [];
  const inScope = scopes.map(() => '(account_id = ? AND aws_region = ?)').join(' OR ');
  const rows = stmt(
    `SELECT key FROM resources WHERE recorded = 1 AND key > ? AND (${inScope}) ORDER BY key LIMIT ?`,
  ).all(range.after ?? '', ...scopes.flatMap((s) => [s.accountId, s.awsRegion]), range.limit) as Row[];
  return rows.map((r) => r.key as string);
}

/** A placeholder query's match: same account and type, and its resource id or name (I5). */
const placeholderId = (accountId: string, resourceType: string, value: string) =>
  `${accountId}\u0000${resourceType}\u0000${value}`;

/**
 * The placeholders each query names, from every placeholder read once: a streamed import asks for each
 * resource its run records, and while few placeholders are stored this costs less than two indexed queries
 * per resource (docs/benchmarks.md, "Ingest: what grows with the number of runs").
 */
function placeholdersRead(stmt: Prepare, queries: PlaceholderQuery[]): Set<ResourceKey>[] {
  const byId = new Map<string, ResourceKey[]>();
  const byName = new Map<string, ResourceKey[]>();
  const add = (map: Map<string, ResourceKey[]>, id: string, key: ResourceKey) => {
    const list = map.get(id);
    if (list) list.push(key);
    else map.set(id, [key]);
  };
  const rows = stmt(
    'SELECT key, account_id, resource_type, resource_id, resource_name FROM resources WHERE recorded = 0',
  )
    .raw(true)
    .all() as [ResourceKey, string, string, string, string | null][];
  for (const [key, account, type, id, name] of rows) {
    add(byId, placeholderId(account, type, id), key);
    if (name !== null) add(byName, placeholderId(account, type, name), key);
  }
  return queries.map((q) => {
    const found = [
      ...(byId.get(placeholderId(q.accountId, q.resourceType, q.ids[0]!)) ?? []),
      ...(byId.get(placeholderId(q.accountId, q.resourceType, q.name)) ?? []),
      ...(byName.get(placeholderId(q.accountId, q.resourceType, q.name)) ?? []),
    ];
    return new Set(found.sort());
  });
}

/** The placeholders each query names, asked of the index query by query (when many placeholders are stored). */
function placeholdersAsked(stmt: Prepare, queries: PlaceholderQuery[]): Set<ResourceKey>[] {
  const find = stmt(
    `SELECT key FROM resources WHERE recorded = 0 AND account_id = @account AND resource_type = @type AND resource_id IN (@id, @name)
     UNION SELECT key FROM resources WHERE recorded = 0 AND account_id = @account AND resource_type = @type AND resource_name = @name`,
  ).pluck();
  return queries.map(
    (q) =>
      new Set(find.all({ account: q.accountId, type: q.resourceType, id: q.ids[0], name: q.name }) as ResourceKey[]),
  );
}

/** The heads of these resources' recorded versions: a StoredHead, and a VersionMomentRow, each. */
function recordedHeadsOf(stmt: Prepare, keys: ResourceKey[]): Map<ResourceKey, StoredHead[]> {
  const get = stmt('SELECT head FROM versions WHERE key = ? AND inferred = 0');
  return grouped(keys, (k) => (get.all(k) as Row[]).map((r) => JSON.parse(r.head as string) as VersionHead));
}

/** Reads one key at a time: each is an indexed lookup in the same process, so batching buys nothing here. */
export function sqliteReads(stmt: Prepare): IngestReads {
  return {
    resourcesState(keys) {
      const out = new Map<ResourceKey, { recorded: boolean }>();
      const get = stmt('SELECT recorded FROM resources WHERE key = ?');
      for (const key of keys) {
        const r = get.get(key) as Row | undefined;
        if (r) out.set(key, { recorded: r.recorded === 1 });
      }
      return out;
    },
    recordedVersions: (keys) =>
      grouped(keys, (k) =>
        versionsOfRows(stmt(`SELECT ${VERSION_COLUMNS} FROM versions v WHERE key = ? AND inferred = 0`).all(k)),
      ),
    allVersions: (keys) =>
      grouped(keys, (k) => versionsOfRows(stmt(`SELECT ${VERSION_COLUMNS} FROM versions v WHERE key = ?`).all(k))),
    // Both from the version-heads index alone (schema step 8): no body or configuration is read.
    recordedHeads: (keys) => recordedHeadsOf(stmt, keys),
    recordedMoments: (keys) => recordedHeadsOf(stmt, keys),
    storedDerived(keys) {
      const edgesOf = stmt(
        `SELECT id, source, target, type, rule, valid_from AS validFrom, valid_to AS validTo, ${NAMING} FROM edges WHERE source = ?`,
      );
      const termsOf = stmt('SELECT kind, value FROM terms WHERE key = ? ORDER BY id');
      const out = new Map<ResourceKey, StoredDerived>();
      for (const key of new Set(keys)) {
        const edges = (edgesOf.all(key) as StoredEdge[]).map((e) => {
          if (e.rule === null) delete e.rule;
          return e;
        });
        out.set(key, { edges, terms: termsOf.all(key) as SearchTerm[] });
      }
      return out;
    },
    inferredIdentities(keys) {
      const out = new Map<ResourceKey, Set<string>>();
      const get = stmt('SELECT identity FROM versions WHERE key = ? AND inferred = 1');
      for (const key of keys) out.set(key, new Set((get.all(key) as Row[]).map((r) => r.identity as string)));
      return out;
    },
    recordedKeysIn: (scopes, range) =>
      range
        ? keysInRange(stmt, scopes, range)
        : scopes.flatMap((s) =>
            (
              stmt('SELECT key FROM resources WHERE account_id = ? AND aws_region = ? AND recorded = 1').all(
                s.accountId,
                s.awsRegion,
              ) as Row[]
            ).map((r) => r.key as string),
          ),
    snapshotsOf(scopes) {
      const out = new Map<string, SnapshotMembership[]>();
      const members = stmt('SELECT key FROM snapshot_members WHERE snapshot_id = ?');
      for (const s of scopes) {
        const snaps = stmt('SELECT id, time FROM snapshots WHERE account_id = ? AND aws_region = ?').all(
          s.accountId,
          s.awsRegion,
        ) as Row[];
        out.set(
          `${s.accountId}|${s.awsRegion}`,
          snaps.map((snap) => ({
            time: snap.time as string,
            members: new Set((members.all(snap.id) as Row[]).map((m) => m.key as string)),
          })),
        );
      }
      return out;
    },
    candidates: (lookups) =>
      lookups.map((q) => {
        const found =
          q.id !== undefined
            ? stmt(
                'SELECT key, aws_region FROM resources WHERE recorded = 1 AND account_id = ? AND resource_type = ? AND resource_id = ?',
              ).all(q.accountId, q.resourceType, q.id)
            : q.name !== undefined
              ? stmt(
                  'SELECT key, aws_region FROM resources WHERE recorded = 1 AND account_id = ? AND resource_type = ? AND (resource_name = ? OR resource_id = ?)',
                ).all(q.accountId, q.resourceType, q.name, q.name)
              : [];
        return (found as Row[]).map((r) => ({ key: r.key as string, awsRegion: r.aws_region as string }));
      }),
    placeholderEdges(queries) {
      if (!queries.length) return [];
      // Counted on the placeholders' own index: most first imports hold none, and then nothing is asked.
      const placeholders = stmt('SELECT count(*) FROM resources WHERE recorded = 0').pluck().get() as number;
      if (placeholders === 0) return [];
      const edgesTo = stmt(`SELECT target AS placeholder, id, source, type, ${NAMING} FROM edges WHERE target = ?`);
      const out: PlaceholderEdge[] = [];
      for (const keys of placeholders <= queries.length
        ? placeholdersRead(stmt, queries)
        : placeholdersAsked(stmt, queries))
        for (const key of keys) out.push(...(edgesTo.all(key) as PlaceholderEdge[]));
      return out;
    },
    knownEvents(ids) {
      const get = stmt('SELECT 1 FROM events WHERE event_id = ?');
      return new Set(ids.filter((id) => get.get(id)));
    },
  };
}

/**
 * A version as its row is written, before compression: strings and numbers only (the two JSON texts may be
 * their UTF-8 bytes), so a run's versions travel to the writer thread (./writer-thread.ts) without the nested
 * objects. `configJson` is the configurations' JSON (stored once per distinct content, by its SHA-256); `body`
 * the rest of the version's JSON.
 */
export type VersionRow = [
  key: string,
  identity: string,
  captureTime: string,
  status: string,
  inferred: 0 | 1,
  contentHash: string,
  head: string,
  body: string | Buffer,
  runId: string | null,
  configJson: string | Buffer,
];

export function versionRow(v: ResourceVersion): VersionRow {
  const { body, configJson } = versionTexts(v);
  return [
    v.key,
    versionIdentity(v),
    v.captureTime,
    v.status,
    v.inferred ? 1 : 0,
    v.contentHash,
    JSON.stringify(versionHead(v)),
    body,
    v.runId ?? null,
    configJson,
  ];
}

export function insertVersionRows(stmt: Prepare, rows: readonly VersionRow[]): void {
  const insert = stmt(
    'INSERT OR REPLACE INTO versions (key, identity, capture_time, status, inferred, content_hash, head, body, run_id, config) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const hasConfig = stmt('SELECT 1 FROM configurations WHERE hash = ?').pluck();
  const addConfig = stmt('INSERT INTO configurations (hash, data) VALUES (?, ?)');
  for (const [key, identity, captureTime, status, inferred, contentHash, head, body, runId, configJson] of rows) {
    const config = configHash(configJson);
    // Compressed only the first time: most versions repeat a configuration already stored.
    if (hasConfig.get(config) === undefined) addConfig.run(config, configData(configJson));
    insert.run(key, identity, captureTime, status, inferred, contentHash, head, packBody(body), runId, config);
  }
}

function insertVersions(stmt: Prepare, versions: ResourceVersion[]): void {
  insertVersionRows(stmt, versions.map(versionRow));
}

/** Derived rows: old ones of stale resources out, then terms, placeholders (if absent) and edges. */
export function writeDerived(stmt: Prepare, w: DerivedWrites): void {
  // Rows that come out as stored stay (`kept`): not deleted and written again, so their rowids and term ids stay.
  const compared = new Set(w.kept?.sources);
  const keptTerms = new Set(w.kept?.terms);
  const dropEdges = stmt('DELETE FROM edges WHERE source = ?');
  for (const key of w.stale) if (!compared.has(key)) dropEdges.run(key);
  const dropEdge = stmt('DELETE FROM edges WHERE id = ?');
  for (const id of w.kept?.removedEdges ?? []) dropEdge.run(id);
  replaceTerms(
    stmt,
    w.stale.filter((k) => !keptTerms.has(k)),
    w.states.flatMap((s) =>
      keptTerms.has(s.key) ? [] : s.terms.map((t) => ({ key: s.key, kind: t.kind, value: t.value })),
    ),
  );
  const insertPlaceholder = stmt(
    `INSERT OR IGNORE INTO resources (key, account_id, aws_region, resource_type, resource_id, resource_name, arn, recorded)
     VALUES (?, ?, ?, ?, ?, ?, NULL, 0)`,
  );
  for (const p of w.placeholders) {
    const t = p.identity;
    insertPlaceholder.run(p.key, t.accountId, t.awsRegion, t.resourceType, t.resourceId, p.resourceName);
  }
  const insertEdge = stmt(
    `INSERT OR REPLACE INTO edges (id, source, target, name, type, origin, rule, valid_from, valid_to, target_type, target_id, target_name)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const e of w.edges) insertEdge.run(...storedEdgeColumns(e));
}

/** Placeholders (I4) exist only while an edge names them. */
export function removeUnusedPlaceholders(stmt: Prepare): void {
  stmt(
    `DELETE FROM resources WHERE recorded = 0
       AND NOT EXISTS (SELECT 1 FROM edges WHERE edges.target = resources.key)
       AND NOT EXISTS (SELECT 1 FROM edges WHERE edges.source = resources.key)`,
  ).run();
}

export function insertRun(stmt: Prepare, r: RunRecord): void {
  const seq = (stmt('SELECT coalesce(max(seq), 0) + 1 AS n FROM runs').get() as Row).n as number;
  stmt('INSERT INTO runs (id, seq, body) VALUES (?, ?, ?)').run(r.id, seq, JSON.stringify(r));
}

/** A run's writes in the plan's order, in the phases the writer thread receives them (./writer-thread.ts). */
export function writeResources(stmt: Prepare, resources: IngestWrites['resources']): void {
  const upsertResource = stmt(
    `INSERT INTO resources (key, account_id, aws_region, resource_type, resource_id, resource_name, arn, recorded)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT (key) DO UPDATE SET resource_name = excluded.resource_name, arn = excluded.arn, recorded = 1`,
  );
  for (const r of resources) {
    const t = r.identity;
    upsertResource.run(r.key, t.accountId, t.awsRegion, t.resourceType, t.resourceId, r.resourceName, r.arn);
  }
}

/** After the run's recorded versions: its snapshots, and the stale resources' inferred deletions out. */
export function writeSnapshots(stmt: Prepare, w: Pick<IngestWrites, 'run' | 'snapshots' | 'stale'>): void {
  const insertSnapshot = stmt('INSERT INTO snapshots (run_id, account_id, aws_region, time) VALUES (?, ?, ?, ?)');
  const insertMember = stmt('INSERT OR IGNORE INTO snapshot_members (snapshot_id, key) VALUES (?, ?)');
  for (const s of w.snapshots) {
    const sid = insertSnapshot.run(w.run.id, s.accountId, s.awsRegion, s.time).lastInsertRowid;
    for (const m of s.members) insertMember.run(sid, m);
  }
  const dropInferred = stmt('DELETE FROM versions WHERE key = ? AND inferred = 1');
  for (const key of w.stale) dropInferred.run(key);
}

/** What the writes whose rows are not versions need, after the inferred versions. */
export type RunRest = DerivedWrites & Pick<IngestWrites, 'events' | 'eventResources' | 'moves' | 'run'>;

/** After the inferred versions: derived rows, events, edge moves, placeholders no longer named, the run record. */
export function writeRest(stmt: Prepare, w: RunRest): void {
  writeDerived(stmt, w);
  const insertEvent = stmt('INSERT OR IGNORE INTO events (event_id, event_time, body) VALUES (?, ?, ?)');
  for (const e of w.events) insertEvent.run(e.eventId, e.eventTime, JSON.stringify(e));
  const insertEventResource = stmt('INSERT OR IGNORE INTO event_resources (event_id, resource) VALUES (?, ?)');
  for (const e of w.eventResources) for (const r of e.resources) insertEventResource.run(e.eventId, r);
  const retarget = stmt('UPDATE edges SET target = ? WHERE id = ?');
  for (const m of w.moves) retarget.run(m.to, m.id);
  removeUnusedPlaceholders(stmt);
  insertRun(stmt, w.run);
}

/** Executes a run's writes, in the plan's order (the writer thread executes the same phases). */
export function writeRun(stmt: Prepare, w: IngestWrites): void {
  writeResources(stmt, w.resources);
  insertVersions(stmt, [...w.versions, ...w.betterCopies]);
  writeSnapshots(stmt, w);
  insertVersions(stmt, w.inferred);
  writeRest(stmt, w);
}
