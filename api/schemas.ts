// The bodies the HTTP API answers with, written once as TypeBox schemas: they are JSON Schema as they
// stand (the OpenAPI document in ./openapi.ts lists them as components), and Static<> gives the
// explorer its types. Each component carries its name as $id, which the document turns into a $ref.
import Type, { type Static, type TSchema } from 'typebox';
import { COMPLIANCE_STATUSES } from '../graph/compliance.ts';

const Str = Type.String();
const Time = Type.String({ format: 'date-time' });
const Int = Type.Integer();
const Count = Type.Integer({ minimum: 0 });
const StringMap = Type.Record(Type.String(), Type.String());
const Origin = Type.Enum(['config', 'derived']);
const ChangeKind = Type.Enum(['added', 'removed', 'changed']);

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({
          description: 'Stable machine-readable code, e.g. invalid_input, not_found, ambiguous_ref.',
        }),
        message: Str,
        accepted: Type.Optional(Type.String({ description: 'What would have been accepted.' })),
        candidates: Type.Optional(Type.Array(Str, { description: 'Keys an ambiguous reference could mean.' })),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Error', additionalProperties: false },
);

export const ItemSource = Type.Object(
  { file: Type.Optional(Str), item: Type.Optional(Str), shape: Str },
  { $id: 'ItemSource' },
);

export const ResourceNode = Type.Object(
  {
    key: Type.String({ description: 'accountId|awsRegion|resourceType|resourceId' }),
    accountId: Str,
    awsRegion: Str,
    resourceType: Str,
    resourceId: Str,
    arn: Type.Optional(Str),
    resourceName: Type.Optional(Str),
    availabilityZone: Type.Optional(Str),
    status: Str,
    recorded: Type.Boolean({ description: 'False for placeholders: targets no CI describes.' }),
    captureTime: Type.Optional(Time),
    tags: StringMap,
    beforeFirstRecord: Type.Optional(
      Type.Literal(true, {
        description:
          'Shown at a time after its creation but before Config first captured it (SPEC T1): drawn from its first version.',
      }),
    ),
    firstRecordedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When Config first captured it; only with beforeFirstRecord.' }),
    ),
    deletedAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'The version in force is a deletion captured then; name and tags are its last known ones (T3).',
      }),
    ),
    lastExistedAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'The last moment it existed (deletedAt minus 1 ms): open it with `at` set to this (T3).',
      }),
    ),
  },
  { $id: 'ResourceNode' },
);

export const GraphEdge = Type.Object(
  {
    id: Str,
    source: Type.String({ description: 'Node key.' }),
    target: Type.String({ description: 'Node key.' }),
    name: Type.String({ description: "Config's raw relationshipName (may end in a space)." }),
    type: Type.String({ description: 'Normalised, e.g. IS_CONTAINED_IN.' }),
    origin: Origin,
    rule: Type.Optional(Str),
    validFrom: Time,
    validTo: Type.Union([Time, Type.Null()]),
  },
  { $id: 'GraphEdge' },
);

export const RawRelationship = Type.Object(
  {
    name: Str,
    resourceType: Str,
    resourceId: Type.Optional(Str),
    resourceName: Type.Optional(Str),
    origin: Origin,
    rule: Type.Optional(Str),
  },
  { $id: 'RawRelationship' },
);

const versionProperties = {
  key: Str,
  captureTime: Time,
  status: Str,
  configurationStateId: Type.Optional(Str),
  arn: Type.Optional(Str),
  resourceName: Type.Optional(Str),
  availabilityZone: Type.Optional(Str),
  resourceCreationTime: Type.Optional(Time),
  configuration: Type.Unknown({ description: 'Parsed configuration; null for deleted resources.' }),
  supplementaryConfiguration: Type.Record(Type.String(), Type.Unknown()),
  tags: Type.Union([StringMap, Type.Null()]),
  relationships: Type.Union([Type.Array(RawRelationship), Type.Null()]),
  inferred: Type.Boolean(),
  contentHash: Str,
};

export const ResourceVersion = Type.Object(
  { ...versionProperties, source: ItemSource, runId: Type.Optional(Str) },
  { $id: 'ResourceVersion' },
);

export const ExportedVersion = Type.Object(versionProperties, {
  $id: 'ExportedVersion',
  description: 'A version in a JSON export: a ResourceVersion without its import provenance (source, runId).',
});

/** A Config rule's result for one resource (SPEC C1). */
export const ComplianceStatus = Type.Enum(COMPLIANCE_STATUSES);

export const RuleCompliance = Type.Object(
  { rule: Str, status: ComplianceStatus, since: Time },
  {
    $id: 'RuleCompliance',
    additionalProperties: false,
    description: 'One rule’s result in force at the requested time, and since when it has held unbroken (SPEC C3).',
  },
);

export const ResourceView = Type.Object(
  {
    node: ResourceNode,
    version: Type.Optional(ResourceVersion),
    outgoing: Type.Array(GraphEdge),
    incoming: Type.Array(GraphEdge),
    existsAt: Type.Boolean(),
    compliance: Type.Array(RuleCompliance, { description: 'Its Config rule results at `at` (SPEC C3).' }),
  },
  { $id: 'ResourceView' },
);

export const SearchHit = Type.Object(
  {
    node: ResourceNode,
    matchedOn: Type.String({ description: 'id, name, arn, tag, ip, dns or configuration.' }),
    matchedValue: Str,
    score: Type.Number(),
    deleted: Type.Boolean({
      description: 'Deleted now: found by its last known name and tags; node.lastExistedAt says when to open it.',
    }),
  },
  { $id: 'SearchHit' },
);

export const SearchResults = Type.Object({ query: Str, results: Type.Array(SearchHit) });

const Omitted = Type.Array(Type.Object({ key: Str, count: Int }));

export const Neighborhood = Type.Object(
  {
    root: Str,
    nodes: Type.Array(ResourceNode),
    edges: Type.Array(GraphEdge),
    truncated: Type.Boolean(),
    omitted: Type.Optional(Omitted),
  },
  { $id: 'Neighborhood' },
);

export const PurposeView = Type.Object(
  {
    kind: Type.Enum(['attachments', 'network']),
    root: Str,
    nodes: Type.Array(ResourceNode),
    edges: Type.Array(GraphEdge),
    truncated: Type.Boolean(),
    omitted: Type.Optional(Omitted),
    folds: Type.Array(Type.Object({ id: Str, parent: Str, resourceType: Str, count: Type.Integer({ minimum: 1 }) }), {
      description:
        'Neighbours of one type beside one node, counted instead of drawn; open one with the neighbourhood of `parent` filtered to `resourceType`.',
    }),
  },
  { $id: 'PurposeView' },
);

export const Change = Type.Object(
  {
    created: Type.Boolean(),
    statusChange: Type.Optional(Type.Object({ from: Str, to: Str })),
    configuration: Type.Array(
      Type.Object({
        path: Str,
        change: ChangeKind,
        oldValue: Type.Optional(Type.Unknown()),
        newValue: Type.Optional(Type.Unknown()),
      }),
    ),
    tags: Type.Array(
      Type.Object({ key: Str, change: ChangeKind, oldValue: Type.Optional(Str), newValue: Type.Optional(Str) }),
    ),
    relationships: Type.Array(
      Type.Object({
        change: Type.Enum(['added', 'removed']),
        name: Str,
        type: Str,
        origin: Origin,
        target: Str,
        targetType: Str,
        targetId: Type.Optional(Str),
        targetName: Type.Optional(Str),
      }),
    ),
  },
  { $id: 'Change' },
);

export const HistoryEntry = Type.Object(
  {
    captureTime: Time,
    status: Str,
    configurationStateId: Type.Optional(Str),
    inferred: Type.Boolean(),
    source: ItemSource,
    changes: Change,
    changedBy: Type.Optional(
      Type.Array(
        Type.Object({
          principal: Str,
          eventName: Str,
          eventTime: Time,
          eventId: Type.Optional(Str),
          eventSource: Type.Optional(Str),
        }),
      ),
    ),
  },
  { $id: 'HistoryEntry' },
);

const NullableStatus = Type.Union([ComplianceStatus, Type.Null()]);

export const ComplianceTransition = Type.Object(
  {
    rule: Str,
    at: Time,
    from: NullableStatus,
    to: NullableStatus,
    cause: Type.Optional(
      Type.Object(
        { captureTime: Time, changedBy: HistoryEntry.properties.changedBy },
        {
          additionalProperties: false,
          description: 'The resource’s change captured at or just before the transition, and who made it (SPEC C4).',
        },
      ),
    ),
  },
  {
    $id: 'ComplianceTransition',
    additionalProperties: false,
    description: 'A change of one rule’s result: from null is a first evaluation, to null the end of evaluation.',
  },
);

export const ResourceHistory = Type.Object(
  {
    resource: ResourceNode,
    versions: Type.Array(HistoryEntry),
    compliance: Type.Array(ComplianceTransition, { description: 'Its Config rule result changes, oldest first.' }),
  },
  { $id: 'ResourceHistory' },
);

export const ComplianceReport = Type.Object(
  {
    at: Type.Union([Time, Type.Null()], { description: 'The time asked for; null for now.' }),
    results: Type.Array(
      Type.Object(
        { resource: ResourceNode, rule: Str, status: ComplianceStatus, since: Time },
        { additionalProperties: false },
      ),
      { description: 'By resource key, then rule; resources Config evaluated but never recorded are placeholders.' },
    ),
  },
  { $id: 'ComplianceReport', additionalProperties: false },
);

export const PathResult = Type.Object(
  { found: Type.Boolean(), nodes: Type.Array(ResourceNode), edges: Type.Array(GraphEdge) },
  { $id: 'PathResult' },
);

export const GraphDiff = Type.Object(
  {
    from: Time,
    to: Time,
    resources: Type.Object({
      added: Type.Array(ResourceNode),
      removed: Type.Array(ResourceNode),
      changed: Type.Array(
        Type.Object({ node: ResourceNode, fromCaptureTime: Type.Optional(Time), toCaptureTime: Type.Optional(Time) }),
      ),
    }),
    edges: Type.Object({ added: Type.Array(GraphEdge), removed: Type.Array(GraphEdge) }),
  },
  { $id: 'GraphDiff' },
);

export const RunCounts = Type.Object(
  {
    items: Count,
    events: Type.Optional(Count),
    compliance: Type.Optional(Type.Integer({ minimum: 0, description: 'AWS::Config::ResourceCompliance items read.' })),
    resources: Count,
    versions: Count,
    edges: Count,
    skipped: Count,
    duplicates: Count,
    inferredDeletions: Count,
    undoneDeletions: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Deletions inferred by earlier runs that this run removed.' }),
    ),
  },
  { $id: 'RunCounts' },
);

export const RunRecord = Type.Object(
  {
    id: Str,
    source: Str,
    scope: Str,
    startedAt: Time,
    endedAt: Type.Optional(Time),
    status: Type.Enum(['running', 'succeeded', 'failed', 'partial']),
    counts: RunCounts,
    skipped: Type.Array(Type.Object({ file: Str, item: Type.Optional(Str), reason: Str })),
    notes: Type.Array(Str),
    reexamined: Type.Optional(
      Type.Object(
        { resources: Count, through: Type.Optional(Str), more: Type.Boolean() },
        {
          description:
            'A part of a split import that re-examined stored resources against its snapshots: how many, the last key, and whether more remain.',
        },
      ),
    ),
  },
  { $id: 'RunRecord' },
);

export const RunList = Type.Array(RunRecord);

const CountMap = Type.Record(Type.String(), Int);

export const StoreStats = Type.Object(
  {
    resources: Int,
    placeholders: Int,
    versions: Int,
    edges: Int,
    runs: Int,
    byType: CountMap,
    byAccount: CountMap,
    byRegion: CountMap,
    lastRun: Type.Optional(RunRecord),
  },
  { $id: 'StoreStats' },
);

export const Health = Type.Object(
  {
    status: Type.Enum(['ok', 'unavailable']),
    version: Str,
    collector: Type.Boolean({ description: 'Whether POST /api/collections can start a collection.' }),
    store: Type.Object({ reachable: Type.Boolean(), label: Str, message: Type.Optional(Str) }),
    lastRun: Type.Union([RunRecord, Type.Null()]),
  },
  { $id: 'Health' },
);

export const CollectionEnvelope = Type.Object(
  {
    collection: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description: "The collector's progress object (see docs/api.md), or null.",
    }),
  },
  { $id: 'CollectionEnvelope' },
);

export const ExportManifest = Type.Object(
  {
    manifestVersion: Type.Literal(1),
    tool: Type.Object({ name: Type.Literal('configgraph'), version: Str }),
    format: Type.Enum(['json', 'csv']),
    generatedAt: Time,
    at: Time,
    scope: Type.Union([Type.Object({ accountId: Type.Optional(Str), awsRegion: Type.Optional(Str) }), Type.Null()]),
    neighborhood: Type.Union([
      Type.Object({ ref: Str, root: Str, depth: Int, truncated: Type.Boolean() }),
      Type.Null(),
    ]),
    store: Str,
    counts: Type.Object({
      nodes: Int,
      edges: Int,
      versions: Type.Optional(Int),
      compliance: Type.Object(
        { results: Int, nonCompliant: Int },
        { description: 'Compliance rows in the export, and how many are NON_COMPLIANT.' },
      ),
    }),
    covers: Str,
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    redacted: Type.Boolean(),
    files: Type.Optional(Type.Array(Type.Object({ name: Str, bytes: Int, rows: Int, sha256: Str }))),
  },
  { $id: 'ExportManifest' },
);

export const JsonExport = Type.Object(
  {
    content: Type.Object({
      at: Time,
      scope: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
      neighborhood: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
      nodes: Type.Array(ResourceNode),
      edges: Type.Array(GraphEdge),
      versions: Type.Array(ExportedVersion),
      compliance: Type.Optional(
        Type.Array(Type.Object({ resource: Str, rule: Str, status: ComplianceStatus, since: Time }), {
          description:
            'Config rule results in force at `at` for the exported resources, by resource key then rule; absent when there are none.',
        }),
      ),
    }),
    manifest: ExportManifest,
  },
  { $id: 'JsonExport' },
);

/** Every named schema, for the document's components. */
export const COMPONENTS: readonly TSchema[] = [
  ErrorBody,
  ItemSource,
  ResourceNode,
  GraphEdge,
  RawRelationship,
  ResourceVersion,
  ExportedVersion,
  ResourceView,
  SearchHit,
  Neighborhood,
  PurposeView,
  Change,
  HistoryEntry,
  RuleCompliance,
  ComplianceTransition,
  ResourceHistory,
  ComplianceReport,
  PathResult,
  GraphDiff,
  RunCounts,
  RunRecord,
  StoreStats,
  Health,
  CollectionEnvelope,
  ExportManifest,
  JsonExport,
];

export type ErrorBody = Static<typeof ErrorBody>;
export type ResourceNode = Static<typeof ResourceNode>;
export type GraphEdge = Static<typeof GraphEdge>;
export type ResourceView = Static<typeof ResourceView>;
export type SearchHit = Static<typeof SearchHit>;
export type SearchResults = Static<typeof SearchResults>;
export type Neighborhood = Static<typeof Neighborhood>;
export type PurposeView = Static<typeof PurposeView>;
export type ResourceHistory = Static<typeof ResourceHistory>;
export type PathResult = Static<typeof PathResult>;
export type ComplianceReport = Static<typeof ComplianceReport>;
export type GraphDiff = Static<typeof GraphDiff>;
export type RunRecord = Static<typeof RunRecord>;
export type StoreStats = Static<typeof StoreStats>;
export type Health = Static<typeof Health>;
export type CollectionEnvelope = Static<typeof CollectionEnvelope>;
