// One run, written inside ONE managed write transaction so that readers see all of it or nothing (R1).
// The plan mirrors the SQLite adapter step for step; every rule comes from the pure functions in graph/.
// Reads are batched (UNWIND over keys), writes are UNWIND batches, nodes before relationships; each
// statement that creates relationships has one fixed type that passed its allow-pattern, and type
// labels travel as parameters (5.26 dynamic labels). Lookups by a non-unique property name their index:
// a plan cached while the database was empty would otherwise scan.
import { finishedRun, startingCounts, type IncomingVersions } from '../../runs.ts';
import { inferenceUnchanged, inferredDeletions, type SnapshotMembership, type VersionMoment } from '../../deletions.ts';
import { edgeId, edgeValidity } from '../../edges.ts';
import { InvalidInputError } from '../../errors.ts';
import { parseKey } from '../../identity.ts';
import type {
  ChangeEvent,
  IsoTime,
  RawRelationship,
  ResourceIdentity,
  ResourceKey,
  ResourceVersion,
  RunRecord,
} from '../../model.ts';
import { chooseTarget, targetLookup, type TargetCandidate } from '../../resolve.ts';
import { searchTermsOf } from '../../search-terms.ts';
import type { RunInput } from '../../store.ts';
import { compareVersions, isDeletedStatus, mergeVersions, versionIdentity, type VersionOrder } from '../../versions.ts';
import { batches, groupBy, labelsOf, relTypeInCypher } from './names.ts';
import { rows, versionFromProps, versionProps, type Row, type Runner } from './query.ts';

/** Runs one UNWIND statement over rows in batches. */
async function unwind(tx: Runner, cypher: string, all: unknown[], extra: Row = {}): Promise<Row[]> {
  const out: Row[] = [];
  for (const part of batches(all)) out.push(...(await rows(tx, cypher, { ...extra, rows: part })));
  return out;
}

/** Recorded (or all) versions of many resources, each list in version order. */
export async function versionsOfKeys(
  tx: Runner,
  keys: ResourceKey[],
  recordedOnly: boolean,
): Promise<Map<ResourceKey, ResourceVersion[]>> {
  const out = new Map<ResourceKey, ResourceVersion[]>();
  const found = await unwind(
    tx,
    `UNWIND $rows AS k MATCH (:Resource {key: k})-[:HAS_VERSION]->(v:Version)
     WHERE NOT ($recordedOnly AND v.inferred) RETURN k AS key, v.body AS body, v.configuration AS configuration`,
    keys,
    { recordedOnly },
  );
  for (const r of found) {
    const list = out.get(r.key as string) ?? [];
    list.push(versionFromProps(r.body as string, r.configuration as string | null));
    out.set(r.key as string, list);
  }
  for (const list of out.values()) list.sort(compareVersions);
  return out;
}

/** Capture times and statuses of many resources' recorded versions, in version order: enough to infer deletions. */
async function momentsOfKeys(
  tx: Runner,
  keys: ResourceKey[],
): Promise<Map<ResourceKey, (VersionMoment & VersionOrder)[]>> {
  const out = new Map<ResourceKey, (VersionMoment & VersionOrder)[]>();
  for (const r of await unwind(
    tx,
    `UNWIND $rows AS k MATCH (:Resource {key: k})-[:HAS_VERSION]->(v:Version) WHERE NOT v.inferred
     RETURN k AS key, v.captureTime AS captureTime, v.status AS status, v.configurationStateId AS configurationStateId, v.contentHash AS contentHash`,
    keys,
  )) {
    const list = out.get(r.key as string) ?? [];
    const m: VersionMoment & VersionOrder = {
      captureTime: r.captureTime as string,
      status: r.status as string,
      inferred: false,
      contentHash: r.contentHash as string,
    };
    if (r.configurationStateId !== null) m.configurationStateId = r.configurationStateId as string;
    list.push(m);
    out.set(r.key as string, list);
  }
  for (const list of out.values()) list.sort(compareVersions);
  return out;
}

type Lookup = ReturnType<typeof targetLookup>;
const lookupId = (q: Lookup) => JSON.stringify([q.accountId, q.resourceType, q.id ?? null, q.name ?? null]);

/** Recorded candidates for many target lookups at once (same account and type, by id or by name). */
export async function candidatesFor(
  tx: Runner,
  lookups: Lookup[],
  cache: Map<string, TargetCandidate[]>,
): Promise<void> {
  const todo = new Map<string, Lookup>();
  for (const q of lookups) {
    const id = lookupId(q);
    if (!cache.has(id) && !todo.has(id)) todo.set(id, q);
  }
  if (todo.size === 0) return;
  const rowsIn = [...todo].map(([lid, q]) => ({
    lid,
    accountId: q.accountId,
    resourceType: q.resourceType,
    id: q.id ?? null,
    name: q.name ?? null,
  }));
  for (const lid of todo.keys()) cache.set(lid, []);
  const byId = rowsIn.filter((r) => r.id !== null);
  const byName = rowsIn.filter((r) => r.id === null && r.name !== null);
  const found: Row[] = [
    ...(await unwind(
      tx,
      `UNWIND $rows AS q MATCH (r:Resource {resourceId: q.id}) USING INDEX r:Resource(resourceId)
       WHERE r.recorded AND r.accountId = q.accountId AND r.resourceType = q.resourceType
       RETURN q.lid AS lid, r.key AS key, r.awsRegion AS awsRegion`,
      byId,
    )),
    ...(await unwind(
      tx,
      `UNWIND $rows AS q CALL (q) {
         MATCH (r:Resource {resourceName: q.name}) USING INDEX r:Resource(resourceName) RETURN r
         UNION
         MATCH (r:Resource {resourceId: q.name}) USING INDEX r:Resource(resourceId) RETURN r
       }
       WITH q, r WHERE r.recorded AND r.accountId = q.accountId AND r.resourceType = q.resourceType
       RETURN q.lid AS lid, r.key AS key, r.awsRegion AS awsRegion`,
      byName,
    )),
  ];
  for (const r of found) {
    const list = cache.get(r.lid as string)!;
    if (!list.some((c) => c.key === r.key)) list.push({ key: r.key as string, awsRegion: r.awsRegion as string });
  }
}

export function resolveWith(
  cache: Map<string, TargetCandidate[]>,
  source: ResourceIdentity,
  r: RawRelationship,
): ResourceKey {
  return chooseTarget(source, r, cache.get(lookupId(targetLookup(source, r))) ?? []);
}

interface EdgeRow {
  id: string;
  source: ResourceKey;
  target: ResourceKey;
  type: string;
  props: Row;
}

async function createEdges(tx: Runner, edges: EdgeRow[]): Promise<void> {
  for (const [type, group] of groupBy(edges, (e) => e.type)) {
    await unwind(
      tx,
      `UNWIND $rows AS row
       MATCH (s:Resource {key: row.source}) MATCH (t:Resource {key: row.target})
       CREATE (s)-[e:${relTypeInCypher(type)}]->(t) SET e = row.props`,
      group,
    );
  }
}

/** Versions new to the store: created, with their link to the resource (no MERGE: nothing to find). */
async function createVersions(tx: Runner, versions: ResourceVersion[]): Promise<void> {
  await unwind(
    tx,
    `UNWIND $rows AS row
     MATCH (r:Resource {key: row.key})
     CREATE (r)-[:HAS_VERSION]->(v:Version) SET v = row`,
    versions.map((v) => versionProps(v, v)),
  );
}

/** A better copy of a stored version (V3) replaces its properties; the node stays. */
async function replaceVersions(tx: Runner, versions: ResourceVersion[]): Promise<void> {
  await unwind(
    tx,
    'UNWIND $rows AS row MATCH (v:Version {id: row.id}) SET v = row',
    versions.map((v) => versionProps(v, v)),
  );
}

/** Properties describing the latest state on the resource node, for people writing Cypher. */
function currentState(all: ResourceVersion[]): Row {
  const latest = all[all.length - 1];
  return {
    status: latest?.status ?? null,
    captureTime: latest?.captureTime ?? null,
    deleted: latest ? isDeletedStatus(latest.status) : false,
  };
}

const REQUIRED = ['accountId', 'awsRegion', 'resourceType', 'resourceId', 'captureTime', 'status'] as const;

/**
 * Items reach the store already parsed; one that still lacks an identity field or its capture time is a
 * bug upstream. SQLite's NOT NULL columns refuse it; Neo4j would silently store a node without the
 * property, so it is refused here, naming the item, before anything is written.
 */
export function checkItems(run: RunInput): void {
  run.items.forEach((item, i) => {
    const missing = REQUIRED.filter((f) => typeof item[f] !== 'string' || item[f] === '');
    if (missing.length) {
      const where = [item.source?.file, item.source?.item].filter(Boolean).join(' ') || `items[${i}]`;
      throw new InvalidInputError(
        `${where}: configuration item without ${missing.join(', ')}`,
        'items with accountId, awsRegion, resourceType, resourceId, captureTime and status',
      );
    }
  });
}

/** Runs commit one at a time: the lock is a single node whose write lock the commit holds to its end. */
async function takeIngestLock(tx: Runner, runId: string): Promise<void> {
  await rows(tx, "MERGE (l:IngestLock {id: 'ingest'}) SET l.runId = $runId, l.lockedAt = $now", {
    runId,
    now: new Date().toISOString(),
  });
}

/** `incoming` is computed once, outside the transaction (which the driver may retry). */
export async function applyRun(
  tx: Runner,
  runId: string,
  run: RunInput,
  incoming: IncomingVersions,
  startedAt: IsoTime,
): Promise<RunRecord> {
  // Everything below is read and decided under the lock, so a run committed meanwhile is taken into account.
  await takeIngestLock(tx, runId);
  const counts = startingCounts(run);
  counts.resources = incoming.size;

  const before = new Map<ResourceKey, boolean>();
  for (const r of await unwind(
    tx,
    'UNWIND $rows AS k MATCH (r:Resource {key: k}) RETURN r.key AS key, r.recorded AS recorded',
    [...incoming.keys()],
  )) {
    before.set(r.key as string, r.recorded === true);
  }
  const stored = await versionsOfKeys(
    tx,
    [...before].filter(([, rec]) => rec).map(([k]) => k),
    true,
  );

  const affected = new Set<ResourceKey>();
  const newlyRecorded: ResourceKey[] = [];
  const brandNew = new Set<ResourceKey>();
  const recordedNow = new Map<ResourceKey, ResourceVersion[]>();
  const newVersions: ResourceVersion[] = [];
  const betterCopies: ResourceVersion[] = [];
  const created: Row[] = [];
  const updated: Row[] = [];
  for (const [key, { identity, versions }] of incoming) {
    const wasRecorded = before.get(key);
    const storedIds = new Set((stored.get(key) ?? []).map(versionIdentity));
    const merged = mergeVersions(stored.get(key) ?? [], versions);
    recordedNow.set(key, merged.versions);
    counts.versions += merged.added;
    counts.duplicates += merged.duplicates;
    for (const v of merged.written) (storedIds.has(versionIdentity(v)) ? betterCopies : newVersions).push(v);
    if (!wasRecorded) newlyRecorded.push(key);
    if (merged.written.length > 0 || !wasRecorded) affected.add(key);
    const latestNamed = [...merged.versions].reverse().find((v) => v.resourceName || v.arn);
    const row = {
      key,
      labels: labelsOf(identity.resourceType),
      props: {
        ...identity,
        key,
        resourceName: latestNamed?.resourceName ?? null,
        arn: latestNamed?.arn ?? null,
        recorded: true,
      },
    };
    if (wasRecorded === undefined) {
      brandNew.add(key);
      created.push(row);
    } else updated.push(row);
  }
  // Nodes first: resources (CREATE for those new to the store), then their versions.
  await unwind(tx, 'UNWIND $rows AS row CREATE (r:Resource) SET r = row.props SET r:$(row.labels)', created);
  await unwind(
    tx,
    'UNWIND $rows AS row MATCH (r:Resource {key: row.key}) SET r += row.props SET r:$(row.labels)',
    updated,
  );
  await createVersions(tx, newVersions);
  await replaceVersions(tx, betterCopies);

  // Resources this run brings or changes: always rebuilt. Others a snapshot re-examines: only if it changes them.
  const changed = new Set(affected);
  // Full snapshots: remember what each listed; every recorded resource of that scope is re-examined (R2).
  const scopesWithSnapshots = new Map<string, { accountId: string; awsRegion: string }>();
  if (run.snapshots?.length) {
    await unwind(
      tx,
      'UNWIND $rows AS s CREATE (:Snapshot {runId: $runId, accountId: s.accountId, awsRegion: s.awsRegion, time: s.time, members: s.members})',
      run.snapshots.map((s) => ({
        accountId: s.accountId,
        awsRegion: s.awsRegion,
        time: s.time,
        members: [...new Set(s.members)].sort(),
      })),
      { runId },
    );
    for (const s of run.snapshots)
      scopesWithSnapshots.set(`${s.accountId}|${s.awsRegion}`, { accountId: s.accountId, awsRegion: s.awsRegion });
    for (const r of await unwind(
      tx,
      'UNWIND $rows AS s MATCH (r:Resource {accountId: s.accountId, awsRegion: s.awsRegion}) USING INDEX r:Resource(accountId, awsRegion) WHERE r.recorded RETURN r.key AS key',
      [...scopesWithSnapshots.values()],
    )) {
      affected.add(r.key as string);
    }
  }

  const affectedKeys = [...affected].sort();
  const identities = new Map<ResourceKey, ResourceIdentity>();
  for (const key of affectedKeys) {
    const id = parseKey(key);
    if (id) identities.set(key, id);
  }
  // Resources only re-examined are first read lightly (times and statuses): most stay as they are.
  const moments = await momentsOfKeys(
    tx,
    affectedKeys.filter((k) => !recordedNow.has(k)),
  );

  // Snapshot memberships of every scope involved.
  const scopes = new Map<string, { accountId: string; awsRegion: string }>();
  for (const id of identities.values())
    scopes.set(`${id.accountId}|${id.awsRegion}`, { accountId: id.accountId, awsRegion: id.awsRegion });
  const snapshotsByScope = new Map<string, SnapshotMembership[]>();
  for (const r of await unwind(
    tx,
    'UNWIND $rows AS sc MATCH (s:Snapshot {accountId: sc.accountId, awsRegion: sc.awsRegion}) USING INDEX s:Snapshot(accountId, awsRegion) RETURN sc.accountId + "|" + sc.awsRegion AS scope, s.time AS time, s.members AS members',
    [...scopes.values()],
  )) {
    const list = snapshotsByScope.get(r.scope as string) ?? [];
    list.push({ time: r.time as string, members: new Set(r.members as string[]) });
    snapshotsByScope.set(r.scope as string, list);
  }

  const notFresh = affectedKeys.filter((k) => !brandNew.has(k));
  const previousInferred = new Map<ResourceKey, Set<string>>();
  for (const r of await unwind(
    tx,
    'UNWIND $rows AS k MATCH (:Resource {key: k})-[:HAS_VERSION]->(v:Version) WHERE v.inferred RETURN k AS key, v.identity AS identity',
    notFresh,
  )) {
    const set = previousInferred.get(r.key as string) ?? new Set<string>();
    set.add(r.identity as string);
    previousInferred.set(r.key as string, set);
  }
  const rebuilt: { key: ResourceKey; identity: ResourceIdentity; inferred: ResourceVersion[]; prev: Set<string> }[] =
    [];
  for (const key of affectedKeys) {
    const identity = identities.get(key);
    if (!identity) continue;
    const snaps = snapshotsByScope.get(`${identity.accountId}|${identity.awsRegion}`) ?? [];
    const inferred = snaps.length ? inferredDeletions(key, recordedNow.get(key) ?? moments.get(key) ?? [], snaps) : [];
    const prev = previousInferred.get(key) ?? new Set<string>();
    if (changed.has(key) || !inferenceUnchanged(prev, inferred)) rebuilt.push({ key, identity, inferred, prev });
  }
  const fetched = await versionsOfKeys(
    tx,
    rebuilt.map((r) => r.key).filter((k) => !recordedNow.has(k)),
    true,
  );

  const inferredWrites: ResourceVersion[] = [];
  const derived: DerivedInput[] = [];
  for (const { key, identity, inferred, prev } of rebuilt) {
    const recorded = recordedNow.get(key) ?? fetched.get(key) ?? [];
    for (const v of inferred) {
      if (!prev.has(versionIdentity(v))) counts.inferredDeletions++;
      inferredWrites.push({ ...v, runId });
    }
    derived.push({ key, identity, recorded, all: [...recorded, ...inferred].sort(compareVersions) });
  }
  // Derived data of rebuilt resources comes again from their versions: old inferred deletions and edges go.
  const stale = rebuilt.map((r) => r.key).filter((k) => !brandNew.has(k));
  await unwind(
    tx,
    'UNWIND $rows AS k MATCH (:Resource {key: k})-[:HAS_VERSION]->(v:Version) WHERE v.inferred DETACH DELETE v',
    stale,
  );
  await createVersions(tx, inferredWrites);
  counts.edges += await writeDerived(tx, derived, new Set(stale), runId);

  // CloudTrail events: the same event twice is stored once (A1).
  if (run.events?.length) {
    const unique = new Map<string, ChangeEvent>();
    for (const e of run.events) if (!unique.has(e.eventId)) unique.set(e.eventId, e);
    const known = new Set(
      (
        await unwind(tx, 'UNWIND $rows AS id MATCH (e:Event {eventId: id}) RETURN e.eventId AS id', [...unique.keys()])
      ).map((r) => r.id as string),
    );
    const fresh = [...unique.values()].filter((e) => !known.has(e.eventId));
    counts.events = fresh.length;
    await unwind(
      tx,
      'UNWIND $rows AS row CREATE (e:Event {eventId: row.eventId, eventTime: row.eventTime, eventName: row.eventName, principal: row.principal, resources: row.resources, body: row.body})',
      fresh.map((e) => ({
        eventId: e.eventId,
        eventTime: e.eventTime,
        eventName: e.eventName,
        principal: e.principal,
        resources: e.resources,
        body: JSON.stringify(e),
      })),
    );
    // Resource names of events seen before this run are merged in, like SQLite's INSERT OR IGNORE per pair.
    const extra = [...unique.values()].filter((e) => known.has(e.eventId));
    await unwind(
      tx,
      `UNWIND $rows AS row MATCH (e:Event {eventId: row.eventId})
       SET e.resources = reduce(acc = e.resources, x IN row.resources | CASE WHEN x IN acc THEN acc ELSE acc + x END)`,
      extra.map((e) => ({ eventId: e.eventId, resources: e.resources })),
    );
  }

  await adoptPlaceholders(tx, newlyRecorded, runId);
  await rows(tx, 'MATCH (r:Resource {recorded: false}) USING INDEX r:Resource(recorded) WHERE NOT (r)--() DELETE r');

  const record = finishedRun(runId, run, startedAt, counts);
  await insertRun(tx, record);
  return record;
}

/** What a resource's derived rows are computed from: its recorded versions and all of them (inferred too). */
interface DerivedInput {
  key: ResourceKey;
  identity: ResourceIdentity;
  recorded: ResourceVersion[];
  all: ResourceVersion[];
}

/**
 * Writes what is derived from resources' versions: current state and search terms on the node (Q5, T3),
 * their outgoing edges (E1–E6, T2) with a placeholder for each target no CI describes (I4). `stale` are
 * the keys whose old edges go first. Returns how many edges were written.
 */
async function writeDerived(
  tx: Runner,
  derived: DerivedInput[],
  stale: Set<ResourceKey>,
  runId: string,
): Promise<number> {
  const intervalsByKey = new Map<ResourceKey, ReturnType<typeof edgeValidity>>();
  const identities = new Map<ResourceKey, ResourceIdentity>();
  const stateRows: Row[] = [];
  for (const { key, identity, recorded, all } of derived) {
    identities.set(key, identity);
    intervalsByKey.set(key, edgeValidity(identity.resourceType, all));
    const described = [...recorded].reverse().find((v) => !isDeletedStatus(v.status)) ?? recorded[recorded.length - 1];
    const terms = searchTermsOf(identity.resourceId, described);
    stateRows.push({
      key,
      props: {
        ...currentState(all),
        searchTerms: JSON.stringify(terms),
        searchText: terms.map((t) => t.value.toLowerCase()).join('\n'),
      },
    });
  }
  await unwind(tx, 'UNWIND $rows AS k MATCH (:Resource {key: k})-[e]->(:Resource) DELETE e', [...stale]);
  await unwind(tx, 'UNWIND $rows AS row MATCH (r:Resource {key: row.key}) SET r += row.props', stateRows);

  // Targets: resolved against recorded resources (this run's included: the transaction sees its writes).
  const cache = new Map<string, TargetCandidate[]>();
  const lookups: Lookup[] = [];
  for (const [key, intervals] of intervalsByKey) {
    const identity = identities.get(key)!;
    for (const i of intervals) lookups.push(targetLookup(identity, i.relationship));
  }
  await candidatesFor(tx, lookups, cache);

  let count = 0;
  const edges: EdgeRow[] = [];
  const placeholders = new Map<ResourceKey, Row>();
  for (const [key, intervals] of intervalsByKey) {
    const identity = identities.get(key)!;
    for (const interval of intervals) {
      const r = interval.relationship;
      const target = resolveWith(cache, identity, r);
      if (!placeholders.has(target)) {
        const t = parseKey(target);
        if (t)
          placeholders.set(target, {
            key: target,
            labels: labelsOf(t.resourceType),
            props: { ...t, key: target, resourceName: r.resourceName ?? null, recorded: false, createdByRun: runId },
          });
      }
      const id = edgeId(key, r, interval.validFrom);
      edges.push({
        id,
        source: key,
        target,
        type: interval.type,
        props: {
          id,
          name: r.name,
          type: interval.type,
          origin: r.origin,
          rule: r.rule ?? null,
          validFrom: interval.validFrom,
          validTo: interval.validTo,
          targetType: r.resourceType,
          targetId: r.resourceId ?? null,
          targetName: r.resourceName ?? null,
        },
      });
      count++;
    }
  }
  // Placeholder nodes for targets no CI describes (I4); an existing node is left as it is.
  await unwind(
    tx,
    'UNWIND $rows AS row MERGE (r:Resource {key: row.key}) ON CREATE SET r = row.props, r:$(row.labels)',
    [...placeholders.values()],
  );
  await createEdges(tx, edges);
  return count;
}

/**
 * Rewrites the derived rows of the given recorded resources from their stored versions (inferred
 * deletions included, as stored), as an import would write them today: a schema step whose rules for
 * edges or search terms changed runs this (S5), in batches. Idempotent.
 */
export async function rebuildDerived(tx: Runner, keys: ResourceKey[]): Promise<number> {
  const runId = 'schema-migration';
  await takeIngestLock(tx, runId);
  const versions = await versionsOfKeys(tx, keys, false);
  const derived: DerivedInput[] = [];
  for (const key of keys) {
    const identity = parseKey(key);
    const all = versions.get(key);
    if (!identity || !all) continue;
    derived.push({ key, identity, all, recorded: all.filter((v) => !v.inferred) });
  }
  const edges = await writeDerived(tx, derived, new Set(keys), runId);
  await rows(tx, 'MATCH (r:Resource {recorded: false}) USING INDEX r:Resource(recorded) WHERE NOT (r)--() DELETE r');
  return edges;
}

export async function insertRun(tx: Runner, r: RunRecord): Promise<void> {
  await rows(
    tx,
    `OPTIONAL MATCH (prev:Run) WITH coalesce(max(prev.seq), 0) + 1 AS seq
     CREATE (:Run {id: $id, seq: seq, source: $source, scope: $scope, startedAt: $startedAt, endedAt: $endedAt, status: $status, body: $body})`,
    {
      id: r.id,
      source: r.source,
      scope: r.scope,
      startedAt: r.startedAt,
      endedAt: r.endedAt ?? null,
      status: r.status,
      body: JSON.stringify(r),
    },
  );
}

/**
 * When a resource becomes recorded, edges that pointed at a placeholder for it (named by id or name, or
 * guessed into another region) are resolved again, so arrival order does not matter (I5). Placeholders
 * created by this run are skipped: they were resolved knowing every resource this run records.
 */
async function adoptPlaceholders(tx: Runner, keys: ResourceKey[], runId: string): Promise<void> {
  if (keys.length === 0) return;
  const found = await unwind(
    tx,
    `UNWIND $rows AS k MATCH (n:Resource {key: k})
     WITH n, coalesce(n.resourceName, n.resourceId) AS name
     CALL (n, name) {
       MATCH (p:Resource {resourceId: n.resourceId}) USING INDEX p:Resource(resourceId) RETURN p
       UNION MATCH (p:Resource {resourceId: name}) USING INDEX p:Resource(resourceId) RETURN p
       UNION MATCH (p:Resource {resourceName: name}) USING INDEX p:Resource(resourceName) RETURN p
     }
     WITH n, p WHERE p.recorded = false AND p.accountId = n.accountId AND p.resourceType = n.resourceType AND p.key <> n.key
       AND coalesce(p.createdByRun, '') <> $runId
     WITH DISTINCT p
     CALL (p) { MATCH (s:Resource)-[e]->(p) RETURN s, e }
     RETURN DISTINCT p.key AS placeholder, s.key AS source, e.id AS id, type(e) AS type, e.name AS name, e.origin AS origin,
            e.targetType AS targetType, e.targetId AS targetId, e.targetName AS targetName`,
    keys,
    { runId },
  );
  if (found.length === 0) return;
  const cache = new Map<string, TargetCandidate[]>();
  const items = found.flatMap((e) => {
    const source = parseKey(e.source as string);
    if (!source) return [];
    const rel: RawRelationship = {
      name: e.name as string,
      origin: e.origin as RawRelationship['origin'],
      resourceType: e.targetType as string,
    };
    if (e.targetId) rel.resourceId = e.targetId as string;
    if (e.targetName) rel.resourceName = e.targetName as string;
    return [{ e, source, rel }];
  });
  await candidatesFor(
    tx,
    items.map((i) => targetLookup(i.source, i.rel)),
    cache,
  );
  const moves = items
    .map(({ e, source, rel }) => ({
      id: e.id as string,
      type: e.type as string,
      source: e.source as string,
      old: e.placeholder as string,
      target: resolveWith(cache, source, rel),
    }))
    .filter((m) => m.target !== m.old);
  for (const [type, group] of groupBy(moves, (m) => m.type)) {
    const t = relTypeInCypher(type);
    await unwind(
      tx,
      `UNWIND $rows AS row
       MATCH (s:Resource {key: row.source})-[e:${t}]->(:Resource {key: row.old}) WHERE e.id = row.id
       MATCH (n:Resource {key: row.target})
       CREATE (s)-[moved:${t}]->(n) SET moved = properties(e)
       DELETE e`,
      group,
    );
  }
}
