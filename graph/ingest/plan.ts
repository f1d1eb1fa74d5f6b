// The ingest plan: one run (R1) in, everything to write out, for every store. Rules come from the pure
// functions in graph/ (V1–V5 merging, R2–R3 inference, E1–E6 edges, I3–I5 targets, Q5 terms, A1 events);
// the stored state is read through IngestReads in batches, before any write, and the run's own effect on
// it is accounted for here. An adapter answers the reads and executes the writes in one transaction.
import { inferenceUnchanged, inferredDeletions, type SnapshotMembership } from '../deletions.ts';
import { InvalidInputError } from '../errors.ts';
import { parseKey } from '../identity.ts';
import type {
  ChangeEvent,
  IsoTime,
  RawRelationship,
  Reexamined,
  ResourceIdentity,
  ResourceKey,
  ResourceVersion,
} from '../model.ts';
import { finishedRun } from '../runs.ts';
import type { RunInput } from '../store.ts';
import { compareVersions, mergeVersions, onlyRepeats, versionIdentity, type VersionOrder } from '../versions.ts';
import { keepUnchanged, planDerived, type DerivedInput } from './derived.ts';
import { RunPreparation, type PreparedRun } from './prepare.ts';
import {
  ask,
  namedRelationship,
  scopeId,
  type PlaceholderEdge,
  type Plan,
  type ScopeRef,
  type StoredHead,
  type VersionMomentRow,
} from './reads.ts';
import { resolverFor, RunResources } from './targets.ts';
import type { EarlyWrites, EdgeMove, IngestWrites, ResourceWrite } from './writes.ts';

const sorted = <T extends VersionOrder>(list: T[] | undefined): T[] => (list ?? []).sort(compareVersions);

export function* ingestPlan(run: RunInput, runId: string, startedAt: IsoTime): Plan<IngestWrites> {
  return yield* preparedPlan(run, new RunPreparation(run, runId).get(), startedAt);
}

/** What a store may hear while a run is planned. */
export interface PlanHooks {
  /** Called once, as soon as the run's resource rows and new versions are final (they are not changed after). */
  versionsKnown?(early: EarlyWrites): void;
}

/** The plan of a run whose read-free part was prepared beforehand (./prepare.ts); leaves `prepared` as it is. */
export function* preparedPlan(
  run: RunInput,
  prepared: PreparedRun,
  startedAt: IsoTime,
  hooks: PlanHooks = {},
): Plan<IngestWrites> {
  const runId = prepared.id;
  const counts = { ...prepared.counts };
  const incoming = prepared.incoming;
  counts.resources = incoming.size;
  const keys = [...incoming.keys()];
  const before = yield* ask('resourcesState', keys);
  const recordedKeys = keys.filter((k) => before.get(k)?.recorded);
  // A resource whose CIs all repeat stored versions (a snapshot's copy of its latest state) is recognised from
  // its stored heads and content hashes; only the others have every stored version read back and merged.
  const heads = recordedKeys.length ? yield* ask('recordedHeads', recordedKeys) : new Map<ResourceKey, StoredHead[]>();
  const repeats = new Map<ResourceKey, StoredHead[]>();
  for (const key of recordedKeys) {
    const its = heads.get(key);
    if (its && onlyRepeats(incoming.get(key)!.versions, its)) repeats.set(key, sorted(its));
  }
  const stored = yield* ask(
    'recordedVersions',
    recordedKeys.filter((k) => !repeats.has(k)),
  );

  // Versions: merged with what is stored (V2, V3); the resource row follows its latest named version (I2).
  const resources: ResourceWrite[] = [];
  const versions: ResourceVersion[] = [];
  const betterCopies: ResourceVersion[] = [];
  const recordedNow = new Map<ResourceKey, ResourceVersion[]>();
  const newlyRecorded: ResourceKey[] = [];
  const affected = new Set<ResourceKey>();
  for (const [key, { identity, versions: its }] of incoming) {
    const repeat = repeats.get(key);
    if (repeat) {
      // What mergeVersions would find: every copy a duplicate, the stored versions kept as they are.
      counts.duplicates += its.length;
      resources.push(resourceWrite(key, identity, repeat, false));
      continue;
    }
    const wasRecorded = before.get(key)?.recorded === true;
    const storedVersions = sorted(stored.get(key));
    const storedIds = new Set(storedVersions.map(versionIdentity));
    const merged = mergeVersions(storedVersions, its);
    recordedNow.set(key, merged.versions);
    counts.versions += merged.added;
    counts.duplicates += merged.duplicates;
    for (const v of merged.written) (storedIds.has(versionIdentity(v)) ? betterCopies : versions).push(v);
    if (!wasRecorded) newlyRecorded.push(key);
    if (merged.written.length > 0 || !wasRecorded) affected.add(key);
    resources.push(resourceWrite(key, identity, merged.versions, !before.has(key)));
  }
  hooks.versionsKnown?.({ resources, versions, betterCopies });
  const runResources = new RunResources(resources);
  // Resources the store held no row for need no reads or deletes: most of a first import.
  const brandNew = new Set(resources.filter((r) => r.isNew).map((r) => r.key));

  // Resources this run brings or changes: always rebuilt. Others a snapshot re-examines: only if it changes them.
  const changed = new Set(affected);
  const snapshots = (run.snapshots ?? []).map((s) => ({ ...s, members: [...new Set(s.members)].sort() }));
  const snapshotScopes = new Map<string, ScopeRef>();
  for (const s of snapshots) snapshotScopes.set(scopeId(s), { accountId: s.accountId, awsRegion: s.awsRegion });
  // Recorded resources of a scope with a full snapshot are re-examined (R2), this run's included.
  const reexamine = yield* toReexamine(run, [...snapshotScopes.values()]);
  for (const k of reexamine.keys) affected.add(k);
  for (const [key, { identity }] of incoming) if (snapshotScopes.has(scopeId(identity))) affected.add(key);

  const affectedKeys = [...affected].sort();
  const identities = new Map<ResourceKey, ResourceIdentity>();
  const scopes = new Map<string, ScopeRef>();
  for (const key of affectedKeys) {
    const id = parseKey(key);
    if (!id) continue;
    identities.set(key, id);
    scopes.set(scopeId(id), { accountId: id.accountId, awsRegion: id.awsRegion });
  }
  const snapshotsByScope = scopes.size
    ? yield* ask('snapshotsOf', [...scopes.values()])
    : new Map<string, SnapshotMembership[]>();
  for (const s of snapshots) {
    const list = snapshotsByScope.get(scopeId(s)) ?? [];
    list.push({ time: s.time, members: new Set(s.members) });
    snapshotsByScope.set(scopeId(s), list);
  }
  const snapshotsOf = (id: ResourceIdentity) => snapshotsByScope.get(scopeId(id)) ?? [];

  // Resources only re-examined are first read lightly (times and statuses): most stay as they are.
  const examined = [...identities]
    .filter(([k, id]) => !recordedNow.has(k) && !repeats.has(k) && snapshotsOf(id).length)
    .map(([k]) => k);
  const moments = examined.length
    ? yield* ask('recordedMoments', examined)
    : new Map<ResourceKey, VersionMomentRow[]>();
  const notNew = affectedKeys.filter((k) => !brandNew.has(k));
  const previousInferred = notNew.length ? yield* ask('inferredIdentities', notNew) : new Map<string, Set<string>>();
  const rebuilt: { key: ResourceKey; identity: ResourceIdentity; inferred: ResourceVersion[]; prev: Set<string> }[] =
    [];
  for (const [key, identity] of identities) {
    const snaps = snapshotsOf(identity);
    const inferred = snaps.length
      ? inferredDeletions(key, recordedNow.get(key) ?? repeats.get(key) ?? sorted(moments.get(key)), snaps)
      : [];
    const prev = previousInferred.get(key) ?? new Set<string>();
    if (changed.has(key) || !inferenceUnchanged(prev, inferred)) rebuilt.push({ key, identity, inferred, prev });
  }
  const toFetch = rebuilt.map((r) => r.key).filter((k) => !recordedNow.has(k));
  const fetched = toFetch.length ? yield* ask('recordedVersions', toFetch) : new Map<ResourceKey, ResourceVersion[]>();

  const inferredWrites: ResourceVersion[] = [];
  const inputs: DerivedInput[] = [];
  for (const { key, identity, inferred, prev } of rebuilt) {
    const recorded = recordedNow.get(key) ?? sorted(fetched.get(key));
    for (const v of inferred) {
      if (!prev.has(versionIdentity(v))) counts.inferredDeletions++;
      inferredWrites.push({ ...v, runId });
    }
    // Deletions inferred before that this run's CIs or snapshots disprove: an import's net count subtracts them.
    if (prev.size) {
      const now = new Set(inferred.map(versionIdentity));
      for (const id of prev) if (!now.has(id)) counts.undoneDeletions = (counts.undoneDeletions ?? 0) + 1;
    }
    inputs.push({ key, identity, recorded, all: [...recorded, ...inferred].sort(compareVersions) });
  }
  // Derived rows of rebuilt resources come again from their versions: old inferred deletions and edges go.
  const stale = rebuilt.map((r) => r.key).filter((k) => !brandNew.has(k));
  const rows = yield* planDerived(inputs, stale, runResources);
  counts.edges += rows.edges.length;
  // Of those, rows that come out as stored stay: a resource brought again mostly keeps its edges and terms.
  const derived = yield* keepUnchanged(rows);

  const events = yield* planEvents(run.events ?? []);
  if (events.events.length) counts.events = events.events.length;
  const moves = yield* planAdoption(newlyRecorded, resources, new Set(stale), runResources);

  return {
    ...derived,
    resources,
    versions,
    betterCopies,
    snapshots,
    inferred: inferredWrites,
    ...events,
    moves,
    // A file's effect is complete once its snapshots have re-examined every stored resource (R7).
    files: reexamine.report?.more ? [] : (run.files ?? []),
    run: {
      ...finishedRun(runId, run, startedAt, counts),
      ...(reexamine.report ? { reexamined: reexamine.report } : {}),
    },
  };
}

/** The resource row a run leaves: named by its latest version that names it (I2). */
function resourceWrite(
  key: ResourceKey,
  identity: ResourceIdentity,
  versions: readonly Pick<ResourceVersion, 'resourceName' | 'arn'>[],
  isNew: boolean,
): ResourceWrite {
  let named: Pick<ResourceVersion, 'resourceName' | 'arn'> | undefined;
  for (let i = versions.length - 1; i >= 0 && !named; i--)
    if (versions[i]!.resourceName || versions[i]!.arn) named = versions[i];
  return { key, identity, resourceName: named?.resourceName ?? null, arn: named?.arn ?? null, isNew };
}

/**
 * The stored resources a run re-examines: every recorded one of its snapshots' scopes, or, for a part of
 * a split import (R5), the slice it names, with where that slice stopped for the next run to continue.
 */
function* toReexamine(run: RunInput, snapshotScopes: ScopeRef[]): Plan<{ keys: ResourceKey[]; report?: Reexamined }> {
  const slice = run.reexamine;
  if (!slice) return { keys: snapshotScopes.length ? yield* ask('recordedKeysIn', snapshotScopes) : [] };
  if (!Number.isInteger(slice.limit) || slice.limit < 1)
    throw new InvalidInputError(`re-examine limit must be a positive integer, got ${slice.limit}`);
  if (!slice.scopes.length) return { keys: [] };
  // One key past the limit says whether another run must continue.
  const range = { limit: slice.limit + 1, ...(slice.after !== undefined ? { after: slice.after } : {}) };
  const found = yield* ask('recordedKeysIn', slice.scopes, range);
  const keys = found.slice(0, slice.limit);
  const through = keys.at(-1);
  return {
    keys,
    report: { resources: keys.length, ...(through !== undefined ? { through } : {}), more: found.length > slice.limit },
  };
}

/** CloudTrail events: the same event twice is stored once (A1); each keeps every resource its copies name. */
function* planEvents(all: ChangeEvent[]): Plan<Pick<IngestWrites, 'events' | 'eventResources'>> {
  if (!all.length) return { events: [], eventResources: [] };
  const unique = new Map<string, ChangeEvent>();
  const names = new Map<string, Set<string>>();
  for (const e of all) {
    if (!unique.has(e.eventId)) unique.set(e.eventId, e);
    const set = names.get(e.eventId) ?? new Set<string>();
    for (const r of e.resources) set.add(r);
    names.set(e.eventId, set);
  }
  const known = yield* ask('knownEvents', [...unique.keys()]);
  return {
    events: [...unique.values()].filter((e) => !known.has(e.eventId)),
    eventResources: [...names].map(([eventId, set]) => ({ eventId, resources: [...set] })),
  };
}

/**
 * When a resource becomes recorded, stored edges that pointed at a placeholder for it (named by id or
 * name, or guessed into another region) are resolved again, so arrival order does not matter (I5).
 * Edges this run writes were resolved knowing every resource it records: only older ones can move.
 */
function* planAdoption(
  newlyRecorded: ResourceKey[],
  resources: ResourceWrite[],
  stale: Set<ResourceKey>,
  run: RunResources,
): Plan<EdgeMove[]> {
  const names = new Map(resources.map((r) => [r.key, r.resourceName]));
  const queries = newlyRecorded.flatMap((key) => {
    const id = parseKey(key);
    if (!id) return [];
    const name = names.get(key) ?? id.resourceId;
    return [{ accountId: id.accountId, resourceType: id.resourceType, ids: [id.resourceId, name], name }];
  });
  if (!queries.length) return [];
  const found = new Map<string, { source: ResourceIdentity; relationship: RawRelationship; edge: PlaceholderEdge }>();
  for (const edge of yield* ask('placeholderEdges', queries)) {
    const source = parseKey(edge.source);
    if (!source || run.has(edge.placeholder) || stale.has(edge.source) || found.has(edge.id)) continue;
    found.set(edge.id, { source, relationship: namedRelationship(edge), edge });
  }
  const resolve = yield* resolverFor([...found.values()], run);
  const moves: EdgeMove[] = [];
  for (const { source, relationship, edge } of found.values()) {
    const to = resolve(source, relationship);
    if (to !== edge.placeholder)
      moves.push({ id: edge.id, source: edge.source, type: edge.type, from: edge.placeholder, to });
  }
  return moves;
}
