// The trigram index of search terms (SPEC Q5), schema step 5. The terms table gets a stable integer id (an
// implicit rowid may change on VACUUM, which would detach the index from its rows), and an FTS5 table over
// the lower-cased values, kept in step with the terms by triggers (a run drops them and writes the index rows
// itself, which costs less: see replaceTerms). Values are lower-cased before they are stored, so the index is
// case-sensitive and answers GLOB; detail=none and columnsize=0 keep it small and cheap to write (no positions
// or sizes are needed: GLOB checks each candidate row, and nothing ranks by FTS5 scores).
import type Database from 'better-sqlite3';

// The triggers of step 5, in the words it wrote them: a run that drops them creates them again from this
// text, so the schema stays exactly as the step left it.
const INSERT_TRIGGER = `CREATE TRIGGER terms_text_insert AFTER INSERT ON terms BEGIN
  INSERT INTO terms_text (rowid, value_lower) VALUES (new.id, new.value_lower);
END`;
const DELETE_TRIGGER = `CREATE TRIGGER terms_text_delete AFTER DELETE ON terms BEGIN
  INSERT INTO terms_text (terms_text, rowid, value_lower) VALUES ('delete', old.id, old.value_lower);
END`;

export const SEARCH_INDEX = `
CREATE TABLE terms_by_id (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  value_lower TEXT NOT NULL
);
INSERT INTO terms_by_id (key, kind, value, value_lower) SELECT key, kind, value, value_lower FROM terms ORDER BY rowid;
DROP TABLE terms;
ALTER TABLE terms_by_id RENAME TO terms;
CREATE INDEX terms_value ON terms (value_lower);
CREATE INDEX terms_key ON terms (key);
CREATE VIRTUAL TABLE terms_text USING fts5(
  value_lower, content = 'terms', content_rowid = 'id', tokenize = 'trigram case_sensitive 1', detail = none, columnsize = 0
);
${INSERT_TRIGGER};
${DELETE_TRIGGER};
INSERT INTO terms_text (terms_text) VALUES ('rebuild');
`;

/** Trigrams need three characters: a shorter query scans the terms instead. */
export const TRIGRAM = 3;

/** A GLOB pattern matching values that contain `lower` (GLOB's own wildcards taken literally). */
export const containsGlob = (lower: string): string => `*${lower.replace(/[*?[]/g, (c) => `[${c}]`)}*`;

/** A resource's search term as stored. */
export interface TermRow {
  key: string;
  kind: string;
  value: string;
}

/**
 * Replaces the search terms of `stale` resources with `terms`, index included. The triggers would do it row
 * by row, at 2.5 times the cost of the same index rows written by plain statements (docs/benchmarks.md,
 * "Ingest profile"), so they are dropped for the writes and created again, unchanged, before the caller's
 * transaction ends (or come back with its rollback).
 */
export function replaceTerms(
  stmt: (sql: string) => Database.Statement,
  stale: readonly string[],
  terms: readonly TermRow[],
): void {
  if (!stale.length && !terms.length) return;
  stmt('DROP TRIGGER terms_text_insert').run();
  stmt('DROP TRIGGER terms_text_delete').run();
  const unindex = stmt(
    "INSERT INTO terms_text (terms_text, rowid, value_lower) SELECT 'delete', id, value_lower FROM terms WHERE key = ?",
  );
  const drop = stmt('DELETE FROM terms WHERE key = ?');
  for (const key of stale) {
    unindex.run(key);
    drop.run(key);
  }
  // New rows take ids above every remaining one: they are indexed afterwards by one statement, in id order
  // (the order a row-by-row index would have taken them in), instead of one call from JavaScript per term.
  const last = (stmt('SELECT coalesce(max(id), 0) AS n FROM terms').get() as { n: number | bigint }).n;
  const insert = stmt('INSERT INTO terms (key, kind, value, value_lower) VALUES (?, ?, ?, ?)');
  for (const t of terms) insert.run(t.key, t.kind, t.value, t.value.toLowerCase());
  stmt('INSERT INTO terms_text (rowid, value_lower) SELECT id, value_lower FROM terms WHERE id > ? ORDER BY id').run(
    last,
  );
  stmt(INSERT_TRIGGER).run();
  stmt(DELETE_TRIGGER).run();
}
