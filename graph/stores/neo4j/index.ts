// The Neo4j store: the GraphStore port over neo4j-driver. Only this folder speaks Cypher; every rule of
// the model comes from the pure functions in graph/, so answers match the SQLite store exactly.
import { randomUUID } from 'node:crypto';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { eventNamesOf, historyEntries } from '../../history.ts';
import { effectiveRelationships, validAt } from '../../edges.ts';
import { AmbiguousRefError, InvalidInputError, NotFoundError, StoreUnavailableError } from '../../errors.ts';
import { diffSnapshots } from '../../graph-diff.ts';
import { looksLikeKey, parseKey } from '../../identity.ts';
import type {
  ChangeEvent,
  GraphEdge,
  IsoTime,
  RawRelationship,
  ResourceKey,
  ResourceNode,
  ResourceVersion,
  RunRecord,
  Scope,
} from '../../model.ts';
import { failedRun, incomingVersions } from '../../runs.ts';
import { compareNodes, existsAt, nodeAt, placeholderNode } from '../../nodes.ts';
import { targetLookup, type TargetCandidate } from '../../resolve.ts';
import { searchHit, searchSkips, termScore, type SearchTerm, type TermKind } from '../../search-terms.ts';
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
import { compareVersions, DELETED_STATUSES, isDeletedStatus, versionAt } from '../../versions.ts';
import { parseViewKind, purposeViewOf, type PurposeView } from '../../views.ts';
import {
  applyRun,
  candidatesFor,
  checkItems,
  insertRun,
  rebuildDerived,
  resolveWith,
  versionsOfKeys,
} from './ingest.ts';
import { batches } from './names.ts';
import { rows, versionFromProps, type Row, type Runner } from './query.ts';
import type { MigrationReport } from '../migrations.ts';
import type { CypherRunner } from './migrations.ts';
import { upgradeNeo4j } from './upgrade.ts';
import { versionsOfTypeNeo4j } from './versions-of-type.ts';

export interface Neo4jStoreOptions {
  uri: string;
  user?: string;
  password?: string;
  /** Database name; default: the server's default database. */
  database?: string;
}

/** The URI without credentials, for messages. */
function describeUri(uri: string): string {
  return uri.replace(/\/\/[^/@]*@/, '//');
}

function rowToEdge(r: Row): GraphEdge {
  const p = r.e as Row;
  const e: GraphEdge = {
    id: p.id as string,
    source: r.source as string,
    target: r.target as string,
    name: p.name as string,
    type: p.type as string,
    origin: p.origin as GraphEdge['origin'],
    validFrom: p.validFrom as string,
    validTo: (p.validTo as string | undefined) ?? null,
  };
  if (p.rule) e.rule = p.rule as string;
  return e;
}

const byId = (a: GraphEdge, b: GraphEdge) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Neo4jStore implements GraphStore, GraphReader {
  private constructor(
    private readonly driver: Driver,
    private readonly opts: Neo4jStoreOptions,
  ) {}

  /** Connects and checks the server answers; nothing about the schema yet. */
  private static async connect(opts: Neo4jStoreOptions): Promise<Neo4jStore> {
    const auth = opts.user || opts.password ? neo4j.auth.basic(opts.user ?? 'neo4j', opts.password ?? '') : undefined;
    let driver: Driver;
    try {
      driver = neo4j.driver(opts.uri, auth, {
        disableLosslessIntegers: true,
        connectionTimeout: 10_000,
        maxTransactionRetryTime: 30_000,
        userAgent: 'configgraph',
      });
    } catch (e) {
      throw new StoreUnavailableError(`invalid Neo4j URI ${describeUri(opts.uri)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const store = new Neo4jStore(driver, opts);
    try {
      await driver.verifyConnectivity(opts.database ? { database: opts.database } : {});
    } catch (e) {
      await driver.close().catch(() => {});
      throw store.unavailable('cannot open the Neo4j store', e);
    }
    return store;
  }

  /** Sends one statement in its own transaction (schema steps cannot share one with data). */
  private readonly runCypher: CypherRunner = async (cypher, params = {}) =>
    (await this.driver.executeQuery(cypher, params, this.queryConfig())).records.map((r) => r.toObject());

  /** Brings the schema to this code's version (S3), or (dryRun) says what that would take. */
  private async upgrade(opts: { dryRun?: boolean } = {}): Promise<MigrationReport> {
    const target = `${describeUri(this.opts.uri)}${this.opts.database ? ` database ${this.opts.database}` : ''}`;
    try {
      return await upgradeNeo4j(this.runCypher, target, { ...opts, derived: { rebuild: () => this.rebuildDerived() } });
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      throw this.unavailable('cannot bring the Neo4j store to the current schema', e);
    }
  }

  /**
   * Rebuilds every recorded resource's derived rows from its versions (a schema step asks for it, S5):
   * in batches of resources, each its own transaction, so a large store never needs one huge transaction;
   * a batch that fails is simply rebuilt again by the next open (the step is recorded only once all are done).
   */
  private async rebuildDerived(): Promise<void> {
    const keys = (await this.runCypher('MATCH (r:Resource) WHERE r.recorded RETURN r.key AS key ORDER BY key')).map(
      (r) => r.key as string,
    );
    for (const batch of batches(keys, 500)) await this.write((tx) => rebuildDerived(tx, batch));
  }

  /** Connects, checks the server answers, and migrates an older schema (S3); `onMigrated` hears about it. */
  static async open(
    opts: Neo4jStoreOptions,
    hooks: { onMigrated?: (report: MigrationReport) => void } = {},
  ): Promise<Neo4jStore> {
    const store = await Neo4jStore.connect(opts);
    let report: MigrationReport;
    try {
      report = await store.upgrade();
    } catch (e) {
      await store.close().catch(() => {});
      throw e;
    }
    if (report.from !== null && report.applied) hooks.onMigrated?.(report);
    return store;
  }

  /** `configgraph migrate` (S6): reports the schema and the steps, and runs them unless dryRun. */
  static async migrate(opts: Neo4jStoreOptions, run: { dryRun?: boolean } = {}): Promise<MigrationReport> {
    const store = await Neo4jStore.connect(opts);
    try {
      return await store.upgrade(run);
    } finally {
      await store.close();
    }
  }

  private queryConfig(): { database?: string } {
    return this.opts.database ? { database: this.opts.database } : {};
  }

  private unavailable(what: string, e: unknown): StoreUnavailableError {
    const msg = (e as Error)?.message ?? String(e);
    return new StoreUnavailableError(
      `${what} at ${describeUri(this.opts.uri)}: ${msg}. Check that Neo4j is running and reachable there (Bolt port, usually 7687), ` +
        `that NEO4J_USER/NEO4J_PASSWORD are right${this.opts.database ? ` and that database "${this.opts.database}" exists` : ''}.`,
      { cause: e },
    );
  }

  private isConnectionError(e: unknown): boolean {
    const code = (e as { code?: string })?.code ?? '';
    return code === 'ServiceUnavailable' || code === 'SessionExpired' || code.startsWith('Neo.ClientError.Security.');
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ ...this.queryConfig(), defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(work);
    } catch (e) {
      throw this.isConnectionError(e) ? this.unavailable('Neo4j read failed', e) : e;
    } finally {
      await session.close();
    }
  }

  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ ...this.queryConfig(), defaultAccessMode: neo4j.session.WRITE });
    try {
      // Managed transaction: transient errors and dropped connections are retried by the driver. A run
      // that outgrows the server's transaction memory fails the same way every time: from a statement it
      // is not retried; at commit (outside the work function) the driver retries within its retry time.
      return await session.executeWrite(async (tx) => {
        try {
          return await work(tx);
        } catch (e) {
          throw this.tooLarge(e) ?? e;
        }
      });
    } catch (e) {
      throw this.tooLarge(e) ?? e;
    } finally {
      await session.close();
    }
  }

  private tooLarge(e: unknown): StoreUnavailableError | undefined {
    if (e instanceof StoreUnavailableError) return e;
    if ((e as { code?: string })?.code !== 'Neo.TransientError.General.MemoryPoolOutOfMemoryError') return undefined;
    return new StoreUnavailableError(
      `this run is too large for one transaction on the Neo4j server at ${describeUri(this.opts.uri)} (${(e as Error).message}). ` +
        'A run is written in one transaction so that it is all or nothing: give Neo4j more memory ' +
        '(server.memory.heap.max_size, dbms.memory.transaction.total.max) or import in several smaller runs ' +
        '(configgraph import --items-per-run N: each run is atomic, and together they give the same graph).',
      { cause: e },
    );
  }

  // ---------------------------------------------------------------- ingest

  async ingest(run: RunInput): Promise<RunRecord> {
    const id = randomUUID();
    const startedAt = run.startedAt ?? new Date().toISOString();
    try {
      checkItems(run);
      const incoming = incomingVersions(run, id);
      // One transaction per run: readers see the whole run or nothing of it (R1).
      return await this.write((tx) => applyRun(tx, id, run, incoming, startedAt));
    } catch (e) {
      // With the server gone there is nowhere to record the failure; say so at once.
      if (this.isConnectionError(e)) throw this.unavailable('the import was rolled back: Neo4j went away', e);
      const failed = failedRun(id, run, startedAt, e);
      try {
        await this.write((tx) => insertRun(tx, failed));
      } catch {
        /* the store itself is failing; the original error says why */
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- references

  /** A resource id, an ARN, a key or (when nothing else matches) a name; ambiguity is an error (Q1). */
  private async resolveRef(tx: Runner, ref: ResourceRef): Promise<ResourceKey> {
    const trimmed = ref.trim();
    if (!trimmed)
      throw new InvalidInputError('empty resource reference', 'a resource id, an ARN or a key account|region|type|id');
    if (looksLikeKey(trimmed) && (await rows(tx, 'MATCH (r:Resource {key: $k}) RETURN 1 AS x', { k: trimmed })).length)
      return trimmed;
    let found = await rows(
      tx,
      `CALL () { MATCH (r:Resource {resourceId: $ref}) USING INDEX r:Resource(resourceId) RETURN r UNION MATCH (r:Resource {arn: $ref}) USING INDEX r:Resource(arn) RETURN r }
       RETURN r.key AS key, r.recorded AS recorded`,
      { ref: trimmed },
    );
    if (!found.length)
      found = await rows(
        tx,
        'MATCH (r:Resource {resourceName: $ref}) USING INDEX r:Resource(resourceName) RETURN r.key AS key, r.recorded AS recorded',
        { ref: trimmed },
      );
    const recorded = found.filter((r) => r.recorded === true);
    const candidates = [...new Set((recorded.length ? recorded : found).map((r) => r.key as string))].sort();
    if (candidates.length === 0) throw new NotFoundError(trimmed);
    if (candidates.length > 1) throw new AmbiguousRefError(trimmed, candidates);
    return candidates[0]!;
  }

  // ---------------------------------------------------------------- GraphReader

  async nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]> {
    return this.read((tx) => this.nodesAtTx(tx, keys, at));
  }

  private async nodesAtTx(tx: Runner, keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]> {
    const out: ResourceNode[] = [];
    for (const part of batches([...new Set(keys)])) {
      // nodeAt reads the earliest version (T1) and the versions from the last one at or before `at` that
      // is not a deletion up to `at` (T3): only those are sent back, and without their configuration.
      const found = await rows(
        tx,
        `UNWIND $keys AS k MATCH (r:Resource {key: k})
         OPTIONAL MATCH (r)-[:HAS_VERSION]->(v:Version)
         WITH r, collect(v) AS all
         WITH r, all, [x IN all WHERE $at IS NULL OR x.captureTime <= $at] AS upTo,
              reduce(m = null, x IN all | CASE WHEN m IS NULL OR x.captureTime < m THEN x.captureTime ELSE m END) AS earliest
         WITH r, all, earliest,
              reduce(m = '', x IN upTo | CASE WHEN NOT x.status IN $deleted AND x.captureTime > m THEN x.captureTime ELSE m END) AS lastLive
         RETURN r.key AS key, r.recorded AS recorded, r.resourceName AS resourceName, r.accountId AS accountId,
                r.awsRegion AS awsRegion, r.resourceType AS resourceType, r.resourceId AS resourceId,
                [x IN all WHERE x.captureTime = earliest OR (($at IS NULL OR x.captureTime <= $at) AND x.captureTime >= lastLive) | x.body] AS bodies`,
        { keys: part, at: at ?? null, deleted: [...DELETED_STATUSES] },
      );
      for (const r of found) {
        const key = r.key as string;
        if (r.recorded !== true) {
          out.push(placeholderNode(key, (r.resourceName as string | null) ?? undefined));
          continue;
        }
        const versions = (r.bodies as string[]).map((b) => versionFromProps(b, null)).sort(compareVersions);
        const identity = {
          accountId: r.accountId as string,
          awsRegion: r.awsRegion as string,
          resourceType: r.resourceType as string,
          resourceId: r.resourceId as string,
        };
        out.push(nodeAt(key, identity, versions, at));
      }
    }
    return out.sort(compareNodes);
  }

  async edgesTouching(keys: ResourceKey[], at?: IsoTime): Promise<GraphEdge[]> {
    return this.read((tx) => this.edgesTouchingTx(tx, keys, at));
  }

  private async edgesTouchingTx(tx: Runner, keys: ResourceKey[], at?: IsoTime): Promise<GraphEdge[]> {
    const seen = new Map<string, GraphEdge>();
    const time = at ? 'e.validFrom <= $at AND (e.validTo IS NULL OR e.validTo > $at)' : 'e.validTo IS NULL';
    for (const part of batches([...new Set(keys)])) {
      const found = await rows(
        tx,
        `UNWIND $keys AS k MATCH (s:Resource {key: k})-[e]->(t:Resource) WHERE ${time}
         RETURN properties(e) AS e, s.key AS source, t.key AS target
         UNION
         UNWIND $keys AS k MATCH (s:Resource)-[e]->(t:Resource {key: k}) WHERE ${time}
         RETURN properties(e) AS e, s.key AS source, t.key AS target`,
        { keys: part, at: at ?? null },
      );
      for (const r of found) {
        const e = rowToEdge(r);
        seen.set(e.id, e);
      }
    }
    return [...seen.values()];
  }

  /** The GraphReader reads inside one transaction. */
  private readerIn(tx: Runner): GraphReader {
    return {
      edgesTouching: (keys, at) => this.edgesTouchingTx(tx, keys, at),
      nodesAt: (keys, at) => this.nodesAtTx(tx, keys, at),
    };
  }

  // ---------------------------------------------------------------- queries

  async resource(ref: ResourceRef, opts: { at?: IsoTime } = {}): Promise<ResourceView> {
    return this.read(async (tx) => {
      const key = await this.resolveRef(tx, ref);
      const known = new Map<ResourceKey, ResourceNode>();
      const edges = await liveEdgesTouching(this.readerIn(tx), [key], opts.at, known);
      const node = known.get(key) ?? (await this.nodesAtTx(tx, [key], opts.at))[0];
      const versions = (await versionsOfKeys(tx, [key], false)).get(key) ?? [];
      // T1: before its first capture, the first version describes it.
      const version = versionAt(versions, opts.at) ?? (node?.beforeFirstRecord ? versions[0] : undefined);
      const view: ResourceView = {
        node: node!,
        outgoing: edges.filter((e) => e.source === key).sort(byId),
        incoming: edges.filter((e) => e.target === key).sort(byId),
        existsAt: node!.recorded ? existsAt(version) : edges.length > 0,
      };
      if (version) view.version = version;
      return view;
    });
  }

  async versionsOf(ref: ResourceRef): Promise<ResourceVersion[]> {
    return this.read(async (tx) => {
      const key = await this.resolveRef(tx, ref);
      return (await versionsOfKeys(tx, [key], false)).get(key) ?? [];
    });
  }

  async history(ref: ResourceRef): Promise<ResourceHistory> {
    return this.read(async (tx) => {
      const key = await this.resolveRef(tx, ref);
      const identity = parseKey(key)!;
      const versions = (await versionsOfKeys(tx, [key], false)).get(key) ?? [];
      const rels = effectiveRelationships(identity.resourceType, versions);
      const [resource] = await this.nodesAtTx(tx, [key]);
      // Targets as the stored edges resolved them (any time), else as they would resolve now.
      const stored = new Map<string, string>();
      for (const r of await rows(
        tx,
        `MATCH (:Resource {key: $key})-[e]->(t:Resource) RETURN e.name AS name, e.origin AS origin, e.targetType AS targetType,
                e.targetId AS targetId, e.targetName AS targetName, t.key AS target ORDER BY e.validFrom, e.id`,
        { key },
      )) {
        const id = [r.origin, r.name, r.targetType, r.targetId ?? '', r.targetName ?? ''].join('\u0000');
        if (!stored.has(id)) stored.set(id, r.target as string);
      }
      const storedId = (r: RawRelationship) =>
        [r.origin, r.name, r.resourceType, r.resourceId ?? '', r.resourceName ?? ''].join('\u0000');
      const cache = new Map<string, TargetCandidate[]>();
      const unresolved = rels.flat().filter((r) => !stored.has(storedId(r)));
      await candidatesFor(
        tx,
        unresolved.map((r) => targetLookup(identity, r)),
        cache,
      );
      const resolve = (r: RawRelationship) => stored.get(storedId(r)) ?? resolveWith(cache, identity, r);

      const { names } = eventNamesOf(identity, versions);
      const events = (
        await rows(tx, 'MATCH (e:Event) WHERE any(n IN e.resources WHERE n IN $names) RETURN e.body AS body', { names })
      ).map((r) => JSON.parse(r.body as string) as ChangeEvent);
      const entries = historyEntries(identity, versions, events, resolve);
      return { resource: resource!, versions: entries };
    });
  }

  async neighborhood(ref: ResourceRef, opts: NeighborhoodOptions = {}): Promise<Neighborhood> {
    const depth = validateDepth(opts.depth);
    const key = await this.read((tx) => this.resolveRef(tx, ref));
    const o: { depth: number; at?: IsoTime; types?: string[]; limit?: number } = { depth };
    if (opts.at) o.at = opts.at;
    if (opts.types) o.types = opts.types;
    if (opts.limit) o.limit = opts.limit;
    return neighborhoodOf(this, key, o);
  }

  async view(ref: ResourceRef, opts: ViewOptions): Promise<PurposeView> {
    const kind = parseViewKind(opts.kind);
    const key = await this.read((tx) => this.resolveRef(tx, ref));
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
    return this.read(async (tx) => {
      const found = await rows(
        tx,
        `MATCH (r:Resource) WHERE r.searchText CONTAINS $q
           AND ($type IS NULL OR r.resourceType = $type)
           AND ($account IS NULL OR r.accountId = $account)
           AND ($region IS NULL OR r.awsRegion = $region)
         RETURN r.key AS key, r.searchTerms AS terms LIMIT 5000`,
        {
          q: query.toLowerCase(),
          type: opts.type ?? null,
          account: opts.accountId ?? null,
          region: opts.awsRegion ?? null,
        },
      );
      const best = new Map<string, { kind: TermKind; value: string; score: number }>();
      for (const r of found) {
        if (searchSkips(r.key as string, opts.type)) continue;
        for (const term of JSON.parse(r.terms as string) as SearchTerm[]) {
          const score = termScore(term, query);
          const cur = best.get(r.key as string);
          if (score > 0 && (!cur || score > cur.score || (score === cur.score && term.value < cur.value)))
            best.set(r.key as string, { ...term, score });
        }
      }
      const ranked = [...best].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
      const nodes = new Map(
        (
          await this.nodesAtTx(
            tx,
            ranked.map(([k]) => k),
          )
        ).map((n) => [n.key, n]),
      );
      return ranked.map(([k, m]) => searchHit(nodes.get(k)!, m));
    });
  }

  async graphAt(at?: IsoTime, scope: Scope = {}): Promise<GraphSnapshot> {
    return this.read((tx) => this.graphAtTx(tx, at, scope));
  }

  private async graphAtTx(tx: Runner, at: IsoTime | undefined, scope: Scope): Promise<GraphSnapshot> {
    const keys = (
      await rows(
        tx,
        `MATCH (r:Resource {recorded: true})
         WHERE ($account IS NULL OR r.accountId = $account) AND ($region IS NULL OR r.awsRegion = $region)
         RETURN r.key AS key`,
        { account: scope.accountId ?? null, region: scope.awsRegion ?? null },
      )
    ).map((r) => r.key as string);
    const nodes = (await this.nodesAtTx(tx, keys, at)).filter(
      (n) => n.status !== 'NotYetRecorded' && !isDeletedStatus(n.status),
    );
    const present = new Set(nodes.map((n) => n.key));
    const edges = (await this.edgesTouchingTx(tx, [...present], at)).filter(
      (e) => present.has(e.source) && validAt(e, at),
    );
    const placeholderKeys = [...new Set(edges.map((e) => e.target).filter((t) => !present.has(t)))];
    const extra = (await this.nodesAtTx(tx, placeholderKeys, at)).filter((n) => !n.recorded);
    for (const n of extra) present.add(n.key);
    const kept = edges.filter((e) => present.has(e.target)).sort(byId);
    const snapshot: GraphSnapshot = { nodes: [...nodes, ...extra].sort(compareNodes), edges: kept };
    if (at) snapshot.at = at;
    return snapshot;
  }

  async diff(from: IsoTime, to: IsoTime, scope: Scope = {}): Promise<GraphDiff> {
    if (from > to) throw new InvalidInputError(`"from" (${from}) is after "to" (${to})`, 'from ≤ to');
    // Both snapshots in one read transaction: a concurrent run cannot slip in between them.
    return this.read(async (tx) =>
      diffSnapshots(from, to, await this.graphAtTx(tx, from, scope), await this.graphAtTx(tx, to, scope)),
    );
  }

  async path(a: ResourceRef, b: ResourceRef, opts: PathOptions = {}): Promise<PathResult> {
    const maxDepth = opts.maxDepth ?? 6;
    if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 10)
      throw new InvalidInputError(`maxDepth ${maxDepth} is out of range`, 'an integer from 1 to 10');
    const [from, to] = await this.read(
      async (tx) => [await this.resolveRef(tx, a), await this.resolveRef(tx, b)] as const,
    );
    const o: { at?: IsoTime; maxDepth: number } = { maxDepth };
    if (opts.at) o.at = opts.at;
    return pathBetween(this, from, to, o);
  }

  async stats(): Promise<StoreStats> {
    const [counts] = await this.read((tx) =>
      rows(
        tx,
        `CALL () { MATCH (r:Resource {recorded: true}) RETURN count(r) AS resources }
         CALL () { MATCH (r:Resource {recorded: false}) RETURN count(r) AS placeholders }
         CALL () { MATCH (v:Version) RETURN count(v) AS versions }
         CALL () { MATCH (:Resource)-[e]->(:Resource) RETURN count(e) AS edges }
         CALL () { MATCH (r:Run) RETURN count(r) AS runs }
         RETURN resources, placeholders, versions, edges, runs`,
      ),
    );
    const group = async (prop: 'resourceType' | 'accountId' | 'awsRegion') => {
      const found = await this.read((tx) =>
        rows<{ k: string; n: number }>(tx, `MATCH (r:Resource {recorded: true}) RETURN r.${prop} AS k, count(*) AS n`),
      );
      return Object.fromEntries(found.map((r) => [r.k, r.n] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    };
    const stats: StoreStats = {
      resources: counts!.resources as number,
      placeholders: counts!.placeholders as number,
      versions: counts!.versions as number,
      edges: counts!.edges as number,
      runs: counts!.runs as number,
      byType: await group('resourceType'),
      byAccount: await group('accountId'),
      byRegion: await group('awsRegion'),
    };
    const last = (await this.runs())[0];
    if (last) stats.lastRun = last;
    return stats;
  }

  async runs(): Promise<RunRecord[]> {
    const found = await this.read((tx) => rows(tx, 'MATCH (r:Run) RETURN r.body AS body ORDER BY r.seq DESC'));
    return found.map((r) => JSON.parse(r.body as string) as RunRecord);
  }

  async canonicalExport(): Promise<CanonicalExport> {
    return this.read(async (tx) => {
      const keys = (await rows(tx, 'MATCH (r:Resource) RETURN r.key AS key')).map((r) => r.key as string);
      const resources = await this.nodesAtTx(tx, keys);
      const versions = (await rows(tx, 'MATCH (v:Version) RETURN v.body AS body, v.configuration AS configuration'))
        .map((r) => versionFromProps(r.body as string, r.configuration as string | null))
        .sort((a, b) => (a.key !== b.key ? (a.key < b.key ? -1 : 1) : compareVersions(a, b)))
        .map(({ source: _s, runId: _r, ...rest }) => rest as ResourceVersion);
      const edges = (
        await rows(
          tx,
          'MATCH (s:Resource)-[e]->(t:Resource) RETURN properties(e) AS e, s.key AS source, t.key AS target',
        )
      )
        .map(rowToEdge)
        .sort(byId);
      return { resources, versions, edges };
    });
  }

  async versionsOfType(resourceType: string, scope: TypeScope = {}): Promise<ResourceVersions[]> {
    return this.read((tx) => versionsOfTypeNeo4j(tx, resourceType, scope));
  }

  async ping(): Promise<void> {
    try {
      await this.driver.executeQuery('RETURN 1', {}, this.queryConfig());
    } catch (e) {
      throw this.unavailable('Neo4j does not answer', e);
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

export async function openNeo4jStore(
  opts: Neo4jStoreOptions,
  hooks: { onMigrated?: (report: MigrationReport) => void } = {},
): Promise<Neo4jStore> {
  return Neo4jStore.open(opts, hooks);
}

export async function migrateNeo4j(opts: Neo4jStoreOptions, run: { dryRun?: boolean } = {}): Promise<MigrationReport> {
  return Neo4jStore.migrate(opts, run);
}
