// The graph model's vocabulary (see DESIGN.md "The graph model" and graph/SPEC.md).
// Everything here is plain data: JSON-serialisable, shared by stores, server and client.

/** ISO-8601 UTC timestamp with milliseconds, e.g. 2017-04-05T22:23:11.677Z (sorts as a string). */
export type IsoTime = string;

/** A resource's identity: (accountId, awsRegion, resourceType, resourceId). Rule I1. */
export interface ResourceIdentity {
  accountId: string;
  awsRegion: string;
  resourceType: string;
  resourceId: string;
}

/** `accountId|awsRegion|resourceType|resourceId`, the one string form of an identity. */
export type ResourceKey = string;

export type ConfigItemStatus =
  'OK' | 'ResourceDiscovered' | 'ResourceNotRecorded' | 'ResourceDeleted' | 'ResourceDeletedNotRecorded';

/** A relationship as Config (or a derivation rule) lists it on one CI: the target has no ARN. */
export interface RawRelationship {
  /** Config's relationshipName exactly as delivered (may have a trailing space). */
  name: string;
  resourceType: string;
  resourceId?: string;
  resourceName?: string;
  origin: 'config' | 'derived';
  /** For derived relationships: the rule id that derived it (see graph/derive.ts). */
  rule?: string;
}

/** Where an item came from, for the skip report and the version's provenance. */
export interface ItemSource {
  file?: string;
  /** Position inside the file, e.g. "configurationItems[3]" or "Results[0]". */
  item?: string;
  /** Wire shape the parser recognised, e.g. "s3-config-history", "select-results". */
  shape: string;
}

/** A configuration item normalised from any wire shape. */
export interface ConfigItem extends ResourceIdentity {
  arn?: string;
  resourceName?: string;
  availabilityZone?: string;
  resourceCreationTime?: IsoTime;
  captureTime: IsoTime;
  status: ConfigItemStatus | (string & {});
  configurationStateId?: string;
  configurationItemVersion?: string;
  /** Parsed configuration; null for deleted resources. */
  configuration: unknown;
  supplementaryConfiguration: Record<string, unknown>;
  /** null when the wire shape carries no tags (BatchGet). */
  tags: Record<string, string> | null;
  /** null when the wire shape carries no relationships (BatchGet). */
  relationships: RawRelationship[] | null;
  source: ItemSource;
}

/** An immutable stored version of a resource (a CI, or an inferred deletion). */
export interface ResourceVersion {
  key: ResourceKey;
  captureTime: IsoTime;
  status: string;
  configurationStateId?: string;
  arn?: string;
  resourceName?: string;
  availabilityZone?: string;
  resourceCreationTime?: IsoTime;
  configuration: unknown;
  supplementaryConfiguration: Record<string, unknown>;
  tags: Record<string, string> | null;
  relationships: RawRelationship[] | null;
  /** True for deletions inferred from a full snapshot that no longer lists the resource (R2). */
  inferred: boolean;
  source: ItemSource;
  /** SHA-256 over the canonical content: equal hashes mean the same CI (V2). */
  contentHash: string;
  runId?: string;
}

export interface ResourceNode extends ResourceIdentity {
  key: ResourceKey;
  arn?: string;
  resourceName?: string;
  availabilityZone?: string;
  status: string;
  /** False for placeholders: targets that no CI describes (I4). */
  recorded: boolean;
  /** Capture time of the version this node reflects (absent for placeholders). */
  captureTime?: IsoTime;
  tags: Record<string, string>;
  /** T1: shown at a time after its creation but before Config first captured it (then firstRecordedAt says when). */
  beforeFirstRecord?: true;
  /** T1: when Config first captured it; set only with beforeFirstRecord. */
  firstRecordedAt?: IsoTime;
  /** T3: the version in force is a deletion captured at this time (name and tags are its last known ones). */
  deletedAt?: IsoTime;
  /** T3: the last moment it existed, deletedAt minus one millisecond: open it "as of" this time. */
  lastExistedAt?: IsoTime;
}

export type EdgeOrigin = 'config' | 'derived';

export interface GraphEdge {
  /** Stable id: source, raw name, origin/rule, target and validFrom. */
  id: string;
  source: ResourceKey;
  target: ResourceKey;
  /** Config's raw relationshipName (or the derivation rule's phrase). */
  name: string;
  /** Normalised upper snake case verb phrase, e.g. IS_CONTAINED_IN (E4). */
  type: string;
  origin: EdgeOrigin;
  rule?: string;
  validFrom: IsoTime;
  /** null while the edge still exists. */
  validTo: IsoTime | null;
}

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ConfigurationChange {
  /** Dotted path with [i] for array positions, e.g. ipPermissions[1].ipRanges[0]. */
  path: string;
  change: ChangeKind;
  oldValue?: unknown;
  newValue?: unknown;
}

export interface TagChange {
  key: string;
  change: ChangeKind;
  oldValue?: string;
  newValue?: string;
}

export interface RelationshipChange {
  change: 'added' | 'removed';
  name: string;
  type: string;
  origin: EdgeOrigin;
  target: ResourceKey;
  targetType: string;
  targetId?: string;
  targetName?: string;
}

export interface VersionChanges {
  /** True for the first version of a resource. */
  created: boolean;
  statusChange?: { from: string; to: string };
  configuration: ConfigurationChange[];
  tags: TagChange[];
  relationships: RelationshipChange[];
}

/** A write API call recorded by CloudTrail: who changed what, when (SPEC A1–A3). */
export interface ChangeEvent {
  eventId: string;
  eventTime: IsoTime;
  eventName: string;
  eventSource: string;
  /** The caller: the identity's ARN, else its principal id or the invoking service. */
  principal: string;
  accountId?: string;
  awsRegion?: string;
  /** Resource ids, ARNs and names the event names. */
  resources: string[];
}

export interface ChangeAttribution {
  principal: string;
  eventName: string;
  eventTime: IsoTime;
  eventId?: string;
  eventSource?: string;
}

export interface HistoryEntry {
  captureTime: IsoTime;
  status: string;
  configurationStateId?: string;
  inferred: boolean;
  source: ItemSource;
  changes: VersionChanges;
  /** Who made the change, where known (CloudTrail). */
  changedBy?: ChangeAttribution[];
}

export interface RunCounts {
  items: number;
  /** CloudTrail events stored (absent in runs that carried none). */
  events?: number;
  /** AWS::Config::ResourceCompliance items among `items` (absent in runs that carried none). */
  compliance?: number;
  resources: number;
  versions: number;
  edges: number;
  skipped: number;
  duplicates: number;
  inferredDeletions: number;
  /** Deletions stored before (by an earlier run) that this run removed: later CIs show the resource lived on. */
  undoneDeletions?: number;
}

export interface SkippedItem {
  file: string;
  item?: string;
  reason: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'partial';

export interface RunRecord {
  id: string;
  source: string;
  scope: string;
  startedAt: IsoTime;
  endedAt?: IsoTime;
  status: RunStatus;
  counts: RunCounts;
  skipped: SkippedItem[];
  notes: string[];
  /** A run that re-examined a slice of its snapshots' scopes (a part of a split import, R5): where it stopped. */
  reexamined?: Reexamined;
}

/** How far a run re-examined the recorded resources of its snapshots' scopes, in key order (R5). */
export interface Reexamined {
  /** How many it re-examined. */
  resources: number;
  /** The last key it re-examined (absent when none). */
  through?: ResourceKey;
  /** Whether resources after `through` remain: the next run continues after it. */
  more: boolean;
}

/** A file's content as the imported-files record knows it (R7): SHA-256 of its bytes (as stored, gzip too) and size. */
export interface FileDigest {
  sha256: string;
  bytes: number;
}

/**
 * A file whose content an import stored, with the path it was read from (for people; R7); an S3 object's
 * `listing` is remembered in the same run (ListedObject, under `path`).
 */
export interface ImportedFile extends FileDigest {
  path: string;
  listing?: Omit<ListedObject, 'path'>;
}

/**
 * An object in a bucket as its listing names it (R7): path `s3://bucket/key`, ETag, size and last-modified
 * time. S3 gives an object rewritten under its key a new ETag and time, so an object listed as it was when
 * its bytes were imported holds those bytes still.
 */
export interface ListedObject {
  path: string;
  etag: string;
  size: number;
  lastModified: IsoTime;
}

/** A listed object downloaded, with the digest of the bytes it held (R7). */
export interface DownloadedObject extends ListedObject, FileDigest {}

/** A full snapshot of one scope, used to infer deletions (R2). */
export interface ScopeSnapshot {
  accountId: string;
  awsRegion: string;
  /** When the snapshot was taken. */
  time: IsoTime;
  /** Identities of every resource the snapshot lists. */
  members: ResourceKey[];
}

export interface Scope {
  accountId?: string;
  awsRegion?: string;
}
