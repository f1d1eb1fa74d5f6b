// What an ingest plan asks of the stored state, and how a store answers it. The plan is a generator that
// yields one batched read at a time: an adapter answers each from its driver, synchronously (SQLite, the
// in-memory store) or asynchronously (Neo4j), and never one round trip per item.
import type { SnapshotMembership, VersionMoment } from '../deletions.ts';
import type { GraphEdge, RawRelationship, ResourceKey, ResourceVersion } from '../model.ts';
import type { targetLookup, TargetCandidate } from '../resolve.ts';
import type { VersionOrder } from '../versions.ts';

/** A scope (account and region), as snapshots cover it. */
export interface ScopeRef {
  accountId: string;
  awsRegion: string;
}

export const scopeId = (s: ScopeRef): string => `${s.accountId}|${s.awsRegion}`;

/** A slice of keys in the store's key order: the first `limit` after `after` (absent: from the first). */
export interface KeyRange {
  after?: ResourceKey;
  limit: number;
}

/** What to look up among recorded resources for a relationship target (same account and type; id, or name). */
export type TargetLookup = ReturnType<typeof targetLookup>;

/** Placeholders of this account and type whose resource id is one of `ids` or whose name is `name` (I5). */
export interface PlaceholderQuery {
  accountId: string;
  resourceType: string;
  ids: string[];
  name: string;
}

/** A stored edge pointing at a placeholder, with what its source's relationship named (to resolve it again). */
export interface PlaceholderEdge extends EdgeNaming {
  placeholder: ResourceKey;
  id: string;
  source: ResourceKey;
  type: string;
}

/** What a stored edge keeps of the relationship it came from. */
export interface EdgeNaming {
  name: string;
  origin: RawRelationship['origin'];
  targetType: string;
  targetId: string | null;
  targetName: string | null;
}

/** The relationship a stored edge was written for, to resolve it again. */
export function namedRelationship(e: EdgeNaming): RawRelationship {
  const r: RawRelationship = { name: e.name, origin: e.origin, resourceType: e.targetType };
  if (e.targetId) r.resourceId = e.targetId;
  if (e.targetName) r.resourceName = e.targetName;
  return r;
}

/** A recorded version as deletion inference reads it: light enough to read for a whole scope. */
export type VersionMomentRow = VersionMoment & VersionOrder;

/**
 * A recorded version without its configuration, relationships or body: its identity and content hash say
 * whether a run's CI repeats it (V2), its moment and order serve deletion inference, its names the resource (I2).
 */
export type StoredHead = VersionMomentRow & Pick<ResourceVersion, 'resourceName' | 'arn'>;

/**
 * A resource's rows derived from its versions, as stored: its outgoing edges (a StoredEdge each), and its search
 * terms in order. Written out here: the types they come from import the store port, which imports this file.
 */
export interface StoredDerived {
  edges: (GraphEdge & Pick<EdgeNaming, 'targetType' | 'targetId' | 'targetName'>)[];
  terms: { kind: string; value: string }[];
}

/**
 * Every read of the stored state a plan makes, each for many keys at once. All answer the state before
 * the run (the plan accounts for its own writes); missing keys are simply absent from the answer.
 */
export interface IngestReads {
  /** Which of these keys the store holds, and whether each is recorded (else a placeholder). */
  resourcesState(keys: ResourceKey[]): Map<ResourceKey, { recorded: boolean }>;
  /** Recorded (not inferred) versions, complete, in any order. */
  recordedVersions(keys: ResourceKey[]): Map<ResourceKey, ResourceVersion[]>;
  /** Every version, inferred ones included, complete, in any order. */
  allVersions(keys: ResourceKey[]): Map<ResourceKey, ResourceVersion[]>;
  /**
   * Recorded versions as heads (StoredHead), in any order: what recognises a run's CI as a repeat of a stored
   * version without decompressing and parsing every stored version of its resource.
   */
  recordedHeads(keys: ResourceKey[]): Map<ResourceKey, StoredHead[]>;
  /** Recorded versions, light (capture time, status, ordering fields), in any order. */
  recordedMoments(keys: ResourceKey[]): Map<ResourceKey, VersionMomentRow[]>;
  /**
   * The derived rows stored for these resources, so that a run rewrites only those that change. A store may
   * leave a key out (or answer nothing): its rows are then all rewritten, as they always were.
   */
  storedDerived(keys: ResourceKey[]): Map<ResourceKey, StoredDerived>;
  /** Version identities of the inferred deletions stored for these keys. */
  inferredIdentities(keys: ResourceKey[]): Map<ResourceKey, Set<string>>;
  /**
   * Keys of the recorded resources of these scopes. With a range: only the first `limit` of them that sort
   * after `after`, in the store's own key order and returned in it (so the next range continues exactly).
   */
  recordedKeysIn(scopes: ScopeRef[], range?: KeyRange): ResourceKey[];
  /** Stored full snapshots of these scopes, by `scopeId`. */
  snapshotsOf(scopes: ScopeRef[]): Map<string, SnapshotMembership[]>;
  /** Recorded candidates for each lookup (the answer lists them in the lookups' order). */
  candidates(lookups: TargetLookup[]): TargetCandidate[][];
  /** Stored edges pointing at placeholders any of these queries names. */
  placeholderEdges(queries: PlaceholderQuery[]): PlaceholderEdge[];
  /** Which of these CloudTrail event ids are stored. */
  knownEvents(ids: string[]): Set<string>;
}

/** The same reads, answered asynchronously (a database across a network). */
export type AsyncIngestReads = {
  [K in keyof IngestReads]: (...args: Parameters<IngestReads[K]>) => Promise<ReturnType<IngestReads[K]>>;
};

type ReadName = keyof IngestReads;
/** One read a plan asks for. */
export type ReadRequest = { [K in ReadName]: { read: K; args: Parameters<IngestReads[K]> } }[ReadName];

/** A plan: yields reads, is resumed with their answers, returns what to write. */
export type Plan<T> = Generator<ReadRequest, T, unknown>;

/** Asks one read inside a plan: `const state = yield* ask('resourcesState', keys)`. */
export function* ask<K extends ReadName>(
  read: K,
  ...args: Parameters<IngestReads[K]>
): Generator<ReadRequest, ReturnType<IngestReads[K]>, unknown> {
  return (yield { read, args } as ReadRequest) as ReturnType<IngestReads[K]>;
}

function answer(reads: IngestReads | AsyncIngestReads, req: ReadRequest): unknown {
  return (reads[req.read] as (...args: unknown[]) => unknown).apply(reads, req.args);
}

/** Runs a plan against reads answered at once (inside a synchronous transaction). */
export function runPlanSync<T>(plan: Plan<T>, reads: IngestReads): T {
  let step = plan.next();
  while (!step.done) step = plan.next(answer(reads, step.value));
  return step.value;
}

/** Runs a plan against reads that answer later (inside an asynchronous transaction). */
export async function runPlan<T>(plan: Plan<T>, reads: AsyncIngestReads): Promise<T> {
  let step = plan.next();
  while (!step.done) step = plan.next(await answer(reads, step.value));
  return step.value;
}

export type { TargetCandidate };
