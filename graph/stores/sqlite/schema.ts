// The SQLite layout of store schema 2 (SQLITE_BASE_VERSION). Later changes are steps in ./migrations.ts:
// a new store is created with this layout and taken through every step, exactly as an old store is.
// Versions are the truth; resources, edges and search terms are derived from them and rebuilt for every
// resource a run touches.

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (
  key TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  aws_region TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  resource_name TEXT,
  arn TEXT,
  recorded INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS resources_arn ON resources (arn);
CREATE INDEX IF NOT EXISTS resources_id ON resources (resource_id);
CREATE INDEX IF NOT EXISTS resources_lookup_id ON resources (account_id, resource_type, resource_id);
CREATE INDEX IF NOT EXISTS resources_lookup_name ON resources (account_id, resource_type, resource_name);
CREATE INDEX IF NOT EXISTS resources_scope ON resources (account_id, aws_region);
CREATE TABLE IF NOT EXISTS versions (
  key TEXT NOT NULL,
  identity TEXT NOT NULL,
  capture_time TEXT NOT NULL,
  status TEXT NOT NULL,
  inferred INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  head TEXT NOT NULL,
  body TEXT NOT NULL,
  run_id TEXT,
  PRIMARY KEY (key, identity)
);
CREATE INDEX IF NOT EXISTS versions_time ON versions (capture_time);
CREATE TABLE IF NOT EXISTS edges (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  origin TEXT NOT NULL,
  rule TEXT,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  target_type TEXT NOT NULL,
  target_id TEXT,
  target_name TEXT
);
CREATE INDEX IF NOT EXISTS edges_source ON edges (source, valid_from);
CREATE INDEX IF NOT EXISTS edges_target ON edges (target, valid_from);
CREATE TABLE IF NOT EXISTS terms (
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  value_lower TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS terms_value ON terms (value_lower);
CREATE INDEX IF NOT EXISTS terms_key ON terms (key);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  event_id TEXT PRIMARY KEY,
  event_time TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_resources (
  event_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  PRIMARY KEY (resource, event_id)
);
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  aws_region TEXT NOT NULL,
  time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_scope ON snapshots (account_id, aws_region);
CREATE TABLE IF NOT EXISTS snapshot_members (
  snapshot_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, key)
);
`;
