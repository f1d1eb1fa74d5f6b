// A read-only connection cannot fold the write-ahead log back into the store file, so SQLite leaves `-wal` and
// `-shm` beside the file when the last reader closes (after every read-only command). A read-write connection
// that reads once and closes does what the last connection to close does: folds the log and removes both
// files, only when no other connection has the store open (SQLite's own rule), and writes nothing else.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

export function foldLogLeftByReaders(path: string): void {
  if (!existsSync(`${path}-wal`) && !existsSync(`${path}-shm`)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('schema_version'); // a read, so that the connection joins the log it then closes
  } catch {
    // Not writable by this user (or gone): the files stay, as SQLite left them.
  } finally {
    db?.close();
  }
}
