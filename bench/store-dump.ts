// A digest of everything a SQLite store holds, to check that a change to the ingest stores the same bytes:
// every table (FTS5 shadow tables included) row by row in rowid or key order, rowids included, version bodies
// and configurations decompressed, run ids replaced by their sequence number and run times masked (they
// differ from one import to the next). Two stores written from the same files, split into the same runs, by
// two versions of the code must print the same digests.
//
// With --content, rows are compared by content rather than by position: rowids and term ids left out, rows
// sorted, and the FTS5 shadow tables replaced by FTS5's own integrity check of the index against the terms (a
// store that keeps a resource's unchanged edges and terms rather than writing them again holds the same rows
// under other rowids).
//
//   tsx bench/store-dump.ts STORE.sqlite [--rows] [--content]   (--rows: print the rows, not only the digests)
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { versionOf } from '../graph/stores/sqlite/bodies.ts';

type Row = Record<string, unknown>;

const { values, positionals } = parseArgs({
  options: { rows: { type: 'boolean' }, content: { type: 'boolean' } },
  allowPositionals: true,
});
const path = positionals[0];
if (!path) {
  console.error('usage: tsx bench/store-dump.ts STORE.sqlite [--rows] [--content]');
  process.exit(2);
}
const db = new Database(path, { readonly: true, fileMustExist: true });
const runIds = new Map<string, string>();
for (const r of db.prepare('SELECT id, seq FROM runs ORDER BY seq').all() as Row[])
  runIds.set(r.id as string, `run#${r.seq as number}`);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const masked = (s: string) =>
  s.replace(UUID, (id) => runIds.get(id) ?? id).replace(/"(startedAt|endedAt)":"[^"]*"/g, '"$1":"…"');

function text(table: string, column: string, v: unknown): string {
  if (table === 'versions' && column === 'body') return masked(JSON.stringify(versionOf(v as Buffer, null)));
  if (table === 'configurations' && column === 'data') {
    const both = versionOf('{}', v as Buffer);
    return JSON.stringify([both.configuration, both.supplementaryConfiguration]);
  }
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return typeof v === 'string' ? masked(v) : JSON.stringify(v);
}

const all = createHash('sha256');
const schema = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as Row[];
all.update(JSON.stringify(schema));
console.log(`schema ${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16)}`);
const content = values.content === true;
const fts = schema.filter((s) => /VIRTUAL TABLE/i.test(String(s.sql))).map((s) => s.name as string);
const shadow = (table: string) => fts.some((f) => table.startsWith(`${f}_`));
for (const { name, sql } of schema.filter((s) => s.type === 'table' && !/VIRTUAL TABLE/i.test(String(s.sql)))) {
  const table = name as string;
  if (content && shadow(table)) continue;
  const rowid = !content && !/WITHOUT ROWID/i.test(String(sql));
  const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as Row[]).map((c) => c.name as string);
  const order = rowid ? 'rowid' : columns.map((_, i) => i + 1).join(', ');
  const h = createHash('sha256');
  let n = 0;
  const lines: string[] = [];
  for (const row of db
    .prepare(`SELECT ${rowid ? 'rowid AS "(rowid)", ' : ''}* FROM "${table}" ORDER BY ${order}`)
    .iterate() as Iterable<Row>) {
    const line = Object.entries(row)
      .filter(([c]) => !(content && table === 'terms' && c === 'id'))
      .map(([c, v]) => `${c}=${v === null ? 'NULL' : text(table, c, v)}`)
      .join(' ');
    if (content) lines.push(line);
    else h.update(line).update('\n');
    if (values.rows && !content) console.log(`${table}: ${line}`);
    n++;
  }
  for (const line of lines.sort()) {
    h.update(line).update('\n');
    if (values.rows) console.log(`${table}: ${line}`);
  }
  const digest = h.digest('hex');
  all.update(`${table} ${digest}\n`);
  console.log(`${table.padEnd(20)} ${String(n).padStart(8)} rows  ${digest.slice(0, 16)}`);
}
console.log(`all ${all.digest('hex')}`);
db.close();
if (content) {
  // FTS5 checks its index against its content table; run on a writable connection, and rolled back.
  const rw = new Database(path, { fileMustExist: true });
  for (const table of fts) {
    rw.exec('BEGIN');
    try {
      rw.prepare(`INSERT INTO "${table}" ("${table}", rank) VALUES ('integrity-check', 1)`).run();
      console.log(`${table} index matches its content: ok`);
    } finally {
      rw.exec('ROLLBACK');
    }
  }
  rw.close();
}
