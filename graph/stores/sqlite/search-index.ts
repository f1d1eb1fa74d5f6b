// The trigram index of search terms (SPEC Q5), schema step 5. The terms table gets a stable integer id (an
// implicit rowid may change on VACUUM, which would detach the index from its rows), and an FTS5 table over
// the lower-cased values, kept in step with the terms by triggers so that ingest writes stay plain inserts
// and deletes. Values are lower-cased before they are stored, so the index is case-sensitive and answers
// GLOB; detail=none and columnsize=0 keep it small and cheap to write (no positions or sizes are needed:
// GLOB checks each candidate row, and nothing ranks by FTS5 scores).
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
CREATE TRIGGER terms_text_insert AFTER INSERT ON terms BEGIN
  INSERT INTO terms_text (rowid, value_lower) VALUES (new.id, new.value_lower);
END;
CREATE TRIGGER terms_text_delete AFTER DELETE ON terms BEGIN
  INSERT INTO terms_text (terms_text, rowid, value_lower) VALUES ('delete', old.id, old.value_lower);
END;
INSERT INTO terms_text (terms_text) VALUES ('rebuild');
`;

/** Trigrams need three characters: a shorter query scans the terms instead. */
export const TRIGRAM = 3;

/** A GLOB pattern matching values that contain `lower` (GLOB's own wildcards taken literally). */
export const containsGlob = (lower: string): string => `*${lower.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
