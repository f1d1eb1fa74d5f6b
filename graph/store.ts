// The GraphStore port: the one interface every adapter (SQLite, Neo4j) implements and the
// contract suite (test/contract/) checks. Rule ids in comments refer to graph/SPEC.md.
import type {
  ChangeEvent,
  ConfigItem,
  DownloadedObject,
  FileDigest,
  GraphEdge,
  HistoryEntry,
  ImportedFile,
  IsoTime,
  ListedObject,
  ResourceIdentity,
  ResourceKey,
  ResourceNode,
  ResourceVersion,
  RunRecord,
  Scope,
  ScopeSnapshot,
  SkippedItem,
} from './model.ts';
import type { KeyRange, ScopeRef } from './ingest/reads.ts';
import type { Neighborhood, PathResult } from './traverse.ts';
import type { PurposeView, ViewKind } from './views.ts';

/** A resource reference as a user types it: a resource id, an ARN, or a key. Rule Q1. */
export type ResourceRef = string;

/** What one import/collection hands to a store; stored atomically (R1). */
export interface RunInput {
  source: string;
  scope: string;
  items: ConfigItem[];
  /** Full snapshots contained in this run (R2). */
  snapshots?: ScopeSnapshot[];
  skipped?: SkippedItem[];
  notes?: string[];
  /** CloudTrail write events, used to say who made each change (A1–A3). */
  events?: ChangeEvent[];
  /** Fixed start time (tests, reproducible imports); defaults to now. */
  startedAt?: IsoTime;
  /**
   * A part of a split import (R5): re-examine against their stored snapshots (R2) only this slice of the
   * recorded resources of these scopes (none, without scopes), instead of every recorded resource of the
   * scopes of the run's snapshots. The run's own resources are judged against the snapshots either way.
   */
  reexamine?: ReexamineSlice;
  /**
   * Files whose effect this run completes, recorded as imported in its transaction (R7), with the listing
   * of each that is an S3 object (as recordImportedObjects would). A run that re-examines a slice with more
   * to follow leaves them to the run that continues it.
   */
  files?: ImportedFile[];
}

/** Recorded resources of these scopes, in the store's key order: the first `limit` after `after` (R5). */
export interface ReexamineSlice extends KeyRange {
  scopes: ScopeRef[];
}

export interface NeighborhoodOptions {
  /** 1–3 hops. */
  depth?: number;
  at?: IsoTime;
  /** Keep only resources of these types (the start node is always kept). */
  types?: string[];
  /** Maximum number of nodes; beyond it the result is truncated (Q3). */
  limit?: number;
}

/** A view by purpose (W1–W3): `attachments` from an EC2 instance, `network` from a VPC. */
export interface ViewOptions {
  kind: ViewKind;
  at?: IsoTime;
  limit?: number;
}

export interface SearchOptions {
  limit?: number;
  type?: string;
  accountId?: string;
  awsRegion?: string;
}

export interface SearchHit {
  node: ResourceNode;
  /** What matched: id, name, arn, tag, ip, dns, configuration. */
  matchedOn: string;
  matchedValue: string;
  score: number;
  /** T3: the resource is deleted now (node.deletedAt and node.lastExistedAt say when). */
  deleted: boolean;
}

export interface ResourceView {
  node: ResourceNode;
  /** The version in force at the requested time (undefined for placeholders). */
  version?: ResourceVersion;
  /** Edges in force at that time, in both directions. */
  outgoing: GraphEdge[];
  incoming: GraphEdge[];
  /** Whether the resource existed (had been seen and was not deleted) at the requested time. */
  existsAt: boolean;
}

export interface ResourceHistory {
  resource: ResourceNode;
  versions: HistoryEntry[];
}

export interface GraphSnapshot {
  at?: IsoTime;
  nodes: ResourceNode[];
  edges: GraphEdge[];
}

/** A page of a graph read as it goes (streamGraphAt): every page of nodes comes before any page of edges. */
export type GraphPage = { nodes: ResourceNode[]; edges?: undefined } | { edges: GraphEdge[]; nodes?: undefined };

export interface GraphDiff {
  from: IsoTime;
  to: IsoTime;
  resources: {
    added: ResourceNode[];
    removed: ResourceNode[];
    changed: { node: ResourceNode; fromCaptureTime?: IsoTime; toCaptureTime?: IsoTime }[];
  };
  edges: { added: GraphEdge[]; removed: GraphEdge[] };
}

export interface PathOptions {
  at?: IsoTime;
  maxDepth?: number;
}

export interface StoreStats {
  resources: number;
  placeholders: number;
  versions: number;
  edges: number;
  runs: number;
  byType: Record<string, number>;
  byAccount: Record<string, number>;
  byRegion: Record<string, number>;
  lastRun?: RunRecord;
}

/** Everything the store holds, in a canonical order: two stores with equal exports hold the same graph. */
export interface CanonicalExport {
  resources: ResourceNode[];
  versions: ResourceVersion[];
  edges: GraphEdge[];
}

/** Which resources of one type `versionsOfType` reads: in an account, a region, with one resource id. */
export interface TypeScope extends Scope {
  resourceId?: string;
}

/** One recorded resource and all its versions, ordered (V4). */
export interface ResourceVersions {
  key: ResourceKey;
  identity: ResourceIdentity;
  versions: ResourceVersion[];
}

/** A run's read-free part, prepared once (graph/ingest/prepare.ts's RunPreparation, which a store recognises). */
export interface RunPreparing {
  readonly run: RunInput;
  prepare(ahead?: boolean): void;
}

/** The read-free part of runs: this run's, and the next one's to do meanwhile. */
export interface IngestAhead {
  preparation?: RunPreparing | undefined;
  next?: RunPreparing | undefined;
}

export interface GraphStore {
  /**
   * Store one run atomically and return its record (R1). `ahead` (optional, a store may ignore it): this run's
   * preparation, and the next run's, which a store that commits asynchronously does while this one commits.
   */
  ingest(run: RunInput, ahead?: IngestAhead): Promise<RunRecord>;
  /**
   * True when `ingest` writes on another thread: an import then reads and parses its next run while the
   * previous one is written, and calls `ingest` again only once the previous call has settled.
   */
  readonly ingestsOffThread?: boolean;
  resource(ref: ResourceRef, opts?: { at?: IsoTime }): Promise<ResourceView>;
  versionsOf(ref: ResourceRef): Promise<ResourceVersion[]>;
  history(ref: ResourceRef): Promise<ResourceHistory>;
  neighborhood(ref: ResourceRef, opts?: NeighborhoodOptions): Promise<Neighborhood>;
  view(ref: ResourceRef, opts: ViewOptions): Promise<PurposeView>;
  search(q: string, opts?: SearchOptions): Promise<SearchHit[]>;
  graphAt(at?: IsoTime, scope?: Scope): Promise<GraphSnapshot>;
  /**
   * graphAt's nodes then its edges, each in graphAt's order, a page at a time: for writing a whole estate out
   * as it is read (exports) without building the snapshot. Collected, the pages are graphAt's answer.
   */
  streamGraphAt(at?: IsoTime, scope?: Scope): AsyncIterable<GraphPage>;
  diff(from: IsoTime, to: IsoTime, scope?: Scope): Promise<GraphDiff>;
  path(a: ResourceRef, b: ResourceRef, opts?: PathOptions): Promise<PathResult>;
  stats(): Promise<StoreStats>;
  runs(): Promise<RunRecord[]>;
  canonicalExport(): Promise<CanonicalExport>;
  /** Every recorded resource of a type within `scope`, with all its versions, by key (compliance, C1–C3). */
  versionsOfType(resourceType: string, scope?: TypeScope): Promise<ResourceVersions[]>;
  /** Nodes as of `at` (now when absent), placeholders included; unknown keys are left out. */
  nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]>;
  /**
   * The version in force at `at` (the latest when absent; V4, as `versionAt` picks it) of each of these
   * recorded resources that has one, in the order of `keys`: whole-estate exports read them a page of keys
   * at a time instead of every version of every resource.
   */
  versionsInForce(keys: ResourceKey[], at?: IsoTime): Promise<ResourceVersion[]>;
  /** Which of these file contents an import already stored (R7), by SHA-256 and size. */
  importedFiles(files: FileDigest[]): Promise<FileDigest[]>;
  /**
   * Which of these listed objects were downloaded before with the same path, ETag, size and time, and their
   * content is recorded as imported (R7): a re-import need not download them. In the order asked.
   */
  importedObjects(objects: ListedObject[]): Promise<ListedObject[]>;
  /**
   * Remembers downloaded objects whose content is recorded as imported (R7), each by its path (a newer
   * listing replaces an older); the others are left out. Returns how many were remembered.
   */
  recordImportedObjects(objects: DownloadedObject[]): Promise<number>;
  /** Reachability check for health endpoints. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type {
  ConfigItem,
  ResourceNode,
  GraphEdge,
  ResourceVersion,
  RunRecord,
  PurposeView,
  ViewKind,
  Neighborhood,
  PathResult,
};
