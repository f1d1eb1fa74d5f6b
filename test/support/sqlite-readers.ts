// Whether a SQLite store is still being read, for tests of reads that must let their snapshot go.
import Database from 'better-sqlite3';

/**
 * Whether a connection still holds a read transaction on the store at `path`: after a write from here, a
 * checkpoint that must bring every reader to the newest snapshot cannot finish while one reads an older one.
 * (Open files say nothing: SQLite keeps a closed connection's descriptor while others lock the same file.)
 */
export function readerHeld(path: string): boolean {
  const w = new Database(path, { timeout: 0 });
  try {
    w.exec('CREATE TABLE IF NOT EXISTS probe (n INTEGER)');
    w.prepare('INSERT INTO probe VALUES (1)').run();
    const [result] = w.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return result!.busy !== 0;
  } finally {
    w.close();
  }
}
