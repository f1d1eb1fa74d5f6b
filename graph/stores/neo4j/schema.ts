// Constraints and indexes (docs/neo4j-schema.md describes them), created idempotently by the migration
// steps in ./migrations.ts. A step that adds one appends it here and runs it (again) in its `up`.
/**
 * Dropped by step 6: no statement of the store looks versions up by capture time (they are reached from
 * their resource), and every version written paid for it at commit.
 */
export const DROPPED_INDEXES = ['version_time'];

/** Added by step 5 (./migrations.ts). */
export const IMPORTED_FILE_CONSTRAINT =
  'CREATE CONSTRAINT imported_file_id IF NOT EXISTS FOR (f:ImportedFile) REQUIRE f.id IS UNIQUE';

/** Added by step 8 (./migrations.ts). */
export const IMPORTED_OBJECT_CONSTRAINT =
  'CREATE CONSTRAINT imported_object_path IF NOT EXISTS FOR (o:ImportedObject) REQUIRE o.path IS UNIQUE';

export const SCHEMA_STATEMENTS = [
  // One schema node (./upgrade.ts), so that two processes upgrading at once cannot make two.
  'CREATE CONSTRAINT configgraph_schema IF NOT EXISTS FOR (s:ConfiggraphSchema) REQUIRE s.id IS UNIQUE',
  'CREATE CONSTRAINT resource_key IF NOT EXISTS FOR (r:Resource) REQUIRE r.key IS UNIQUE',
  'CREATE CONSTRAINT version_id IF NOT EXISTS FOR (v:Version) REQUIRE v.id IS UNIQUE',
  'CREATE CONSTRAINT run_id IF NOT EXISTS FOR (r:Run) REQUIRE r.id IS UNIQUE',
  'CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.eventId IS UNIQUE',
  // One lock node, so that two concurrent MERGEs of it cannot make two.
  'CREATE CONSTRAINT ingest_lock IF NOT EXISTS FOR (l:IngestLock) REQUIRE l.id IS UNIQUE',
  // One node per imported file content (SPEC R7).
  IMPORTED_FILE_CONSTRAINT,
  // One node per downloaded S3 object, by its path (SPEC R7).
  IMPORTED_OBJECT_CONSTRAINT,
  'CREATE INDEX resource_id IF NOT EXISTS FOR (r:Resource) ON (r.resourceId)',
  'CREATE INDEX resource_arn IF NOT EXISTS FOR (r:Resource) ON (r.arn)',
  'CREATE INDEX resource_name IF NOT EXISTS FOR (r:Resource) ON (r.resourceName)',
  'CREATE INDEX resource_type IF NOT EXISTS FOR (r:Resource) ON (r.resourceType)',
  'CREATE INDEX resource_scope IF NOT EXISTS FOR (r:Resource) ON (r.accountId, r.awsRegion)',
  'CREATE INDEX resource_recorded IF NOT EXISTS FOR (r:Resource) ON (r.recorded)',
  'CREATE TEXT INDEX resource_search IF NOT EXISTS FOR (r:Resource) ON (r.searchText)',
  'CREATE INDEX snapshot_scope IF NOT EXISTS FOR (s:Snapshot) ON (s.accountId, s.awsRegion)',
  'CREATE INDEX run_seq IF NOT EXISTS FOR (r:Run) ON (r.seq)',
];
