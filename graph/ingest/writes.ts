// What an ingest plan decides to write: plain data, executed by each adapter in its own language, in the
// order of the fields below (nodes before the edges that join them, old derived rows before new ones).
import type {
  ChangeEvent,
  GraphEdge,
  ImportedFile,
  ResourceIdentity,
  ResourceKey,
  ResourceVersion,
  RunRecord,
  ScopeSnapshot,
} from '../model.ts';
import type { SearchTerm } from '../search-terms.ts';

/** A recorded resource as the run leaves it; `isNew` when the store held no row for its key at all. */
export interface ResourceWrite {
  key: ResourceKey;
  identity: ResourceIdentity;
  /** From its latest version that names it (I2). */
  resourceName: string | null;
  arn: string | null;
  isNew: boolean;
}

/** A node for a target no CI describes (I4): written only if no node with its key exists. */
export interface PlaceholderWrite {
  key: ResourceKey;
  identity: ResourceIdentity;
  resourceName: string | null;
}

/** An edge as stored: the graph edge plus what its relationship named, so it can be resolved again (I5). */
export interface StoredEdge extends GraphEdge {
  targetType: string;
  targetId: string | null;
  targetName: string | null;
}

/** An edge's stored content in the order of its columns: compared whole (a kept edge) and written as a row. */
export const storedEdgeColumns = (e: StoredEdge) =>
  [
    e.id,
    e.source,
    e.target,
    e.name,
    e.type,
    e.origin,
    e.rule ?? null,
    e.validFrom,
    e.validTo,
    e.targetType,
    e.targetId,
    e.targetName,
  ] as const;

/** What a resource's versions say now: its latest state (T3) and its search terms (Q5). */
export interface DerivedState {
  key: ResourceKey;
  status: string | null;
  captureTime: string | null;
  deleted: boolean;
  terms: SearchTerm[];
}

/** An edge that pointed at a placeholder and now points at the resource that was recorded for it (I5). */
export interface EdgeMove {
  id: string;
  source: ResourceKey;
  type: string;
  from: ResourceKey;
  to: ResourceKey;
}

/** Rows derived from versions, rebuilt for the resources a run (or a schema step, S5) touches. */
export interface DerivedWrites {
  /** Resources whose stored outgoing edges and search terms go first (their inferred deletions too, in a run). */
  stale: ResourceKey[];
  states: DerivedState[];
  placeholders: PlaceholderWrite[];
  edges: StoredEdge[];
  /**
   * Of the `stale` resources, those whose stored rows were compared with the new ones, so that only changes are
   * written (absent: none). `sources`: their outgoing edges are not all removed; only `removedEdges` (ids of
   * stored edges gone or changed) are, and `edges` holds only their new or changed ones. `terms`: their search
   * terms come out as stored and stay (their `states` carry the same terms).
   */
  kept?: { sources: ResourceKey[]; removedEdges: string[]; terms: ResourceKey[] };
}

export interface IngestWrites extends DerivedWrites {
  resources: ResourceWrite[];
  /** Recorded versions new to the store. */
  versions: ResourceVersion[];
  /** Richer copies replacing stored versions of the same identity (V3). */
  betterCopies: ResourceVersion[];
  /** Full snapshots of the run, members without repeats (R2). */
  snapshots: ScopeSnapshot[];
  /** Inferred deletions of the rebuilt resources (R3), written after `stale` ones are removed. */
  inferred: ResourceVersion[];
  /** CloudTrail events new to the store, once each (A1). */
  events: ChangeEvent[];
  /** Every event id of the run with all the resources its copies name (stored events gain the new names). */
  eventResources: { eventId: string; resources: string[] }[];
  moves: EdgeMove[];
  /** Files recorded as imported by this run (R7). */
  files: ImportedFile[];
  /** After the moves: placeholders no edge names any more are removed (I4). */
  run: RunRecord;
}

/**
 * The first writes of a run, final before the rest of its plan: its resource rows and new versions. A store
 * writing on another thread starts on them while the derived rows are planned (graph/ingest/plan.ts).
 */
export type EarlyWrites = Pick<IngestWrites, 'resources' | 'versions' | 'betterCopies'>;
