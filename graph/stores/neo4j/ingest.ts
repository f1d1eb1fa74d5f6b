// The Neo4j side of the ingest plan (graph/ingest/): its reads answered and its writes executed in Cypher,
// inside ONE managed write transaction so that readers see all of a run or nothing (R1).
// Reads are batched (UNWIND over keys), writes are UNWIND batches, nodes before relationships; each
// statement that creates relationships has one fixed type that passed its allow-pattern, and type
// labels travel as parameters (5.26 dynamic labels). Every lookup names its index and asks for a seek
// (`USING INDEX SEEK`), and a resource's versions are reached from it, their end without a label: a plan cached
// while the store was nearly empty may otherwise scan a whole index for each row (one did, and a large import ran
// 20x slower: docs/benchmarks.md, Neo4j store). So every statement here has one right plan whatever the data,
// and is planned once per server (`planOnce`), not again as the database grows.
import type { SnapshotMembership } from '../../deletions.ts';
import type {
  AsyncIngestReads,
  PlaceholderEdge,
  StoredDerived,
  StoredHead,
  VersionMomentRow,
} from '../../ingest/reads.ts';
import type { DerivedState, DerivedWrites, IngestWrites, ResourceWrite, StoredEdge } from '../../ingest/writes.ts';
import type { ResourceKey, ResourceVersion, RunRecord } from '../../model.ts';
import type { TargetCandidate } from '../../resolve.ts';
import { compareVersions } from '../../versions.ts';
import { batches, groupBy, labelsOf, relTypeInCypher } from './names.ts';
import { WritePipeline } from './pipeline.ts';
import {
  planOnce,
  propertyMap,
  rows,
  VERSION_PROPERTIES,
  versionFromProps,
  versionProps,
  type Row,
  type Runner,
} from './query.ts';

/** Runs one UNWIND statement over rows in batches. */
async function unwind(tx: Runner, cypher: string, all: unknown[], extra: Row = {}): Promise<Row[]> {
  const out: Row[] = [];
  for (const part of batches(all)) out.push(...(await rows(tx, planOnce(cypher), { ...extra, rows: part })));
  return out;
}

/** Groups rows returned as (key, value) into lists per key. */
function perKey<T>(found: Row[], valueOf: (r: Row) => T): Map<ResourceKey, T[]> {
  const out = new Map<ResourceKey, T[]>();
  for (const r of found) {
    const list = out.get(r.key as string) ?? [];
    list.push(valueOf(r));
    out.set(r.key as string, list);
  }
  return out;
}

/** Recorded (or all) versions of many resources, each list in version order. */
export async function versionsOfKeys(
  tx: Runner,
  keys: ResourceKey[],
  recordedOnly: boolean,
): Promise<Map<ResourceKey, ResourceVersion[]>> {
  const found = await unwind(
    tx,
    `UNWIND $rows AS k MATCH (r:Resource {key: k})-[:HAS_VERSION]->(v) USING INDEX SEEK r:Resource(key)
     WHERE NOT ($recordedOnly AND v.inferred) RETURN k AS key, v.body AS body, v.configuration AS configuration`,
    keys,
    { recordedOnly },
  );
  const out = perKey(found, (r) => versionFromProps(r.body, r.configuration));
  for (const list of out.values()) list.sort(compareVersions);
  return out;
}

/** The plan's reads, each one UNWIND statement per batch of keys. */
export function neo4jReads(tx: Runner): AsyncIngestReads {
  return {
    async resourcesState(keys) {
      const found = await unwind(
        tx,
        'UNWIND $rows AS k MATCH (r:Resource {key: k}) USING INDEX SEEK r:Resource(key) RETURN r.key AS key, r.recorded AS recorded',
        keys,
      );
      return new Map(found.map((r) => [r.key as string, { recorded: r.recorded === true }]));
    },
    recordedVersions: (keys) => versionsOfKeys(tx, keys, true),
    allVersions: (keys) => versionsOfKeys(tx, keys, false),
    async recordedHeads(keys) {
      const found = await unwind(
        tx,
        `UNWIND $rows AS k MATCH (r:Resource {key: k})-[:HAS_VERSION]->(v) USING INDEX SEEK r:Resource(key) WHERE NOT v.inferred
         RETURN k AS key, v.head AS head`,
        keys,
      );
      // A version without a head (none is written so) is left out: its copy is then not a repeat, and is merged.
      return perKey(
        found.filter((r) => typeof r.head === 'string'),
        (r) => JSON.parse(r.head as string) as StoredHead,
      );
    },
    async recordedMoments(keys) {
      const found = await unwind(
        tx,
        `UNWIND $rows AS k MATCH (r:Resource {key: k})-[:HAS_VERSION]->(v) USING INDEX SEEK r:Resource(key) WHERE NOT v.inferred
         RETURN k AS key, v.captureTime AS captureTime, v.status AS status, v.configurationStateId AS configurationStateId, v.contentHash AS contentHash`,
        keys,
      );
      return perKey(found, (r) => {
        const m: VersionMomentRow = {
          captureTime: r.captureTime as string,
          status: r.status as string,
          inferred: false,
          contentHash: r.contentHash as string,
        };
        if (r.configurationStateId !== null) m.configurationStateId = r.configurationStateId as string;
        return m;
      });
    },
    // A resource brought again mostly keeps its edges: reading them back costs less than deleting and creating
    // the relationships again (docs/benchmarks.md, Neo4j store). Edges between resources only (not HAS_VERSION).
    async storedDerived(keys) {
      const found = await unwind(
        tx,
        `UNWIND $rows AS k MATCH (s:Resource {key: k}) USING INDEX SEEK s:Resource(key)
         RETURN k AS key, s.searchTerms AS terms,
           COLLECT { MATCH (s)-[e]->(t:Resource)
             RETURN [e.id, t.key, e.name, e.type, e.origin, e.rule, e.validFrom, e.validTo, e.targetType, e.targetId, e.targetName] } AS edges`,
        [...new Set(keys)],
      );
      const out = new Map<ResourceKey, StoredDerived>();
      for (const r of found) {
        const edges = (r.edges as unknown[][]).map((c) => storedEdgeOf(r.key as string, c));
        out.set(r.key as string, {
          edges,
          terms: typeof r.terms === 'string' ? (JSON.parse(r.terms) as StoredDerived['terms']) : [],
        });
      }
      return out;
    },
    async inferredIdentities(keys) {
      const found = await unwind(
        tx,
        'UNWIND $rows AS k MATCH (r:Resource {key: k})-[:HAS_VERSION]->(v) USING INDEX SEEK r:Resource(key) WHERE v.inferred RETURN k AS key, v.identity AS identity',
        keys,
      );
      return new Map([...perKey(found, (r) => r.identity as string)].map(([k, ids]) => [k, new Set(ids)]));
    },
    async recordedKeysIn(scopes, range) {
      if (range) {
        const slice = await rows(
          tx,
          planOnce(`UNWIND $scopes AS s
           MATCH (r:Resource {accountId: s.accountId, awsRegion: s.awsRegion}) USING INDEX SEEK r:Resource(accountId, awsRegion)
           WHERE r.recorded AND ($after IS NULL OR r.key > $after)
           RETURN r.key AS key ORDER BY key LIMIT toInteger($limit)`),
          {
            scopes: scopes.map((s) => ({ accountId: s.accountId, awsRegion: s.awsRegion })),
            after: range.after ?? null,
            limit: range.limit,
          },
        );
        return slice.map((r) => r.key as string);
      }
      const found = await unwind(
        tx,
        'UNWIND $rows AS s MATCH (r:Resource {accountId: s.accountId, awsRegion: s.awsRegion}) USING INDEX SEEK r:Resource(accountId, awsRegion) WHERE r.recorded RETURN r.key AS key',
        scopes.map((s) => ({ accountId: s.accountId, awsRegion: s.awsRegion })),
      );
      return found.map((r) => r.key as string);
    },
    async snapshotsOf(scopes) {
      const found = await unwind(
        tx,
        'UNWIND $rows AS sc MATCH (s:Snapshot {accountId: sc.accountId, awsRegion: sc.awsRegion}) USING INDEX SEEK s:Snapshot(accountId, awsRegion) RETURN sc.accountId + "|" + sc.awsRegion AS key, s.time AS time, s.members AS members',
        scopes.map((s) => ({ accountId: s.accountId, awsRegion: s.awsRegion })),
      );
      return perKey<SnapshotMembership>(found, (r) => ({
        time: r.time as string,
        members: new Set(r.members as string[]),
      }));
    },
    candidates: (lookups) => candidatesOf(tx, lookups),
    async placeholderEdges(queries) {
      const found = await unwind(
        tx,
        `UNWIND $rows AS q
         CALL (q) {
           UNWIND q.ids AS id MATCH (p:Resource {resourceId: id}) USING INDEX SEEK p:Resource(resourceId) RETURN p
           UNION MATCH (p:Resource {resourceName: q.name}) USING INDEX SEEK p:Resource(resourceName) RETURN p
         }
         WITH q, p WHERE p.recorded = false AND p.accountId = q.accountId AND p.resourceType = q.resourceType
         WITH DISTINCT p
         CALL (p) { MATCH (s:Resource)-[e]->(p) RETURN s, e }
         RETURN DISTINCT p.key AS placeholder, s.key AS source, e.id AS id, type(e) AS type, e.name AS name, e.origin AS origin,
                e.targetType AS targetType, e.targetId AS targetId, e.targetName AS targetName`,
        queries,
      );
      return found as unknown as PlaceholderEdge[];
    },
    async knownEvents(ids) {
      const found = await unwind(
        tx,
        'UNWIND $rows AS id MATCH (e:Event {eventId: id}) USING INDEX SEEK e:Event(eventId) RETURN e.eventId AS id',
        ids,
      );
      return new Set(found.map((r) => r.id as string));
    },
  };
}

/** A stored edge from its columns as `storedDerived` returns them (`rule` absent when null, as written). */
function storedEdgeOf(source: ResourceKey, c: unknown[]): StoredDerived['edges'][number] {
  const [id, target, name, type, origin, rule, validFrom, validTo, targetType, targetId, targetName] = c;
  const e: StoredDerived['edges'][number] = {
    id: id as string,
    source,
    target: target as string,
    name: name as string,
    type: type as string,
    origin: origin as StoredEdge['origin'],
    validFrom: validFrom as string,
    validTo: (validTo as string | null) ?? null,
    targetType: targetType as string,
    targetId: (targetId as string | null) ?? null,
    targetName: (targetName as string | null) ?? null,
  };
  if (typeof rule === 'string') e.rule = rule;
  return e;
}

/** Recorded candidates for many target lookups at once (same account and type, by id or by name). */
export async function candidatesOf(
  tx: Runner,
  lookups: { accountId: string; resourceType: string; id?: string; name?: string }[],
): Promise<TargetCandidate[][]> {
  const out: TargetCandidate[][] = lookups.map(() => []);
  const rowsIn = lookups.map((q, i) => ({
    i,
    accountId: q.accountId,
    resourceType: q.resourceType,
    id: q.id ?? null,
    name: q.name ?? null,
  }));
  const found: Row[] = [
    ...(await unwind(
      tx,
      `UNWIND $rows AS q MATCH (r:Resource {resourceId: q.id}) USING INDEX SEEK r:Resource(resourceId)
       WHERE r.recorded AND r.accountId = q.accountId AND r.resourceType = q.resourceType
       RETURN q.i AS i, r.key AS key, r.awsRegion AS awsRegion`,
      rowsIn.filter((r) => r.id !== null),
    )),
    ...(await unwind(
      tx,
      `UNWIND $rows AS q CALL (q) {
         MATCH (r:Resource {resourceName: q.name}) USING INDEX SEEK r:Resource(resourceName) RETURN r
         UNION
         MATCH (r:Resource {resourceId: q.name}) USING INDEX SEEK r:Resource(resourceId) RETURN r
       }
       WITH q, r WHERE r.recorded AND r.accountId = q.accountId AND r.resourceType = q.resourceType
       RETURN q.i AS i, r.key AS key, r.awsRegion AS awsRegion`,
      rowsIn.filter((r) => r.id === null && r.name !== null),
    )),
  ];
  for (const r of found) {
    const list = out[r.i as number]!;
    if (!list.some((c) => c.key === r.key)) list.push({ key: r.key as string, awsRegion: r.awsRegion as string });
  }
  return out;
}

/** The properties of a relationship between resources, in the order `createEdges` gives them. */
const EDGE_PROPERTIES = [
  'id',
  'name',
  'type',
  'origin',
  'rule',
  'validFrom',
  'validTo',
  'targetType',
  'targetId',
  'targetName',
] as const;

/** Creates relationships of one type between resources found by key; rows from `edgeRow`. */
export const createEdgesStatement = (type: string) => `UNWIND $rows AS row
  MATCH (s:Resource {key: row.source}) USING INDEX SEEK s:Resource(key)
  MATCH (t:Resource {key: row.target}) USING INDEX SEEK t:Resource(key)
  CREATE (s)-[e:${relTypeInCypher(type)} ${propertyMap(EDGE_PROPERTIES)}]->(t)`;

export const edgeRow = (e: StoredEdge): Record<'source' | 'target' | (typeof EDGE_PROPERTIES)[number], unknown> => ({
  source: e.source,
  target: e.target,
  id: e.id,
  name: e.name,
  type: e.type,
  origin: e.origin,
  rule: e.rule ?? null,
  validFrom: e.validFrom,
  validTo: e.validTo,
  targetType: e.targetType,
  targetId: e.targetId,
  targetName: e.targetName,
});

async function createEdges(p: WritePipeline, edges: StoredEdge[]): Promise<void> {
  for (const [type, group] of groupBy(edges, (e) => e.type)) await p.unwind(createEdgesStatement(type), group, edgeRow);
}

/** Creates versions with their link to their resource; rows from `versionProps`. */
export const CREATE_VERSIONS = `UNWIND $rows AS row
  MATCH (r:Resource {key: row.key}) USING INDEX SEEK r:Resource(key)
  CREATE (r)-[:HAS_VERSION]->(v:Version ${propertyMap(VERSION_PROPERTIES)})`;

/** Versions new to the store: created, with their link to the resource (no MERGE: nothing to find). */
async function createVersions(p: WritePipeline, versions: ResourceVersion[]): Promise<void> {
  await p.unwind(CREATE_VERSIONS, versions, (v) => versionProps(v, v));
}

/** Runs commit one at a time: the lock is a single node whose write lock the commit holds to its end. */
export async function takeIngestLock(tx: Runner, runId: string): Promise<void> {
  await rows(tx, "MERGE (l:IngestLock {id: 'ingest'}) SET l.runId = $runId, l.lockedAt = $now", {
    runId,
    now: new Date().toISOString(),
  });
}

/**
 * Derived rows: old edges of stale resources out; current state and search terms on the node (for people
 * writing Cypher, and search); placeholders (an existing node is left as it is); edges.
 */
export async function writeDerived(tx: Runner, w: DerivedWrites, runId: string): Promise<void> {
  const p = new WritePipeline(tx);
  await sendDerived(p, w, runId);
  await p.drain();
}

/** A resource's current state and search terms, as properties of its node. */
function stateProps(s: DerivedState | undefined): Record<(typeof STATE_PROPERTIES)[number], unknown> {
  return {
    status: s?.status ?? null,
    captureTime: s?.captureTime ?? null,
    deleted: s ? s.deleted : null,
    searchTerms: s ? JSON.stringify(s.terms) : null,
    searchText: s ? s.terms.map((t) => t.value.toLowerCase()).join('\n') : null,
  };
}
const STATE_PROPERTIES = ['status', 'captureTime', 'deleted', 'searchTerms', 'searchText'] as const;

async function sendDerived(p: WritePipeline, w: DerivedWrites, runId: string): Promise<void> {
  const compared = new Set(w.kept?.sources);
  await p.unwind(
    'UNWIND $rows AS k MATCH (s:Resource {key: k})-[e]->(:Resource) USING INDEX SEEK s:Resource(key) DELETE e',
    w.stale.filter((k) => !compared.has(k)),
  );
  // Stored edges gone or changed, found from their sources (a relationship's id has no index); only when some are.
  if (w.kept?.removedEdges.length)
    await p.unwind(
      'UNWIND $rows AS k MATCH (s:Resource {key: k})-[e]->(:Resource) USING INDEX SEEK s:Resource(key) WHERE e.id IN $removed DELETE e',
      w.kept.sources,
      (k) => k,
      { removed: w.kept.removedEdges },
    );
  await p.unwind(
    'UNWIND $rows AS row MATCH (r:Resource {key: row.key}) USING INDEX SEEK r:Resource(key) SET r += row.props',
    w.states,
    (s) => ({
      key: s.key,
      props: stateProps(s),
    }),
  );
  await p.unwind(
    'UNWIND $rows AS row MERGE (r:Resource {key: row.key}) ON CREATE SET r = row.props, r:$(row.labels)',
    w.placeholders,
    (ph) => ({
      key: ph.key,
      labels: labelsOf(ph.identity.resourceType),
      props: { ...ph.identity, key: ph.key, resourceName: ph.resourceName, recorded: false, createdByRun: runId },
    }),
  );
  await createEdges(p, w.edges);
}

/** Placeholders (I4) exist only while an edge names them. */
const REMOVE_UNUSED_PLACEHOLDERS =
  'MATCH (r:Resource {recorded: false}) USING INDEX SEEK r:Resource(recorded) WHERE NOT (r)--() DELETE r';

export async function removeUnusedPlaceholders(tx: Runner): Promise<void> {
  await rows(tx, REMOVE_UNUSED_PLACEHOLDERS);
}

/** The properties of a recorded resource created by a run: its identity and names, then its state. */
const RESOURCE_PROPERTIES = [
  'accountId',
  'awsRegion',
  'resourceType',
  'resourceId',
  'key',
  'resourceName',
  'arn',
  'recorded',
  ...STATE_PROPERTIES,
] as const;

const resourceProps = (r: ResourceWrite) => ({
  ...r.identity,
  key: r.key,
  resourceName: r.resourceName,
  arn: r.arn,
  recorded: true,
});

/** Creates recorded resources with their type label; rows from `createdResourceRow`. */
export const CREATE_RESOURCES = `UNWIND $rows AS row CREATE (r:Resource ${propertyMap(RESOURCE_PROPERTIES)}) SET r:$(row.labels)`;

export const createdResourceRow = (r: ResourceWrite, state: DerivedState | undefined) => ({
  labels: labelsOf(r.identity.resourceType),
  ...resourceProps(r),
  ...stateProps(state),
});

/** Executes a run's writes, in the plan's order (pipelined: see ./pipeline.ts). */
export async function writeRun(tx: Runner, w: IngestWrites): Promise<void> {
  const p = new WritePipeline(tx);
  const runId = w.run.id;
  // Nodes first: resources new to the store created with their state (so that no second statement sets
  // it), the others updated; then their versions.
  const created = w.resources.filter((r) => r.isNew);
  const states = new Map(w.states.map((s) => [s.key, s]));
  await p.unwind(CREATE_RESOURCES, created, (r) => createdResourceRow(r, states.get(r.key)));
  await p.unwind(
    'UNWIND $rows AS row MATCH (r:Resource {key: row.key}) USING INDEX SEEK r:Resource(key) SET r += row.props SET r:$(row.labels)',
    w.resources.filter((r) => !r.isNew),
    (r) => ({ key: r.key, labels: labelsOf(r.identity.resourceType), props: resourceProps(r) }),
  );
  await createVersions(p, w.versions);
  // A better copy of a stored version (V3) replaces its properties; the node stays.
  await p.unwind(
    'UNWIND $rows AS row MATCH (v:Version {id: row.id}) USING INDEX SEEK v:Version(id) SET v = row',
    w.betterCopies,
    (v) => versionProps(v, v),
  );
  await p.unwind(
    'UNWIND $rows AS s CREATE (:Snapshot {runId: $runId, accountId: s.accountId, awsRegion: s.awsRegion, time: s.time, members: s.members})',
    w.snapshots,
    (s) => ({ accountId: s.accountId, awsRegion: s.awsRegion, time: s.time, members: s.members }),
    { runId },
  );
  await p.unwind(
    'UNWIND $rows AS k MATCH (r:Resource {key: k})-[:HAS_VERSION]->(v) USING INDEX SEEK r:Resource(key) WHERE v.inferred DETACH DELETE v',
    w.stale,
  );
  await createVersions(p, w.inferred);
  const createdKeys = new Set(created.map((r) => r.key));
  await sendDerived(p, { ...w, states: w.states.filter((s) => !createdKeys.has(s.key)) }, runId);

  // CloudTrail events (A1): new ones created; every one gains the resource names this run gives it.
  await p.unwind(
    'UNWIND $rows AS row CREATE (e:Event {eventId: row.eventId, eventTime: row.eventTime, eventName: row.eventName, principal: row.principal, resources: [], body: row.body})',
    w.events,
    (e) => ({
      eventId: e.eventId,
      eventTime: e.eventTime,
      eventName: e.eventName,
      principal: e.principal,
      body: JSON.stringify(e),
    }),
  );
  await p.unwind(
    `UNWIND $rows AS row MATCH (e:Event {eventId: row.eventId}) USING INDEX SEEK e:Event(eventId)
     SET e.resources = reduce(acc = e.resources, x IN row.resources | CASE WHEN x IN acc THEN acc ELSE acc + x END)`,
    w.eventResources,
  );

  // Edges that pointed at a placeholder for a resource now recorded move to it (I5).
  for (const [type, group] of groupBy(w.moves, (m) => m.type)) {
    const t = relTypeInCypher(type);
    await p.unwind(
      `UNWIND $rows AS row
       MATCH (s:Resource {key: row.source})-[e:${t}]->(:Resource {key: row.from}) USING INDEX SEEK s:Resource(key) WHERE e.id = row.id
       MATCH (n:Resource {key: row.to}) USING INDEX SEEK n:Resource(key)
       CREATE (s)-[moved:${t}]->(n) SET moved = properties(e)
       DELETE e`,
      group,
    );
  }
  await p.send(REMOVE_UNUSED_PLACEHOLDERS);
  await p.send(INSERT_RUN, runParams(w.run));
  await p.drain();
}

const INSERT_RUN = `OPTIONAL MATCH (prev:Run) WITH coalesce(max(prev.seq), 0) + 1 AS seq
  CREATE (:Run {id: $id, seq: seq, source: $source, scope: $scope, startedAt: $startedAt, endedAt: $endedAt, status: $status, body: $body})`;

const runParams = (r: RunRecord): Row => ({
  id: r.id,
  source: r.source,
  scope: r.scope,
  startedAt: r.startedAt,
  endedAt: r.endedAt ?? null,
  status: r.status,
  body: JSON.stringify(r),
});

export async function insertRun(tx: Runner, r: RunRecord): Promise<void> {
  await rows(tx, INSERT_RUN, runParams(r));
}
