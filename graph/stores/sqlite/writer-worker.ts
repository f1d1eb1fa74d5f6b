// The writer thread's side (./writer-thread.ts): its own connection to the store, on which it executes each
// run's writes, in the phases the main thread sends them, inside one transaction; then commits and says so.
// A failure rolls the run back, ignores the run's remaining messages and is reported at the run's end; a run
// whose plan failed on the main thread after its first writes were sent is aborted (rolled back) instead.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { fullCollection } from '../full-collection.ts';
import { writeImportedFiles } from './imported-files.ts';
import { insertVersionRows, writeResources, writeRest, writeSnapshots, type Prepare } from './ingest.ts';
import { versionRowsOf, type FromWriter, type ToWriter, type WriterData } from './writer-thread.ts';

const { path, cachePragma } = workerData as WriterData;
const db = new Database(path);
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma(cachePragma);
// The write-ahead log is checkpointed after each commit is reported, while the main thread plans the next run
// (the thread has nothing to write then), not inside the commit, where the main thread waited for it.
db.pragma('wal_autocheckpoint = 0');

const statements = new Map<string, Database.Statement>();
const stmt: Prepare = (sql) => {
  let st = statements.get(sql);
  if (!st) statements.set(sql, (st = db.prepare(sql)));
  return st;
};

let failure: Error | undefined;

function checkpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    /* a checkpoint left undone is done by a later one or when the store closes; nothing is lost */
  }
}

/** This thread's CPU time so far (ms): what the writes cost, told to the main thread with each commit. */
const threadCpuMs = () => {
  const c = process.threadCpuUsage();
  return (c.user + c.system) / 1000;
};
const port = parentPort!;
const reply = (m: FromWriter) => port.postMessage(m);

function step(m: ToWriter): void {
  switch (m.type) {
    case 'begin':
      db.exec('BEGIN');
      writeResources(stmt, m.resources);
      return;
    case 'versions':
      insertVersionRows(stmt, versionRowsOf(m));
      return;
    case 'snapshots':
      writeSnapshots(stmt, m.writes);
      return;
    case 'end':
      writeRest(stmt, m.rest);
      writeImportedFiles(stmt, { files: m.files, run: m.rest.run });
      db.exec('COMMIT');
      return;
    case 'abort':
      if (db.inTransaction) db.exec('ROLLBACK');
      return;
  }
}

port.on('message', (m: ToWriter) => {
  if (m.type === 'close') {
    // The store closes: the connection goes (rolling back a run left unfinished) and, the port closed, the
    // thread returns.
    db.close();
    port.close();
    return;
  }
  if (m.type === 'begin') failure = undefined;
  if (failure === undefined) {
    try {
      step(m);
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } catch {
        /* the connection itself is failing; the first error says why */
      }
    }
  }
  if (m.type === 'abort') {
    // Rolled back here or when its write failed: either way nothing of the run stays, and the lock is free.
    reply({ type: 'rolledBack' });
    return;
  }
  if (m.type !== 'end') return;
  if (failure === undefined) reply({ type: 'stored', cpuMs: threadCpuMs() });
  else reply({ type: 'failed', name: failure.name, message: failure.message });
  // The run's rows are garbage now: collected before the next run arrives, while the main thread plans it
  // (../full-collection.ts says why). After this handler returns: within it, `m` (the run's edges and search
  // terms) is still alive, and a collection here moved it into the old generation instead of freeing it.
  // The checkpoint copies the run's pages into the file so the next run's writes reuse the log from its start
  // (passive: the main thread's reads go on meanwhile).
  setImmediate(() => {
    checkpoint();
    fullCollection();
  });
});
