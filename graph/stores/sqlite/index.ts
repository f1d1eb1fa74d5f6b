// The embedded store: the GraphStore port over better-sqlite3. Only this folder speaks SQL; every rule
// of the model comes from the pure functions in graph/.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../errors.ts';
import { keyOf } from '../../identity.ts';
import { rebuildPlan } from '../../ingest/derived.ts';
import { preparedPlan } from '../../ingest/plan.ts';
import type { EarlyWrites } from '../../ingest/writes.ts';
import { preparationFor, type RunPreparation } from '../../ingest/prepare.ts';
import { runPlanSync } from '../../ingest/reads.ts';
import type {
  ChangeEvent,
  DownloadedObject,
  FileDigest,
  GraphEdge,
  IsoTime,
  ListedObject,
  ResourceKey,
  ResourceNode,
  ResourceVersion,
  RunRecord,
  Scope,
} from '../../model.ts';
import { compareNodes } from '../../nodes.ts';
import { canonicalExportOf } from '../../queries/canonical-export.ts';
import { diffOfChanges, type ChangeReader } from '../../queries/diff-of.ts';
import { graphEdgeOf, type EdgeFields } from '../../queries/edge-of.ts';
import { graphAtOf, pagesOfSnapshot, snapshotOfPages } from '../../queries/graph-at.ts';
import { historyOf, type EdgeNaming } from '../../queries/history-of.ts';
import { checkDiffRange } from '../../queries/ranges.ts';
import { resolveRef } from '../../queries/refs.ts';
import { resourceViewOf } from '../../queries/resource-view.ts';
import { rankMatches, searchHits, searchLimit } from '../../queries/search-rank.ts';
import { failedRun, startingCounts } from '../../runs.ts';
import { searchExcludedType, type TermKind } from '../../search-terms.ts';
import type {
  CanonicalExport,
  GraphDiff,
  GraphPage,
  GraphSnapshot,
  GraphStore,
  IngestAhead,
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
import type { PurposeView } from '../../views.ts';
import { neighborhoodByRef, pathByRef, resolvingFirst, viewByRef } from '../../queries/by-reference.ts';
import { compareVersions, versionAt } from '../../versions.ts';
import { VERSION_COLUMNS } from './bodies.ts';
import {
  EDGE,
  edgeOfRow,
  inForce,
  nodeOfRow,
  pagesOfRead,
  readGraphAt,
  RESOURCE_COLUMNS,
  streamGraphAtOn,
  type EdgeRow,
  type ResourceRow,
} from './graph-at.ts';
import { sqliteChangeReader, sqliteChanges } from './changes.ts';
import { foldLogLeftByReaders } from './fold-log.ts';
import { HEAD_COLUMNS, headsByKey, type HeadRow } from './heads.ts';
import { importedFiles, importedObjects, writeImportedFiles, writeImportedObjects } from './imported-files.ts';
import {
  insertRun,
  NAMING,
  removeUnusedPlaceholders,
  sqliteReads,
  versionsOfRows,
  writeDerived,
  writeRun,
} from './ingest.ts';
import type { MigrationReport } from '../migrations.ts';
import { containsGlob, TRIGRAM } from './search-index.ts';
import { SCHEMA_VERSION, upgradeSqlite } from './upgrade.ts';
import { versionsOfTypeSqlite } from './versions-of-type.ts';
import { WriterThread, type RunOnThread } from './writer-thread.ts';
import { fileDigestId } from '../../file-digest.ts';

type Row = Record<string, unknown>;
type Db = Database.Database;

const CHUNK = 400;
const chunks = <T>(xs: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};
const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

const rowToEdge = (r: unknown) => graphEdgeOf(r as EdgeFields);

/**
 * The page cache of a connection that writes: 64 MiB. SQLite's default (2 MiB) is far smaller than the
 * indexes one run touches, so a large run spilled pages into the write-ahead log mid-transaction and read them
 * back (docs/benchmarks.md, "Ingest plan, second pass"). Bounded, so an import's peak RSS stays bounded too.
 */
export const WRITER_CACHE_PRAGMA = 'cache_size = -65536';
/**
 * A whole `graphAt` or `diff` maps the store file (up to 1 GiB of it) instead of reading it page by page into
 * a cache: it reads some 30,000 pages at large on a connection opened for it, whose cache starts cold, and
 * mapping them cut its CPU by about a tenth (docs/benchmarks.md, "Whole-estate reads on connections of
 * their own"). The pages it touches count in the process's resident memory while the connection is open
 * (some 370 MiB at large, file pages the system can drop), so only reads that close their connection as soon
 * as they have read map the file: not a stream, which an export holds for seconds, several at once, nor a
 * connection that writes, whose mapped pages would count in an import's peak memory.
 */
export const READ_MMAP_PRAGMA = 'mmap_size = 1073741824';
/** SQLite's default page cache (2 MiB), for a connection whose runs the writer thread writes. */
const READER_CACHE_PRAGMA = 'cache_size = -2000';

export class SqliteStore implements GraphStore, ChangeReader {
  private readonly db: Db;
  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once, reused: preparing inside ingest loops dominated import time. */
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /** What opening did to the store's schema (S3): the steps run, if any. */
  readonly migration: MigrationReport;
  private readonly release: (() => void) | undefined;

  /**
   * Opens (or creates) the store at `location`. An older store is migrated first (S3) and `onMigrated` hears
   * about it; an up-to-date store is opened without writing anything. `readonly` opens an existing store at
   * this schema for reading only (open.ts checks that first); `release` runs when the store is closed.
   */
  constructor(
    readonly location: string,
    opts: SqliteOpenOptions = {},
  ) {
    const path = location;
    let report: MigrationReport;
    let db: Db | undefined;
    try {
      if (opts.readonly) {
        db = new Database(path, { readonly: true, fileMustExist: true });
        this.db = db;
        report = { store: path, from: SCHEMA_VERSION, to: SCHEMA_VERSION, steps: [], applied: false };
      } else {
        if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
        db = new Database(path);
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        db.pragma(WRITER_CACHE_PRAGMA);
        this.db = db;
        // Steps whose rules for derived rows changed rebuild them through this store (S5).
        report = upgradeSqlite(db, path, { derived: { rebuild: () => this.rebuildDerived() } });
      }
    } catch (e) {
      db?.close();
      if (e instanceof StoreUnavailableError) throw e;
      throw new StoreUnavailableError(`cannot open the SQLite store at ${path}: ${(e as Error).message}`, { cause: e });
    }
    this.migration = report;
    this.release = opts.release;
    this.writeOffThread = opts.writerThread === true && !opts.readonly && path !== ':memory:';
    this.threadFromItems = opts.writerThreadFromItems ?? 0;
    if (report.from !== null && report.applied) opts.onMigrated?.(report);
  }

  // ---------------------------------------------------------------- ingest

  /** The plan's reads, answered inside the run's transaction. */
  private readonly reads = sqliteReads((sql) => this.stmt(sql));

  /** `ahead.preparation`: this run's read-free part when the import prepared it (graph/ingest/prepare.ts). */
  async ingest(run: RunInput, ahead?: IngestAhead): Promise<RunRecord> {
    const preparation = preparationFor(run, ahead?.preparation);
    if (this.writeOffThread && (this.writerThread || this.itemsInProcess + run.items.length >= this.threadFromItems))
      return this.ingestOffThread(run, preparation);
    this.itemsInProcess += run.items.length;
    const id = preparation.id;
    const startedAt = run.startedAt ?? new Date().toISOString();
    const stmt = (sql: string) => this.stmt(sql);
    this.resourceCount = undefined;
    try {
      return this.db.transaction(() => {
        const writes = runPlanSync(preparedPlan(run, preparation.get(), startedAt), this.reads);
        writeRun(stmt, writes);
        writeImportedFiles(stmt, writes);
        return writes.run;
      })();
    } catch (e) {
      this.recordFailure(failedRun(id, run, startedAt, e));
      throw e;
    }
  }

  /** The transaction rolled back: record the failure on its own so `runs` tells the story (R1). */
  private recordFailure(record: RunRecord): void {
    try {
      insertRun((sql) => this.stmt(sql), record);
    } catch {
      /* the store itself is failing; the original error says why */
    }
  }

  /** Whether `ingest` writes on the writer thread (SqliteOpenOptions.writerThread). */
  get ingestsOffThread(): boolean {
    return this.writeOffThread;
  }
  private readonly writeOffThread: boolean;
  /** SqliteOpenOptions.writerThreadFromItems, and the items of the runs written in-process before the thread. */
  private readonly threadFromItems: number;
  private itemsInProcess = 0;
  /** Whether the writer thread has started (writerThreadFromItems reached): every run from then on is written on it. */
  get writerThreadStarted(): boolean {
    return this.writerThread !== undefined;
  }
  /** How the writer thread ended (0: asked to, by `close`); undefined while it runs, or when it never started. */
  get writerThreadExitCode(): number | undefined {
    return this.writerThread?.exitCode;
  }
  /** The writer thread's CPU time so far (ms), for benches; 0 when runs are written in-process. */
  get writerThreadCpuMs(): number {
    return this.writerThread?.cpuMs ?? 0;
  }
  private writerThread: WriterThread | undefined;
  /** The run the writer thread is writing, until it is committed or rolled back. */
  private inFlight: InFlight | undefined;

  /**
   * A run planned here, on a read transaction that sees every run before it committed, and written by the
   * writer thread (./writer-thread.ts): the same rows as `ingest` writes in-process.
   */
  private async ingestOffThread(run: RunInput, preparation: RunPreparation): Promise<RunRecord> {
    // One run at a time, planned once the one before is committed; sent at once when none is in flight, so
    // a caller that closes the store right after calling ingest finds the run in flight.
    while (this.inFlight) await this.inFlight.done.catch(() => {});
    // Awaited where `run` is out of scope: its items are garbage while the thread writes (the caller parses
    // the next run meanwhile, and two runs' items would double the import's peak memory).
    return this.committed(this.sendRun(run, preparation));
  }

  private async committed({ record, done, failure }: ReturnType<SqliteStore['sendRun']>): Promise<RunRecord> {
    try {
      await done;
      return record;
    } catch (e) {
      this.recordFailure(failure(e));
      throw e;
    } finally {
      // (Another caller's run may be in flight by now.)
      if (this.inFlight?.done === done) this.inFlight = undefined;
      this.resourceCount = undefined;
    }
  }

  private startWriterThread(): WriterThread {
    // This connection only reads from now on, and every commit of the writer thread empties its cache anyway.
    this.db.pragma(READER_CACHE_PRAGMA);
    return new WriterThread({ path: this.location, cachePragma: WRITER_CACHE_PRAGMA });
  }

  /**
   * Plans a run and hands its writes to the thread, its versions as soon as they are final (the thread
   * compresses and inserts them while the rest is planned); nothing of the run's items is held while it writes.
   */
  private sendRun(
    run: RunInput,
    preparation: RunPreparation,
  ): { record: RunRecord; done: Promise<void>; failure: (e: unknown) => RunRecord } {
    const id = preparation.id;
    const startedAt = run.startedAt ?? new Date().toISOString();
    const counts = startingCounts(run);
    const bare: RunInput = { ...run, items: [] };
    const failure = (e: unknown): RunRecord => ({ ...failedRun(id, bare, startedAt, e), counts });
    const thread = (this.writerThread ??= this.startWriterThread());
    let begun: RunOnThread | undefined;
    const hooks = { versionsKnown: (early: EarlyWrites) => (begun = thread.begin(early)) };
    let writes;
    try {
      writes = this.db.transaction(() =>
        runPlanSync(preparedPlan(run, preparation.get(), startedAt, hooks), this.reads),
      )();
    } catch (e) {
      if (!begun) {
        this.recordFailure(failure(e));
        throw e;
      }
      // The thread holds the write lock until it has rolled back what it was sent: `committed` records the
      // failure after that.
      begun.abort();
      const planFailed = (): never => {
        throw e;
      };
      const failed = begun.done.then(planFailed, planFailed);
      this.inFlight = { files: [], done: failed };
      return { record: failure(e), done: failed, failure };
    }
    const sent = begun ?? thread.begin(writes);
    sent.finish(writes);
    const done = sent.done;
    this.inFlight = { files: writes.files, done };
    return { record: writes.run, done, failure };
  }
  /**
   * Rewrites every recorded resource's derived rows from its stored versions, as an import would write
   * them today: a schema step whose rules for edges or search terms changed runs this (S5), inside its
   * transaction. Placeholders no edge names any more are removed, as after a run.
   */
  rebuildDerived(): void {
    this.resourceCount = undefined;
    const stmt = (sql: string) => this.stmt(sql);
    const keys = (this.stmt('SELECT key FROM resources WHERE recorded = 1 ORDER BY key').all() as Row[]).map(
      (r) => r.key as string,
    );
    writeDerived(stmt, runPlanSync(rebuildPlan(keys), this.reads));
    removeUnusedPlaceholders(stmt);
  }

  private allVersions(key: ResourceKey): ResourceVersion[] {
    return (this.reads.allVersions([key]).get(key) ?? []).sort(compareVersions);
  }

  // ---------------------------------------------------------------- references

  /** A resource id, an ARN, a key or (when nothing else matches) a name (Q1). */
  resolveRef(ref: ResourceRef): Promise<ResourceKey> {
    const matches = (rows: unknown[]) =>
      (rows as Row[]).map((r) => ({ key: r.key as string, recorded: r.recorded === 1 }));
    return resolveRef(ref, {
      hasKey: (key) => this.stmt('SELECT 1 FROM resources WHERE key = ?').get(key) !== undefined,
      byIdOrArn: (v) =>
        matches(this.stmt('SELECT key, recorded FROM resources WHERE resource_id = ? OR arn = ?').all(v, v)),
      byName: (v) => matches(this.stmt('SELECT key, recorded FROM resources WHERE resource_name = ?').all(v)),
    });
  }

  // ---------------------------------------------------------------- GraphReader

  async nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]> {
    return this.nodesAtSync(keys, at);
  }

  /**
   * From a quarter of the store's resources, a read by key scans whole tables once instead: lists of keys
   * cost an index lookup per key and per edge end, which made whole-estate `graphAt` take seconds.
   */
  private manyKeys(n: number): boolean {
    if (n === 0) return false;
    // Counted once per store and again after each run here: a count by another writer since only makes
    // the choice less apt, never the answer different.
    this.resourceCount ??= (this.stmt('SELECT count(*) AS n FROM resources').get() as Row).n as number;
    return n * 4 >= this.resourceCount;
  }
  private resourceCount: number | undefined;

  private nodesAtSync(keys: ResourceKey[], at?: IsoTime): ResourceNode[] {
    return this.nodesAtTimes(keys, [at])[0]!;
  }

  /** The nodes of these keys at each of these times (sorted by key), their rows read once for all. */
  private nodesAtTimes(keys: ResourceKey[], times: (IsoTime | undefined)[]): ResourceNode[][] {
    const wanted = [...new Set(keys)];
    const out: ResourceNode[][] = times.map(() => []);
    const add = (rows: ResourceRow[], heads: Iterable<HeadRow>) => {
      const versions = headsByKey(heads);
      times.forEach((at, i) => {
        for (const r of rows) out[i]!.push(nodeOfRow(r, versions.get(r.key) ?? [], at));
      });
    };
    if (!this.manyKeys(wanted.length)) {
      for (const part of chunks(wanted)) {
        const rows = this.stmt(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE key IN (${marks(part.length)})`).all(
          ...part,
        ) as ResourceRow[];
        const heads = this.stmt(`SELECT ${HEAD_COLUMNS} FROM versions WHERE key IN (${marks(part.length)})`)
          .raw(true)
          .all(...part) as HeadRow[];
        add(rows, heads);
      }
    } else {
      const set = new Set(wanted);
      const rows = (this.stmt(`SELECT ${RESOURCE_COLUMNS} FROM resources`).all() as ResourceRow[]).filter((r) =>
        set.has(r.key),
      );
      const heads = this.stmt(`SELECT ${HEAD_COLUMNS} FROM versions`).raw(true).iterate() as Iterable<HeadRow>;
      add(
        rows,
        (function* () {
          for (const h of heads) if (set.has(h[0])) yield h;
        })(),
      );
    }
    return out.map((nodes) => nodes.sort(compareNodes));
  }

  async edgesTouching(keys: ResourceKey[], at?: IsoTime): Promise<GraphEdge[]> {
    const { where: time, params: tp } = inForce(at);
    const wanted = [...new Set(keys)];
    if (this.manyKeys(wanted.length)) {
      const set = new Set(wanted);
      const out: GraphEdge[] = [];
      // Rows as arrays, and an edge built only for those kept: this reads every edge in force.
      for (const r of this.stmt(`SELECT ${EDGE} FROM edges WHERE ${time}`)
        .raw(true)
        .iterate(...tp) as Iterable<EdgeRow>) {
        if (set.has(r[1]) || set.has(r[2])) out.push(edgeOfRow(r));
      }
      return out;
    }
    const seen = new Map<string, GraphEdge>();
    for (const part of chunks(wanted)) {
      for (const col of ['source', 'target']) {
        const rows = this.stmt(`SELECT ${EDGE} FROM edges WHERE ${col} IN (${marks(part.length)}) AND ${time}`).all(
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
    const key = await this.resolveRef(ref);
    return resourceViewOf(this, key, this.allVersions(key), opts.at);
  }

  async versionsInForce(keys: ResourceKey[], at?: IsoTime): Promise<ResourceVersion[]> {
    // Only the rows captured last at or before `at`, per resource: ties on that time (rare) are ordered as
    // versionAt orders them, here. Every other version, and its configuration, stays unread.
    const upTo = at === undefined ? '' : ' AND w.capture_time <= ?';
    const found = new Map<ResourceKey, ResourceVersion[]>();
    for (const part of chunks([...new Set(keys)])) {
      const rows = this.stmt(
        `SELECT ${VERSION_COLUMNS} FROM versions v WHERE v.key IN (${marks(part.length)})
           AND v.capture_time = (SELECT max(w.capture_time) FROM versions w WHERE w.key = v.key${upTo})`,
      ).all(...part, ...(at === undefined ? [] : [at]));
      for (const v of versionsOfRows(rows)) {
        const list = found.get(v.key);
        if (list) list.push(v);
        else found.set(v.key, [v]);
      }
    }
    return keys.flatMap((k) => versionAt((found.get(k) ?? []).sort(compareVersions)) ?? []);
  }

  async versionsOf(ref: ResourceRef): Promise<ResourceVersion[]> {
    return this.allVersions(await this.resolveRef(ref));
  }

  async history(ref: ResourceRef): Promise<ResourceHistory> {
    const key = await this.resolveRef(ref);
    return historyOf(key, this.nodesAtSync([key])[0]!, this.allVersions(key), {
      edgesFrom: (k) =>
        this.stmt(`SELECT target, ${NAMING} FROM edges WHERE source = ? ORDER BY valid_from, id`).all(
          k,
        ) as EdgeNaming[],
      candidates: (lookups) => this.reads.candidates(lookups),
      eventsNaming: (names) =>
        (
          this.stmt(
            `SELECT DISTINCT e.body FROM events e JOIN event_resources r ON r.event_id = e.event_id WHERE r.resource IN (${marks(names.length)})`,
          ).all(...names) as Row[]
        ).map((r) => JSON.parse(r.body as string) as ChangeEvent),
    });
  }

  /** Neighbourhoods and views: the reference resolved, then the traversal over this store's reads. */
  private readonly byRef = resolvingFirst(this, (r) => this.resolveRef(r));

  async neighborhood(ref: ResourceRef, opts: NeighborhoodOptions = {}): Promise<Neighborhood> {
    return neighborhoodByRef(this.byRef, ref, opts);
  }

  async view(ref: ResourceRef, opts: ViewOptions): Promise<PurposeView> {
    return viewByRef(this.byRef, ref, opts);
  }

  async search(q: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const query = q.trim();
    if (!query) return [];
    const limit = searchLimit(opts);
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
    const excluded = searchExcludedType(opts.type); // in the query, before its LIMIT (C5)
    if (excluded) {
      filters.push('r.resource_type <> ?');
      filterParams.push(excluded);
    }
    const where = filters.map((f) => `AND ${f}`).join(' ');
    const lower = query.toLowerCase();
    // Exact and prefix matches (the best ranked) come from the index; the substring scan only tops up.
    let rows = this.stmt(
      `SELECT t.key, t.kind, t.value FROM terms t JOIN resources r ON r.key = t.key
       WHERE t.value_lower >= ? AND t.value_lower < ? ${where} LIMIT 5000`,
    ).all(lower, `${lower}\uffff`, ...filterParams) as Row[];
    if (new Set(rows.map((r) => r.key)).size < limit) {
      // Substrings from the trigram index (schema step 5); a query too short for a trigram scans the terms.
      rows = (
        lower.length >= TRIGRAM
          ? this.stmt(
              `SELECT t.key, t.kind, t.value FROM terms_text f JOIN terms t ON t.id = f.rowid JOIN resources r ON r.key = t.key
               WHERE f.value_lower GLOB ? ${where} LIMIT 5000`,
            ).all(containsGlob(lower), ...filterParams)
          : this.stmt(
              `SELECT t.key, t.kind, t.value FROM terms t JOIN resources r ON r.key = t.key
               WHERE t.value_lower LIKE ? ESCAPE '\\' ${where} LIMIT 5000`,
            ).all(`%${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, ...filterParams)
      ) as Row[];
    }
    const ranked = rankMatches(
      rows.map((r) => ({ key: r.key as string, term: { kind: r.kind as TermKind, value: r.value as string } })),
      query,
      limit,
    );
    return searchHits(ranked, this.nodesAtSync(ranked.map((r) => r.key)));
  }

  /**
   * Whether a scope's recorded resources are enough of the store to read it whole; when they are not, their
   * keys (counted first: listing a whole estate's keys only to count them cost more than the count).
   */
  private scopeKeys(scope: Scope): { keys: ResourceKey[]; whole: boolean } {
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
    const where = filters.join(' AND ');
    const count = this.stmt(`SELECT count(*) FROM resources WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    if (this.manyKeys(count)) return { keys: [], whole: true };
    const keys = this.stmt(`SELECT key FROM resources WHERE ${where}`)
      .pluck()
      .all(...params) as ResourceKey[];
    return { keys, whole: false };
  }

  async graphAt(at?: IsoTime, scope: Scope = {}): Promise<GraphSnapshot> {
    const { keys, whole } = this.scopeKeys(scope);
    return whole ? snapshotOfPages(this.wholeGraphPages(at, scope), at) : graphAtOf(this, keys, at);
  }

  /**
   * A whole estate (or much of it) in a file is read page by page on a read-only connection of its own
   * (streamGraphAtOn), so an export holds a page of edges rather than the estate's, and this connection,
   * which writes, stays free meanwhile; the stream closes it when it ends or is abandoned (`return`). A
   * `:memory:` store, which no second connection can see, reads it whole, as graphAt does.
   */
  async *streamGraphAt(at?: IsoTime, scope: Scope = {}): AsyncGenerator<GraphPage> {
    const { keys, whole } = this.scopeKeys(scope);
    if (!whole) yield* pagesOfSnapshot(await graphAtOf(this, keys, at));
    else if (this.location === ':memory:') yield* this.wholeGraphPages(at, scope);
    else {
      const pages = streamGraphAtOn(() => this.readConnection(false), at, scope);
      this.streams.add(pages);
      try {
        yield* pages;
      } finally {
        this.streams.delete(pages);
      }
    }
  }
  /** The streamed reads under way, each holding its connection until it ends; closing the store ends them. */
  private readonly streams = new Set<Generator<GraphPage>>();

  /**
   * A connection that only reads, for one whole-estate read (a streamed graph, a whole `graphAt`, a `diff`),
   * closed by its reader; `mapped` maps the file (READ_MMAP_PRAGMA) for a read that closes it at once.
   */
  private readConnection(mapped: boolean): Db {
    let db: Db | undefined;
    try {
      db = new Database(this.location, { readonly: true, fileMustExist: true });
      if (mapped) db.pragma(READ_MMAP_PRAGMA);
      return db;
    } catch (e) {
      db?.close();
      throw new StoreUnavailableError(`cannot read the SQLite store at ${this.location}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /**
   * A whole estate (or much of it) read in one transaction, so its three scans agree; paged afterwards. A store
   * in a file is read on a connection of its own (readConnection), closed once read; a `:memory:` store,
   * which no second connection can see, on its own connection.
   */
  private wholeGraphPages(at: IsoTime | undefined, scope: Scope): Generator<GraphPage> {
    if (this.location === ':memory:')
      return pagesOfRead(this.db.transaction(() => readGraphAt((sql) => this.stmt(sql), at, scope))());
    const db = this.readConnection(true);
    try {
      return pagesOfRead(db.transaction(() => readGraphAt((sql) => db.prepare(sql), at, scope))());
    } finally {
      db.close();
    }
  }

  /**
   * Read from the changes (graph/queries/diff-of.ts). A store in a file is read in one read transaction on a
   * connection of its own (readConnection, mapping the file), so every read of the diff is of one snapshot
   * whatever is committed meanwhile; a `:memory:` store on its own connection.
   */
  async diff(from: IsoTime, to: IsoTime, scope: Scope = {}): Promise<GraphDiff> {
    checkDiffRange(from, to);
    if (this.location === ':memory:') return diffOfChanges(this, from, to, scope);
    const db = this.readConnection(true);
    try {
      db.exec('BEGIN');
      return await diffOfChanges(
        sqliteChangeReader((sql) => db.prepare(sql)),
        from,
        to,
        scope,
      );
    } finally {
      db.close(); // the read transaction is let go with it
    }
  }

  // The reads of a diff from the changes (./changes.ts).
  private readonly changes = sqliteChanges((sql) => this.stmt(sql));
  nodesAtBoth(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<[ResourceNode[], ResourceNode[]]> {
    return this.changes.nodesAtBoth(keys, from, to);
  }
  resourcesChangedAfter(from: IsoTime): Promise<ResourceKey[]> {
    return this.changes.resourcesChangedAfter(from);
  }
  edgesChangedBetween(from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
    return this.changes.edgesChangedBetween(from, to);
  }
  edgesTouchingBetween(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
    return this.changes.edgesTouchingBetween(keys, from, to);
  }
  twinsInForce(from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
    return this.changes.twinsInForce(from, to);
  }

  async path(a: ResourceRef, b: ResourceRef, opts: PathOptions = {}): Promise<PathResult> {
    return pathByRef(this, (r) => this.resolveRef(r), a, b, opts);
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
    const keys = (this.stmt('SELECT key FROM resources').all() as Row[]).map((r) => r.key as string);
    return canonicalExportOf(
      this.nodesAtSync(keys),
      versionsOfRows(this.stmt(`SELECT ${VERSION_COLUMNS} FROM versions v`).all()),
      this.stmt(`SELECT ${EDGE} FROM edges`).all().map(rowToEdge),
    );
  }

  async versionsOfType(resourceType: string, scope: TypeScope = {}): Promise<ResourceVersions[]> {
    return versionsOfTypeSqlite(this.db, resourceType, scope);
  }

  async importedFiles(files: FileDigest[]): Promise<FileDigest[]> {
    const stored = importedFiles((sql) => this.stmt(sql), files);
    const writing = this.inFlight?.files;
    if (!writing?.length) return stored;
    // The run on the writer thread counts as stored: an import asks before its runs are all committed.
    const ids = new Set(writing.map(fileDigestId));
    const found = new Set(stored);
    return files.filter((f) => found.has(f) || ids.has(fileDigestId(f)));
  }

  async importedObjects(objects: ListedObject[]): Promise<ListedObject[]> {
    return importedObjects((sql) => this.stmt(sql), objects);
  }

  async recordImportedObjects(objects: DownloadedObject[]): Promise<number> {
    return this.db.transaction(() => writeImportedObjects((sql) => this.stmt(sql), objects))();
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    try {
      // A run being written is committed first (as an in-process run would have been before close was called).
      while (this.inFlight) await this.inFlight.done.catch(() => {});
      await this.writerThread?.close();
      // A stream abandoned without being ended (an export whose edges were never asked for) lets go here.
      for (const pages of this.streams) pages.return(undefined);
      this.streams.clear();
      if (this.db.open) this.db.close();
      if (this.db.readonly && this.location !== ':memory:') foldLogLeftByReaders(this.location);
    } finally {
      this.release?.();
    }
  }
}

/** A run on the writer thread: its files (an import asks about them) and its commit. */
interface InFlight {
  files: FileDigest[];
  done: Promise<unknown>;
}

export interface SqliteOpenOptions {
  onMigrated?: (report: MigrationReport) => void;
  readonly?: boolean;
  release?: () => void;
  /**
   * Runs written on a writer thread (./writer-thread.ts), so that an import parses its next run meanwhile:
   * `configgraph import` and the bench. A `:memory:` store cannot be shared with a thread and writes in-process.
   */
  writerThread?: boolean;
  /**
   * With `writerThread`, the thread starts with the run that brings the items of this store's runs to at least
   * this many (default 0: the first run); the runs before it are written in-process, every run from it on the
   * thread. Starting the thread costs more than it saves for a small import (`configgraph import` sets it;
   * server/cli/common.ts).
   */
  writerThreadFromItems?: number;
}

export function openSqliteStore(path: string, opts: SqliteOpenOptions = {}): SqliteStore {
  return new SqliteStore(path, opts);
}

export { keyOf };
