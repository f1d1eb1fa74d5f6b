// The Neo4j store: the GraphStore port over neo4j-driver. Only this folder speaks Cypher; every rule of
// the model comes from the pure functions in graph/, so answers match the SQLite store exactly.
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { StoreUnavailableError } from '../../errors.ts';
import { rebuildPlan } from '../../ingest/derived.ts';
import { preparedPlan } from '../../ingest/plan.ts';
import { preparationFor } from '../../ingest/prepare.ts';
import { runPlan } from '../../ingest/reads.ts';
import type {
  ChangeEvent,
  DownloadedObject,
  FileDigest,
  IsoTime,
  ListedObject,
  ResourceKey,
  Scope,
} from '../../model.ts';
import { versionAt } from '../../versions.ts';
import { compareNodes } from '../../nodes.ts';
import { canonicalExportOf } from '../../queries/canonical-export.ts';
import { diffOfChanges } from '../../queries/diff-of.ts';
import { graphAtOf } from '../../queries/graph-at.ts';
import { historyOf, type EdgeNaming } from '../../queries/history-of.ts';
import { checkDiffRange } from '../../queries/ranges.ts';
import { chooseLookedUp, parseRef, resolveRef } from '../../queries/refs.ts';
import { resourceViewOf } from '../../queries/resource-view.ts';
import { rankMatches, searchHits, searchLimit } from '../../queries/search-rank.ts';
import { failedRun } from '../../runs.ts';
import { searchExcludedType, type SearchTerm } from '../../search-terms.ts';
import type * as Port from '../../store.ts';
import { subgraphReader } from '../../subgraph-reader.ts';
import type { GraphReader } from '../../traverse.ts';
import type { PurposeView } from '../../views.ts';
import { neighborhoodByRef, pathByRef, viewByRef, type NeighborhoodReader } from '../../queries/by-reference.ts';
import {
  candidatesOf,
  insertRun,
  neo4jReads,
  removeUnusedPlaceholders,
  takeIngestLock,
  versionsOfKeys,
  writeDerived,
  writeRun,
} from './ingest.ts';
import { neo4jChanges } from './changes.ts';
import { recordedKeysIn, streamGraphAtNeo4j } from './graph-at.ts';
import {
  importedFiles,
  importedObjects,
  OBJECTS_PER_TRANSACTION,
  writeImportedFiles,
  writeImportedObjects,
} from './imported-files.ts';
import { batches } from './names.ts';
import { edgeInForce, neighborhoodSubgraph } from './neighborhood.ts';
import { BY_ID_OR_ARN, BY_KEY, BY_NAME } from './refs.ts';
import { NODE_STATE, nodeOfRow, nodeStateParams } from './node-state.ts';
import { rows, rowToEdge, versionFromProps, type Row, type Runner } from './query.ts';
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

export class Neo4jStore implements Port.GraphStore, GraphReader {
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
    for (const batch of batches(keys, 500))
      await this.write(async (tx) => {
        const runId = 'schema-migration';
        await takeIngestLock(tx, runId);
        await writeDerived(tx, await runPlan(rebuildPlan(batch), neo4jReads(tx)), runId);
        await removeUnusedPlaceholders(tx);
      });
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

  async ingest(run: Port.RunInput, ahead?: Port.IngestAhead): Promise<Port.RunRecord> {
    const preparation = preparationFor(run, ahead?.preparation);
    const id = preparation.id;
    const startedAt = run.startedAt ?? new Date().toISOString();
    try {
      // One transaction per run: readers see the whole run or nothing of it (R1). Everything is read and
      // decided under the lock, so a run committed meanwhile is taken into account.
      return await this.write(async (tx) => {
        await takeIngestLock(tx, id);
        const writes = await runPlan(preparedPlan(run, preparation.get(), startedAt), neo4jReads(tx));
        await writeRun(tx, writes);
        await writeImportedFiles(tx, writes);
        // The server commits once this returns, while Node would wait: the next run's read-free part is done then.
        const next = ahead?.next;
        if (next) setImmediate(() => next.prepare(true));
        return writes.run;
      });
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

  /** A resource id, an ARN, a key or (when nothing else matches) a name (Q1). */
  private resolveRef(tx: Runner, ref: Port.ResourceRef): Promise<ResourceKey> {
    const matches = (found: Row[]) => found.map((r) => ({ key: r.key as string, recorded: r.recorded === true }));
    return resolveRef(ref, {
      hasKey: async (key) => (await rows(tx, `${BY_KEY} RETURN 1 AS x`, { key })).length > 0,
      byIdOrArn: async (value) =>
        matches(await rows(tx, `${BY_ID_OR_ARN} RETURN r.key AS key, r.recorded AS recorded`, { ref: value })),
      byName: async (value) =>
        matches(await rows(tx, `${BY_NAME} RETURN r.key AS key, r.recorded AS recorded`, { ref: value })),
    });
  }

  // ---------------------------------------------------------------- GraphReader

  async nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<Port.ResourceNode[]> {
    return this.read((tx) => this.nodesAtTx(tx, keys, at));
  }

  private async nodesAtTx(tx: Runner, keys: ResourceKey[], at?: IsoTime): Promise<Port.ResourceNode[]> {
    const out: Port.ResourceNode[] = [];
    for (const part of batches([...new Set(keys)])) {
      const found = await rows<{ node: Row }>(
        tx,
        `UNWIND $keys AS k MATCH (r:Resource {key: k}) ${NODE_STATE} RETURN node`,
        { keys: part, ...nodeStateParams(at) },
      );
      for (const r of found) out.push(nodeOfRow(r.node, at));
    }
    return out.sort(compareNodes);
  }

  async edgesTouching(keys: ResourceKey[], at?: IsoTime): Promise<Port.GraphEdge[]> {
    return this.read((tx) => this.edgesTouchingTx(tx, keys, at));
  }

  private async edgesTouchingTx(tx: Runner, keys: ResourceKey[], at?: IsoTime): Promise<Port.GraphEdge[]> {
    const seen = new Map<string, Port.GraphEdge>();
    for (const part of batches([...new Set(keys)])) {
      const found = await rows(
        tx,
        `UNWIND $keys AS k MATCH (s:Resource {key: k})-[e]->(t:Resource) WHERE ${edgeInForce('e')}
         RETURN properties(e) AS e, s.key AS source, t.key AS target
         UNION
         UNWIND $keys AS k MATCH (s:Resource)-[e]->(t:Resource {key: k}) WHERE ${edgeInForce('e')}
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

  /**
   * Neighbourhoods and views: the resource a reference names and the subgraph around it come in one
   * statement, and the shared traversal runs over it, reading through to the store only what the read-ahead
   * missed. Q1 decides from every lookup the statement made; should the resource it expanded ever be another,
   * the subgraph is read again around Q1's.
   */
  private readAhead(tx: Runner): NeighborhoodReader {
    return async (ref, shape) => {
      const { value, mayBeKey } = parseRef(ref);
      let read = await neighborhoodSubgraph(tx, { ref: value, key: mayBeKey ? value : null }, shape);
      const root = chooseLookedUp(value, read.lookedUp);
      if (read.root !== root) read = await neighborhoodSubgraph(tx, { ref: root, key: root }, shape);
      return { root, read: subgraphReader(read.subgraph, shape.at, this.readerIn(tx)) };
    };
  }

  /** The GraphReader reads inside one transaction. */
  private readerIn(tx: Runner): GraphReader {
    return {
      edgesTouching: (keys, at) => this.edgesTouchingTx(tx, keys, at),
      nodesAt: (keys, at) => this.nodesAtTx(tx, keys, at),
    };
  }

  // ---------------------------------------------------------------- queries

  async resource(ref: Port.ResourceRef, opts: { at?: IsoTime } = {}): Promise<Port.ResourceView> {
    return this.read(async (tx) => {
      const key = await this.resolveRef(tx, ref);
      const versions = (await versionsOfKeys(tx, [key], false)).get(key) ?? [];
      return resourceViewOf(this.readerIn(tx), key, versions, opts.at);
    });
  }

  async versionsInForce(keys: ResourceKey[], at?: IsoTime): Promise<Port.ResourceVersion[]> {
    if (keys.length === 0) return [];
    return this.read(async (tx) => {
      const all = await versionsOfKeys(tx, keys, false);
      return keys.flatMap((k) => versionAt(all.get(k) ?? [], at) ?? []);
    });
  }

  async versionsOf(ref: Port.ResourceRef): Promise<Port.ResourceVersion[]> {
    return this.read(async (tx) => {
      const key = await this.resolveRef(tx, ref);
      return (await versionsOfKeys(tx, [key], false)).get(key) ?? [];
    });
  }

  async history(ref: Port.ResourceRef): Promise<Port.ResourceHistory> {
    return this.read(async (tx) => {
      const key = await this.resolveRef(tx, ref);
      const versions = (await versionsOfKeys(tx, [key], false)).get(key) ?? [];
      const [node] = await this.nodesAtTx(tx, [key]);
      return historyOf(key, node!, versions, {
        edgesFrom: async (k) =>
          rows<EdgeNaming>(
            tx,
            `MATCH (:Resource {key: $key})-[e]->(t:Resource) RETURN e.name AS name, e.origin AS origin, e.targetType AS targetType,
                    e.targetId AS targetId, e.targetName AS targetName, t.key AS target ORDER BY e.validFrom, e.id`,
            { key: k },
          ),
        candidates: (lookups) => candidatesOf(tx, lookups),
        eventsNaming: async (names) =>
          (
            await rows(tx, 'MATCH (e:Event) WHERE any(n IN e.resources WHERE n IN $names) RETURN e.body AS body', {
              names,
            })
          ).map((r) => JSON.parse(r.body as string) as ChangeEvent),
      });
    });
  }

  async neighborhood(ref: Port.ResourceRef, opts: Port.NeighborhoodOptions = {}): Promise<Port.Neighborhood> {
    return this.read((tx) => neighborhoodByRef(this.readAhead(tx), ref, opts));
  }

  async view(ref: Port.ResourceRef, opts: Port.ViewOptions): Promise<PurposeView> {
    return this.read((tx) => viewByRef(this.readAhead(tx), ref, opts));
  }

  async search(q: string, opts: Port.SearchOptions = {}): Promise<Port.SearchHit[]> {
    const query = q.trim();
    if (!query) return [];
    const limit = searchLimit(opts);
    return this.read(async (tx) => {
      const found = await rows(
        tx,
        `MATCH (r:Resource) WHERE r.searchText CONTAINS $q
           AND ($type IS NULL OR r.resourceType = $type)
           AND ($excluded IS NULL OR r.resourceType <> $excluded)
           AND ($account IS NULL OR r.accountId = $account)
           AND ($region IS NULL OR r.awsRegion = $region)
         RETURN r.key AS key, r.searchTerms AS terms LIMIT 5000`,
        {
          q: query.toLowerCase(),
          type: opts.type ?? null,
          // In the query, before its LIMIT, so compliance items never crowd out hits (C5).
          excluded: searchExcludedType(opts.type) ?? null,
          account: opts.accountId ?? null,
          region: opts.awsRegion ?? null,
        },
      );
      const ranked = rankMatches(
        found.flatMap((r) =>
          (JSON.parse(r.terms as string) as SearchTerm[]).map((term) => ({ key: r.key as string, term })),
        ),
        query,
        limit,
      );
      return searchHits(
        ranked,
        await this.nodesAtTx(
          tx,
          ranked.map((r) => r.key),
        ),
      );
    });
  }

  async graphAt(at?: IsoTime, scope: Scope = {}): Promise<Port.GraphSnapshot> {
    return this.read((tx) => this.graphAtTx(tx, at, scope));
  }

  /**
   * The graph as pages read over Bolt as they are consumed (./graph-at.ts), in one read transaction held
   * open until the last page is taken or the reader stops.
   */
  async *streamGraphAt(at?: IsoTime, scope: Scope = {}): AsyncGenerator<Port.GraphPage> {
    const session = this.driver.session({ ...this.queryConfig(), defaultAccessMode: neo4j.session.READ });
    try {
      const tx = await session.beginTransaction();
      try {
        yield* streamGraphAtNeo4j(tx, (keys, t) => this.nodesAtTx(tx, keys, t), at, scope);
      } finally {
        await tx.close();
      }
    } catch (e) {
      throw this.isConnectionError(e) ? this.unavailable('Neo4j read failed', e) : e;
    } finally {
      await session.close();
    }
  }

  private async graphAtTx(tx: Runner, at: IsoTime | undefined, scope: Scope): Promise<Port.GraphSnapshot> {
    return graphAtOf(this.readerIn(tx), await recordedKeysIn(tx, scope), at);
  }

  async diff(from: IsoTime, to: IsoTime, scope: Scope = {}): Promise<Port.GraphDiff> {
    checkDiffRange(from, to);
    // From what changed after `from` (./changes.ts), every read in one transaction.
    return this.read((tx) => diffOfChanges(neo4jChanges(tx, this.readerIn(tx)), from, to, scope));
  }

  async path(a: Port.ResourceRef, b: Port.ResourceRef, opts: Port.PathOptions = {}): Promise<Port.PathResult> {
    return pathByRef(this, (r) => this.read((tx) => this.resolveRef(tx, r)), a, b, opts);
  }

  async stats(): Promise<Port.StoreStats> {
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
    const stats: Port.StoreStats = {
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

  async runs(): Promise<Port.RunRecord[]> {
    const found = await this.read((tx) => rows(tx, 'MATCH (r:Run) RETURN r.body AS body ORDER BY r.seq DESC'));
    return found.map((r) => JSON.parse(r.body as string) as Port.RunRecord);
  }

  async canonicalExport(): Promise<Port.CanonicalExport> {
    return this.read(async (tx) => {
      const keys = (await rows(tx, 'MATCH (r:Resource) RETURN r.key AS key')).map((r) => r.key as string);
      const versions = (
        await rows(tx, 'MATCH (v:Version) RETURN v.body AS body, v.configuration AS configuration')
      ).map((r) => versionFromProps(r.body, r.configuration));
      const edges = (
        await rows(
          tx,
          'MATCH (s:Resource)-[e]->(t:Resource) RETURN properties(e) AS e, s.key AS source, t.key AS target',
        )
      ).map(rowToEdge);
      return canonicalExportOf(await this.nodesAtTx(tx, keys), versions, edges);
    });
  }

  async versionsOfType(resourceType: string, scope: Port.TypeScope = {}): Promise<Port.ResourceVersions[]> {
    return this.read((tx) => versionsOfTypeNeo4j(tx, resourceType, scope));
  }

  async importedFiles(files: FileDigest[]): Promise<FileDigest[]> {
    return this.read((tx) => importedFiles(tx, files));
  }

  async importedObjects(objects: ListedObject[]): Promise<ListedObject[]> {
    return this.read((tx) => importedObjects(tx, objects));
  }

  async recordImportedObjects(objects: DownloadedObject[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < objects.length; i += OBJECTS_PER_TRANSACTION) {
      const page = objects.slice(i, i + OBJECTS_PER_TRANSACTION);
      n += await this.write((tx) => writeImportedObjects(tx, page));
    }
    return n;
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
