// The floor every configgraph figure is compared with: the least work any tool must do with the
// same data — gunzip + JSON.parse the same files, and INSERT the same rows (one per CI, one per
// relationship) into bare better-sqlite3 tables in one transaction, with the store's pragmas.
import Database from 'better-sqlite3';
import { gunzipSync } from 'node:zlib';
import { WRITER_CACHE_PRAGMA } from '../../graph/stores/sqlite/index.ts';
import type { DeliveryFile, S3ConfigItem } from '../../world/generator/index.ts';

export function floorParse(files: DeliveryFile[]): { items: S3ConfigItem[]; ms: number; jsonBytes: number } {
  const t0 = performance.now();
  const items: S3ConfigItem[] = [];
  let jsonBytes = 0;
  for (const f of files) {
    const text = gunzipSync(f.body).toString('utf8');
    jsonBytes += text.length;
    const doc = JSON.parse(text) as { configurationItems: S3ConfigItem[] };
    for (const i of doc.configurationItems) items.push(i);
  }
  return { items, ms: performance.now() - t0, jsonBytes };
}

/** The floor's bare tables in a new database file, with the store's pragmas, and the INSERTs of one CI's rows. */
export function floorTables(path: string): { db: Database.Database; insert: (i: S3ConfigItem) => number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(WRITER_CACHE_PRAGMA);
  db.exec(`CREATE TABLE raw_versions (key TEXT NOT NULL, capture_time TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL);
           CREATE TABLE raw_edges (source TEXT NOT NULL, name TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT, target_name TEXT);`);
  const version = db.prepare('INSERT INTO raw_versions VALUES (?, ?, ?, ?)');
  const edge = db.prepare('INSERT INTO raw_edges VALUES (?, ?, ?, ?, ?)');
  const insert = (i: S3ConfigItem): number => {
    const key = `${i.awsAccountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`;
    version.run(key, i.configurationItemCaptureTime, i.configurationItemStatus, JSON.stringify(i));
    for (const r of i.relationships)
      edge.run(key, r.name, r.resourceType, r.resourceId ?? null, r.resourceName ?? null);
    return 1 + i.relationships.length;
  };
  return { db, insert };
}

export function floorInsert(path: string, items: S3ConfigItem[]): { ms: number; rows: number } {
  const { db, insert } = floorTables(path);
  try {
    const t0 = performance.now();
    let rows = 0;
    db.transaction(() => {
      for (const i of items) rows += insert(i);
    })();
    return { ms: performance.now() - t0, rows };
  } finally {
    db.close();
  }
}
