// The embedded store: the GraphStore port over better-sqlite3. Only this folder speaks SQL; every rule
// of the model comes from the pure functions in graph/.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { inferenceUnchanged, inferredDeletions, type SnapshotMembership } from '../../deletions.ts';
import { edgeId, edgeValidity, validAt } from '../../edges.ts';
import { AmbiguousRefError, InvalidInputError, NotFoundError, StoreUnavailableError } from '../../errors.ts';
import { diffSnapshots } from '../../graph-diff.ts';
import { keyOf, looksLikeKey, parseKey } from '../../identity.ts';
import { eventNamesOf, historyEntries } from '../../history.ts';
import type {
  ChangeEvent,
  GraphEdge,
  IsoTime,
  RawRelationship,
  ResourceIdentity,
  ResourceKey,
  ResourceNode,
  ResourceVersion,
  RunRecord,
  Scope,
} from '../../model.ts';
import { failedRun, finishedRun, incomingVersions, startingCounts } from '../../runs.ts';
import { compareNodes, existsAt, nodeAt, placeholderNode } from '../../nodes.ts';
import { chooseTarget, targetLookup, type TargetCandidate } from '../../resolve.ts';
import { searchHit, searchSkips, searchTermsOf, termScore, type TermKind } from '../../search-terms.ts';
import type {
  CanonicalExport,
  GraphDiff,
  GraphSnapshot,
  GraphStore,
  Neighborhood,
  NeighborhoodOptions,
  ViewOptions,
  PathOptions,
  PathResult,
  ResourceHistory,
  ResourceRef,
  ResourceView,
  RunInput,
  SearchHit,
  SearchOptions,
  StoreStats,
  ResourceVersions,
  TypeScope,
} from '../../store.ts';
import { liveEdgesTouching, neighborhoodOf, pathBetween, validateDepth, type GraphReader } from '../../traverse.ts';
import { parseViewKind, purposeViewOf, type PurposeView } from '../../views.ts';
import {
  compareVersions,
  isDeletedStatus,
  mergeVersions,
  versionAt,
  versionHead,
  versionIdentity,
  type VersionHead,
} from '../../versions.ts';
import type { MigrationReport } from '../migrations.ts';
import { upgradeSqlite } from './upgrade.ts';
import { versionsOfTypeSqlite } from './versions-of-type.ts';

type Row = Record<string, unknown>;
type Db = Database.Database;

const CHUNK = 400;
const chunks = <T>(xs: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};
const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

function rowToVersion(r: Row): ResourceVersion {
  return JSON.parse(r.body as string) as ResourceVersion;
}

function rowToEdge(r: Row): GraphEdge {
  const e: GraphEdge = {
    id: r.id as string,
    source: r.source as string,
    target: r.target as string,
    name: r.name as string,
    type: r.type as string,
    origin: r.origin as GraphEdge['origin'],
    validFrom: r.valid_from as string,
    validTo: (r.valid_to as string | null) ?? null,
  };
  if (r.rule) e.rule = r.rule as string;
  return e;
}

export class SqliteStore implements GraphStore, GraphReader {
  private readonly db: Db;
  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once, reused: preparing inside ingest loops dominated import time. */
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /**
   * Opens (or creates) the store at `location`. An older store is migrated first (S3) and `onMigrated` hears
   * about it; an up-to-date store is opened without writing anything, so readers never need the write lock.
   */
  /** What opening did to the store's schema (S3): the steps run, if any. */
  readonly migration: MigrationReport;

  constructor(
    readonly location: string,
    opts: { onMigrated?: (report: MigrationReport) => void } = {},
  ) {
    const path = location;
    let report: MigrationReport;
    let db: Db | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      this.db = db;
      // Steps whose rules for derived rows changed rebuild them through this store (S5).
      report = upgradeSqlite(db, path, { derived: { rebuild: () => this.rebuildDerived() } });
    } catch (e) {
      db?.close();
      if (e instanceof StoreUnavailableError) throw e;
      throw new StoreUnavailableError(`cannot open the SQLite store at ${path}: ${(e as Error).message}`, { cause: e });
    }
    this.migration = report;
    if (report.from !== null && report.applied) opts.onMigrated?.(report);
  }

  // ---------------------------------------------------------------- ingest

  async ingest(run: RunInput): Promise<RunRecord> {
    const id = randomUUID();
    const startedAt = run.startedAt ?? new Date().toISOString();
    try {
      return this.db.transaction(() => this.applyRun(id, run, startedAt))();
    } catch (e) {
      // The transaction rolled back: record the failure on its own so `runs` tells the story (R1).
      const failed = failedRun(id, run, startedAt, e);
      try {
        this.insertRun(failed);
      } catch {
        /* the store itself is failing; the original error says why */
      }
      throw e;
    }
  }

  private insertRun(r: RunRecord): void {
    const seq = (this.stmt('SELECT coalesce(max(seq), 0) + 1 AS n FROM runs').get() as Row).n as number;
    this.stmt('INSERT INTO runs (id, seq, body) VALUES (?, ?, ?)').run(r.id, seq, JSON.stringify(r));
  }

  private applyRun(runId: string, run: RunInput, startedAt: IsoTime): RunRecord {
    const counts = startingCounts(run);

    const incoming = incomingVersions(run, runId);
    counts.resources = incoming.size;

    const insertVersion = this.stmt(
      'INSERT OR REPLACE INTO versions (key, identity, capture_time, status, inferred, content_hash, head, body, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const wasRecorded = this.stmt('SELECT recorded FROM resources WHERE key = ?');
    const upsertResource = this.stmt(
      `INSERT INTO resources (key, account_id, aws_region, resource_type, resource_id, resource_name, arn, recorded)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET resource_name = excluded.resource_name, arn = excluded.arn, recorded = excluded.recorded`,
    );

    const affected = new Set<ResourceKey>();
    const newlyRecorded: ResourceKey[] = [];
    // Resources this store has never seen need no reads or deletes: most rows of a first import.
    const brandNew = new Set<ResourceKey>();
    const recordedNow = new Map<ResourceKey, ResourceVersion[]>();
    for (const [key, { identity, versions }] of incoming) {
      const before = wasRecorded.get(key) as Row | undefined;
      if (!before) brandNew.add(key);
      const stored = before ? this.recordedVersions(key) : [];
      const merged = mergeVersions(stored, versions);
      recordedNow.set(key, merged.versions);
      counts.versions += merged.added;
      counts.duplicates += merged.duplicates;
      for (const v of merged.written) {
        insertVersion.run(
          key,
          versionIdentity(v),
          v.captureTime,
          v.status,
          0,
          v.contentHash,
          JSON.stringify(versionHead(v)),
          JSON.stringify(v),
          runId,
        );
      }
      if (!before || before.recorded === 0) newlyRecorded.push(key);
      if (merged.written.length > 0 || !before || before.recorded === 0) affected.add(key);
      const latestNamed = [...merged.versions].reverse().find((v) => v.resourceName || v.arn);
      upsertResource.run(
        key,
        identity.accountId,
        identity.awsRegion,
        identity.resourceType,
        identity.resourceId,
        latestNamed?.resourceName ?? null,
        latestNamed?.arn ?? null,
        1,
      );
    }

    // Resources this run brings or changes: always rebuilt. Others a snapshot re-examines: only if it changes them.
    const changed = new Set(affected);
    // Full snapshots: remember what each listed, then every resource of that scope is re-examined (R2).
    const insertSnapshot = this.stmt(
      'INSERT INTO snapshots (run_id, account_id, aws_region, time) VALUES (?, ?, ?, ?)',
    );
    const insertMember = this.stmt('INSERT OR IGNORE INTO snapshot_members (snapshot_id, key) VALUES (?, ?)');
    const scopesWithSnapshots = new Set<string>();
    for (const s of run.snapshots ?? []) {
      const sid = insertSnapshot.run(runId, s.accountId, s.awsRegion, s.time).lastInsertRowid;
      for (const m of s.members) insertMember.run(sid, m);
      scopesWithSnapshots.add(`${s.accountId}|${s.awsRegion}`);
    }
    for (const scope of scopesWithSnapshots) {
      const [accountId, awsRegion] = scope.split('|');
      for (const r of this.stmt(
        'SELECT key FROM resources WHERE account_id = ? AND aws_region = ? AND recorded = 1',
      ).all(accountId, awsRegion) as Row[]) {
        affected.add(r.key as string);
      }
    }

    const snapshotCache = new Map<string, SnapshotMembership[]>();
    const resolved = new Map<string, TargetCandidate[]>();
    const knownKeys = new Set<ResourceKey>(incoming.keys());
    const deleteInferred = this.stmt('DELETE FROM versions WHERE key = ? AND inferred = 1');
    const inferredIdentities = this.stmt('SELECT identity FROM versions WHERE key = ? AND inferred = 1');

    for (const key of [...affected].sort()) {
      const identity = parseKey(key);
      if (!identity) continue;
      const fresh = brandNew.has(key);
      const scope = `${identity.accountId}|${identity.awsRegion}`;
      let snaps = snapshotCache.get(scope);
      if (!snaps) snapshotCache.set(scope, (snaps = this.snapshotsOfScope(identity.accountId, identity.awsRegion)));
      const before = fresh
        ? new Set<string>()
        : new Set((inferredIdentities.all(key) as Row[]).map((r) => r.identity as string));
      // Resources only re-examined are first read lightly (version heads): most stay as they are.
      const inferred = snaps.length
        ? inferredDeletions(key, recordedNow.get(key) ?? this.recordedHeads(key), snaps)
        : [];
      if (!changed.has(key) && inferenceUnchanged(before, inferred)) continue;
      const recorded = recordedNow.get(key) ?? this.recordedVersions(key);
      if (!fresh) deleteInferred.run(key);
      for (const v of inferred) {
        const vid = versionIdentity(v);
        if (!before.has(vid)) counts.inferredDeletions++;
        const stored = { ...v, runId };
        insertVersion.run(
          key,
          vid,
          v.captureTime,
          v.status,
          1,
          v.contentHash,
          JSON.stringify(versionHead(stored)),
          JSON.stringify(stored),
          runId,
        );
      }
      const all = [...recorded, ...inferred].sort(compareVersions);
      counts.edges += this.writeDerived(identity, key, recorded, all, { fresh, resolved, knownKeys });
    }

    // CloudTrail events: the same event twice is stored once (A1).
    const insertEvent = this.stmt('INSERT OR IGNORE INTO events (event_id, event_time, body) VALUES (?, ?, ?)');
    const insertEventResource = this.stmt('INSERT OR IGNORE INTO event_resources (event_id, resource) VALUES (?, ?)');
    for (const e of run.events ?? []) {
      if (insertEvent.run(e.eventId, e.eventTime, JSON.stringify(e)).changes > 0)
        counts.events = (counts.events ?? 0) + 1;
      for (const r of e.resources) insertEventResource.run(e.eventId, r);
    }

    this.adoptPlaceholders(newlyRecorded);
    this.removeUnusedPlaceholders();

    const record = finishedRun(runId, run, startedAt, counts);
    this.insertRun(record);
    return record;
  }

  /**
   * When a resource becomes recorded, edges that pointed at a placeholder for it (named by id or name,
   * or guessed into another region) are resolved again, so arrival order does not matter (I5).
   */
  private adoptPlaceholders(keys: ResourceKey[]): void {
    const find = this.stmt(
      `SELECT key FROM resources WHERE recorded = 0 AND account_id = @account AND resource_type = @type AND key <> @key AND resource_id IN (@id, @name)
       UNION SELECT key FROM resources WHERE recorded = 0 AND account_id = @account AND resource_type = @type AND key <> @key AND resource_name = @name`,
    );
    const nameOf = this.stmt('SELECT resource_name FROM resources WHERE key = ?');
    const edgesTo = this.stmt(
      'SELECT id, source, name, origin, target_type, target_id, target_name FROM edges WHERE target = ?',
    );
    const retarget = this.stmt('UPDATE edges SET target = ? WHERE id = ?');
    for (const key of keys) {
      const id = parseKey(key);
      if (!id) continue;
      const name = ((nameOf.get(key) as Row | undefined)?.resource_name as string | null) ?? id.resourceId;
      for (const p of find.all({
        account: id.accountId,
        type: id.resourceType,
        key,
        id: id.resourceId,
        name,
      }) as Row[]) {
        for (const e of edgesTo.all(p.key) as Row[]) {
          const source = parseKey(e.source as string);
          if (!source) continue;
          const rel: RawRelationship = {
            name: e.name as string,
            origin: e.origin as RawRelationship['origin'],
            resourceType: e.target_type as string,
          };
          if (e.target_id) rel.resourceId = e.target_id as string;
          if (e.target_name) rel.resourceName = e.target_name as string;
          const chosen = this.resolveTarget(source, rel);
          if (chosen !== p.key) retarget.run(chosen, e.id);
        }
      }
    }
  }

  private recordedCandidates(q: {
    accountId: string;
    resourceType: string;
    id?: string;
    name?: string;
  }): TargetCandidate[] {
    if (q.id !== undefined) {
      return (
        this.db
          .prepare(
            'SELECT key, aws_region FROM resources WHERE recorded = 1 AND account_id = ? AND resource_type = ? AND resource_id = ?',
          )
          .all(q.accountId, q.resourceType, q.id) as Row[]
      ).map((r) => ({ key: r.key as string, awsRegion: r.aws_region as string }));
    }
    if (q.name !== undefined) {
      return (
        this.db
          .prepare(
            'SELECT key, aws_region FROM resources WHERE recorded = 1 AND account_id = ? AND resource_type = ? AND (resource_name = ? OR resource_id = ?)',
          )
          .all(q.accountId, q.resourceType, q.name, q.name) as Row[]
      ).map((r) => ({ key: r.key as string, awsRegion: r.aws_region as string }));
    }
    return [];
  }

  /**
   * What is derived from a resource's versions and stored beside them: its edges (E1–E6, T2), with a
   * placeholder for each target no CI describes (I4), and its search terms (Q5, T3). `all` is every
   * version (recorded and inferred) in order. Returns how many edges were written.
   */
  private writeDerived(
    identity: ResourceIdentity,
    key: ResourceKey,
    recorded: ResourceVersion[],
    all: ResourceVersion[],
    ctx: { fresh: boolean; resolved: Map<string, TargetCandidate[]>; knownKeys: Set<ResourceKey> },
  ): number {
    if (!ctx.fresh) this.stmt('DELETE FROM edges WHERE source = ?').run(key);
    const insertEdge = this.stmt(
      `INSERT OR REPLACE INTO edges (id, source, target, name, type, origin, rule, valid_from, valid_to, target_type, target_id, target_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertPlaceholder = this.stmt(
      `INSERT OR IGNORE INTO resources (key, account_id, aws_region, resource_type, resource_id, resource_name, arn, recorded)
       VALUES (?, ?, ?, ?, ?, ?, NULL, 0)`,
    );
    let edges = 0;
    for (const interval of edgeValidity(identity.resourceType, all)) {
      const r = interval.relationship;
      const target = this.resolveTarget(identity, r, ctx.resolved);
      if (!ctx.knownKeys.has(target) && !this.stmt('SELECT 1 FROM resources WHERE key = ?').get(target)) {
        const t = parseKey(target);
        if (t)
          insertPlaceholder.run(target, t.accountId, t.awsRegion, t.resourceType, t.resourceId, r.resourceName ?? null);
      }
      ctx.knownKeys.add(target);
      insertEdge.run(
        edgeId(key, r, interval.validFrom),
        key,
        target,
        r.name,
        interval.type,
        r.origin,
        r.rule ?? null,
        interval.validFrom,
        interval.validTo,
        r.resourceType,
        r.resourceId ?? null,
        r.resourceName ?? null,
      );
      edges++;
    }
    if (!ctx.fresh) this.stmt('DELETE FROM terms WHERE key = ?').run(key);
    const insertTerm = this.stmt('INSERT INTO terms (key, kind, value, value_lower) VALUES (?, ?, ?, ?)');
    const described = [...recorded].reverse().find((v) => !isDeletedStatus(v.status)) ?? recorded[recorded.length - 1];
    for (const t of searchTermsOf(identity.resourceId, described))
      insertTerm.run(key, t.kind, t.value, t.value.toLowerCase());
    return edges;
  }

  /**
   * Rewrites every recorded resource's derived rows from its stored versions, as an import would write
   * them today: a schema step whose rules for edges or search terms changed runs this (S5), inside its
   * transaction. Placeholders no edge names any more are removed, as after a run.
   */
  rebuildDerived(): void {
    const resolved = new Map<string, TargetCandidate[]>();
    const knownKeys = new Set<ResourceKey>();
    const keys = (this.stmt('SELECT key FROM resources WHERE recorded = 1 ORDER BY key').all() as Row[]).map(
      (r) => r.key as string,
    );
    for (const key of keys) {
      const identity = parseKey(key);
      if (!identity) continue;
      const all = this.allVersions(key);
      const recorded = all.filter((v) => !v.inferred);
      this.writeDerived(identity, key, recorded, all, { fresh: false, resolved, knownKeys });
    }
    this.removeUnusedPlaceholders();
  }

  /** Placeholders (I4) exist only while an edge names them. */
  private removeUnusedPlaceholders(): void {
    this.db.exec(
      `DELETE FROM resources WHERE recorded = 0
         AND NOT EXISTS (SELECT 1 FROM edges WHERE edges.target = resources.key)
         AND NOT EXISTS (SELECT 1 FROM edges WHERE edges.source = resources.key)`,
    );
  }

  private resolveTarget(
    source: ResourceIdentity,
    r: RawRelationship,
    cache?: Map<string, TargetCandidate[]>,
  ): ResourceKey {
    const q = targetLookup(source, r);
    const id = `${q.accountId}|${q.resourceType}|${q.id ?? ''}|${q.name ?? ''}`;
    let candidates = cache?.get(id);
    if (!candidates) {
      candidates = this.recordedCandidates(q);
      cache?.set(id, candidates);
    }
    return chooseTarget(source, r, candidates);
  }

  private recordedVersions(key: ResourceKey): ResourceVersion[] {
    return (this.stmt('SELECT body FROM versions WHERE key = ? AND inferred = 0').all(key) as Row[])
      .map(rowToVersion)
      .sort(compareVersions);
  }

  private recordedHeads(key: ResourceKey): VersionHead[] {
    return (this.stmt('SELECT head FROM versions WHERE key = ? AND inferred = 0').all(key) as Row[])
      .map((r) => JSON.parse(r.head as string) as VersionHead)
      .sort(compareVersions);
  }

  private allVersions(key: ResourceKey): ResourceVersion[] {
    return (this.stmt('SELECT body FROM versions WHERE key = ?').all(key) as Row[])
      .map(rowToVersion)
      .sort(compareVersions);
  }

  private snapshotsOfScope(accountId: string, awsRegion: string): SnapshotMembership[] {
    const snaps = this.stmt('SELECT id, time FROM snapshots WHERE account_id = ? AND aws_region = ?').all(
      accountId,
      awsRegion,
    ) as Row[];
    const members = this.stmt('SELECT key FROM snapshot_members WHERE snapshot_id = ?');
    return snaps.map((s) => ({
      time: s.time as string,
      members: new Set((members.all(s.id) as Row[]).map((m) => m.key as string)),
    }));
  }

  // ---------------------------------------------------------------- references

  /** A resource id, an ARN, a key or (when nothing else matches) a name; ambiguity is an error (Q1). */
  resolveRef(ref: ResourceRef): ResourceKey {
    const trimmed = ref.trim();
    if (!trimmed)
      throw new InvalidInputError('empty resource reference', 'a resource id, an ARN or a key account|region|type|id');
    if (looksLikeKey(trimmed) && this.stmt('SELECT 1 FROM resources WHERE key = ?').get(trimmed)) return trimmed;
    let rows = this.stmt('SELECT key, recorded FROM resources WHERE resource_id = ? OR arn = ?').all(
      trimmed,
      trimmed,
    ) as Row[];
    if (!rows.length)
      rows = this.stmt('SELECT key, recorded FROM resources WHERE resource_name = ?').all(trimmed) as Row[];
    const recorded = rows.filter((r) => r.recorded === 1);
    const candidates = (recorded.length ? recorded : rows).map((r) => r.key as string).sort();
    if (candidates.length === 0) throw new NotFoundError(trimmed);
    if (candidates.length > 1) throw new AmbiguousRefError(trimmed, candidates);
    return candidates[0]!;
  }

  // ---------------------------------------------------------------- GraphReader

  async nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]> {
    return this.nodesAtSync(keys, at);
  }

  private nodesAtSync(keys: ResourceKey[], at?: IsoTime): ResourceNode[] {
    const out: ResourceNode[] = [];
    for (const part of chunks([...new Set(keys)])) {
      const rows = this.stmt(`SELECT * FROM resources WHERE key IN (${marks(part.length)})`).all(...part) as Row[];
      // Heads only: parsing every configuration just to draw nodes made whole-estate reads slow. All of a
      // resource's heads, not only those up to `at`: its first version says whether it existed before (T1).
      const versions = new Map<string, VersionHead[]>();
      const vrows = this.stmt(`SELECT key, head FROM versions WHERE key IN (${marks(part.length)})`).all(
        ...part,
      ) as Row[];
      for (const v of vrows) {
        const list = versions.get(v.key as string) ?? [];
        list.push(JSON.parse(v.head as string) as VersionHead);
        versions.set(v.key as string, list);
      }
      for (const r of rows) {
        const key = r.key as string;
        if (r.recorded === 0) {
          out.push(placeholderNode(key, (r.resource_name as string | null) ?? undefined));
          continue;
        }
        const identity = {
          accountId: r.account_id as string,
          awsRegion: r.aws_region as string,
          resourceType: r.resource_type as string,
          resourceId: r.resource_id as string,
        };
        out.push(nodeAt(key, identity, (versions.get(key) ?? []).sort(compareVersions), at));
      }
    }
    return out.sort(compareNodes);
  }

  async edgesTouching(keys: ResourceKey[], at?: IsoTime): Promise<GraphEdge[]> {
    const seen = new Map<string, GraphEdge>();
    const time = at ? ' AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)' : ' AND valid_to IS NULL';
    const tp = at ? [at, at] : [];
    for (const part of chunks([...new Set(keys)])) {
      for (const col of ['source', 'target']) {
        const rows = this.stmt(`SELECT * FROM edges WHERE ${col} IN (${marks(part.length)})${time}`).all(
          ...part,
          ...tp,
        ) as Row[];
        for (const r of rows) seen.set(r.id as string, rowToEdge(r));
      }
    }
    return [...seen.values()];
  }

  // ---------------------------------------------------------------- queries

  async resource(ref: ResourceRef, opts: { at?: IsoTime } = {}): Promise<ResourceView> {
    const key = this.resolveRef(ref);
    const known = new Map<ResourceKey, ResourceNode>();
    const edges = await liveEdgesTouching(this, [key], opts.at, known);
    const node = known.get(key) ?? this.nodesAtSync([key], opts.at)[0];
    const versions = this.allVersions(key);
    // T1: before its first capture, the first version describes it.
    const version = versionAt(versions, opts.at) ?? (node?.beforeFirstRecord ? versions[0] : undefined);
    const view: ResourceView = {
      node: node!,
      outgoing: edges.filter((e) => e.source === key).sort((a, b) => (a.id < b.id ? -1 : 1)),
      incoming: edges.filter((e) => e.target === key).sort((a, b) => (a.id < b.id ? -1 : 1)),
      existsAt: node!.recorded ? existsAt(version) : edges.length > 0,
    };
    if (version) view.version = version;
    return view;
  }

  async versionsOf(ref: ResourceRef): Promise<ResourceVersion[]> {
    return this.allVersions(this.resolveRef(ref));
  }

  async history(ref: ResourceRef): Promise<ResourceHistory> {
    const key = this.resolveRef(ref);
    const identity = parseKey(key)!;
    const versions = this.allVersions(key);
    const [resource] = this.nodesAtSync([key]);
    const resolve = (r: RawRelationship) => {
      const edge = this.stmt(
        "SELECT target FROM edges WHERE source = ? AND name = ? AND origin = ? AND target_type = ? AND coalesce(target_id, '') = ? AND coalesce(target_name, '') = ? LIMIT 1",
      ).get(key, r.name, r.origin, r.resourceType, r.resourceId ?? '', r.resourceName ?? '') as Row | undefined;
      return (edge?.target as string | undefined) ?? this.resolveTarget(identity, r);
    };
    const { names } = eventNamesOf(identity, versions);
    const events = (
      this.stmt(
        `SELECT DISTINCT e.body FROM events e JOIN event_resources r ON r.event_id = e.event_id WHERE r.resource IN (${marks(names.length)})`,
      ).all(...names) as Row[]
    ).map((r) => JSON.parse(r.body as string) as ChangeEvent);
    const entries = historyEntries(identity, versions, events, resolve);
    return { resource: resource!, versions: entries };
  }

  async neighborhood(ref: ResourceRef, opts: NeighborhoodOptions = {}): Promise<Neighborhood> {
    const depth = validateDepth(opts.depth);
    const key = this.resolveRef(ref);
    const o: { depth: number; at?: IsoTime; types?: string[]; limit?: number } = { depth };
    if (opts.at) o.at = opts.at;
    if (opts.types) o.types = opts.types;
    if (opts.limit) o.limit = opts.limit;
    return neighborhoodOf(this, key, o);
  }

  async view(ref: ResourceRef, opts: ViewOptions): Promise<PurposeView> {
    const kind = parseViewKind(opts.kind);
    const key = this.resolveRef(ref);
    return purposeViewOf(this, key, {
      kind,
      ...(opts.at ? { at: opts.at } : {}),
      ...(opts.limit ? { limit: opts.limit } : {}),
    });
  }

  async search(q: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const query = q.trim();
    if (!query) return [];
    const limit = Math.min(Math.max(opts.limit ?? 20, 1), 200);
    const filters: string[] = [];
    const filterParams: string[] = [];
    if (opts.type) {
      filters.push('r.resource_type = ?');
      filterParams.push(opts.type);
    }
    if (opts.accountId) {
      filters.push('r.account_id = ?');
      filterParams.push(opts.accountId);
    }
    if (opts.awsRegion) {
      filters.push('r.aws_region = ?');
      filterParams.push(opts.awsRegion);
    }
    const where = filters.map((f) => `AND ${f}`).join(' ');
    const lower = query.toLowerCase();
    // Exact and prefix matches (the best ranked) come from the index; the substring scan only tops up.
    let rows = this.stmt(
      `SELECT t.key, t.kind, t.value FROM terms t JOIN resources r ON r.key = t.key
       WHERE t.value_lower >= ? AND t.value_lower < ? ${where} LIMIT 5000`,
    ).all(lower, `${lower}\uffff`, ...filterParams) as Row[];
    if (new Set(rows.map((r) => r.key)).size < limit) {
      rows = this.stmt(
        `SELECT t.key, t.kind, t.value FROM terms t JOIN resources r ON r.key = t.key
         WHERE t.value_lower LIKE ? ESCAPE '\\' ${where} LIMIT 5000`,
      ).all(`%${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, ...filterParams) as Row[];
    }
    const best = new Map<string, { kind: TermKind; value: string; score: number }>();
    for (const r of rows) {
      if (searchSkips(r.key as string, opts.type)) continue;
      const term = { kind: r.kind as TermKind, value: r.value as string };
      const score = termScore(term, query);
      const cur = best.get(r.key as string);
      if (score > 0 && (!cur || score > cur.score || (score === cur.score && term.value < cur.value)))
        best.set(r.key as string, { ...term, score });
    }
    const ranked = [...best].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
    const nodes = new Map(this.nodesAtSync(ranked.map(([k]) => k)).map((n) => [n.key, n]));
    return ranked.map(([k, m]) => searchHit(nodes.get(k)!, m));
  }

  async graphAt(at?: IsoTime, scope: Scope = {}): Promise<GraphSnapshot> {
    const filters: string[] = ['recorded = 1'];
    const params: string[] = [];
    if (scope.accountId) {
      filters.push('account_id = ?');
      params.push(scope.accountId);
    }
    if (scope.awsRegion) {
      filters.push('aws_region = ?');
      params.push(scope.awsRegion);
    }
    const keys = (this.stmt(`SELECT key FROM resources WHERE ${filters.join(' AND ')}`).all(...params) as Row[]).map(
      (r) => r.key as string,
    );
    const nodes = this.nodesAtSync(keys, at).filter((n) => n.status !== 'NotYetRecorded' && !isDeletedStatus(n.status));
    const present = new Set(nodes.map((n) => n.key));
    const edges = (await this.edgesTouching([...present], at)).filter((e) => present.has(e.source) && validAt(e, at));
    const placeholderKeys = [...new Set(edges.map((e) => e.target).filter((t) => !present.has(t)))];
    const extra = this.nodesAtSync(placeholderKeys, at).filter((n) => !n.recorded);
    for (const n of extra) present.add(n.key);
    const kept = edges.filter((e) => present.has(e.target)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const snapshot: GraphSnapshot = { nodes: [...nodes, ...extra].sort(compareNodes), edges: kept };
    if (at) snapshot.at = at;
    return snapshot;
  }

  async diff(from: IsoTime, to: IsoTime, scope: Scope = {}): Promise<GraphDiff> {
    if (from > to) throw new InvalidInputError(`"from" (${from}) is after "to" (${to})`, 'from ≤ to');
    return diffSnapshots(from, to, await this.graphAt(from, scope), await this.graphAt(to, scope));
  }

  async path(a: ResourceRef, b: ResourceRef, opts: PathOptions = {}): Promise<PathResult> {
    const maxDepth = opts.maxDepth ?? 6;
    if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 10)
      throw new InvalidInputError(`maxDepth ${maxDepth} is out of range`, 'an integer from 1 to 10');
    const o: { at?: IsoTime; maxDepth: number } = { maxDepth };
    if (opts.at) o.at = opts.at;
    return pathBetween(this, this.resolveRef(a), this.resolveRef(b), o);
  }

  async stats(): Promise<StoreStats> {
    const one = (sql: string) => (this.stmt(sql).get() as Row).n as number;
    const group = (col: string) =>
      Object.fromEntries(
        (
          this.stmt(
            `SELECT ${col} AS k, count(*) AS n FROM resources WHERE recorded = 1 GROUP BY ${col} ORDER BY ${col}`,
          ).all() as Row[]
        ).map((r) => [r.k as string, r.n as number]),
      );
    const stats: StoreStats = {
      resources: one('SELECT count(*) AS n FROM resources WHERE recorded = 1'),
      placeholders: one('SELECT count(*) AS n FROM resources WHERE recorded = 0'),
      versions: one('SELECT count(*) AS n FROM versions'),
      edges: one('SELECT count(*) AS n FROM edges'),
      runs: one('SELECT count(*) AS n FROM runs'),
      byType: group('resource_type'),
      byAccount: group('account_id'),
      byRegion: group('aws_region'),
    };
    const last = (await this.runs())[0];
    if (last) stats.lastRun = last;
    return stats;
  }

  async runs(): Promise<RunRecord[]> {
    return (this.stmt('SELECT body FROM runs ORDER BY seq DESC').all() as Row[]).map(
      (r) => JSON.parse(r.body as string) as RunRecord,
    );
  }

  async canonicalExport(): Promise<CanonicalExport> {
    const keys = (this.stmt('SELECT key FROM resources ORDER BY key').all() as Row[]).map((r) => r.key as string);
    const resources = this.nodesAtSync(keys);
    const versions = (this.stmt('SELECT body FROM versions').all() as Row[])
      .map(rowToVersion)
      .sort((a, b) => (a.key !== b.key ? (a.key < b.key ? -1 : 1) : compareVersions(a, b)))
      .map(({ source: _s, runId: _r, ...rest }) => rest as ResourceVersion);
    const edges = (this.stmt('SELECT * FROM edges ORDER BY id').all() as Row[]).map(rowToEdge);
    return { resources, versions, edges };
  }

  async versionsOfType(resourceType: string, scope: TypeScope = {}): Promise<ResourceVersions[]> {
    return versionsOfTypeSqlite(this.db, resourceType, scope);
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqliteStore(
  path: string,
  opts: { onMigrated?: (report: MigrationReport) => void } = {},
): SqliteStore {
  return new SqliteStore(path, opts);
}

export { keyOf };
