// A run's writes executed on another thread (issue 13: ingest within 2× its floor on a 2-core machine). The
// main thread reads files, parses them and plans each run; this thread inserts the rows, compresses the
// bodies and configurations, builds the search rows and commits, while the main thread reads and parses
// the next run. Only strings, numbers and flat rows cross: a version goes as its two JSON texts (VersionRow),
// never as the nested object (v8's deserialising of parsed items costs more than parsing them:
// docs/benchmarks.md, "Ingest plan, second pass"). The bytes stored are those of writeRun: the same phases
// and functions, in the same order, in one transaction.
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../../errors.ts';
import type { EarlyWrites, IngestWrites, ResourceWrite } from '../../ingest/writes.ts';
import { versionRow, type RunRest, type VersionRow } from './ingest.ts';

export interface WriterData {
  path: string;
  cachePragma: string;
}

/**
 * Sent a run at a time: begin, versions (in chunks), snapshots, versions (the inferred ones), end; or, once its
 * plan failed after the first versions went, abort. Close, once, when the store closes.
 */
export type ToWriter =
  | { type: 'begin'; resources: ResourceWrite[] }
  | { type: 'versions'; rows: VersionRow[]; texts: ArrayBuffer; ends: number[] }
  | { type: 'snapshots'; writes: Pick<IngestWrites, 'run' | 'snapshots' | 'stale'> }
  | { type: 'end'; rest: RunRest; files: IngestWrites['files'] }
  | { type: 'abort' }
  | { type: 'close' };

export type FromWriter =
  { type: 'stored'; cpuMs: number } | { type: 'rolledBack' } | { type: 'failed'; name: string; message: string };

/** How long a closing thread may take to end before it is terminated (ms). */
const CLOSE_MS = 10_000;

/** Versions per message: the thread starts compressing and inserting while the rest are turned into rows. */
const CHUNK = 500;

const ENTRY = new URL('./writer-entry.mjs', import.meta.url);

/**
 * The thread's young generation (MiB; V8's default is 48). What it allocates lives for one chunk of rows at
 * most, so a small one collects as cheaply, and the process's peak RSS holds one large young generation, not
 * two (large estate: peak RSS 674–685 MiB with the default, 642 MiB with 8, writer CPU no higher).
 */
const YOUNG_MB = 8;

/**
 * Versions as rows whose two JSON texts travel as UTF-8 in one transferred buffer: copying the strings into
 * the message cost the main thread as much again as writing them (the thread needs their bytes anyway).
 */
function versionChunk(list: IngestWrites['versions']): [ToWriter, ArrayBuffer[]] {
  const rows = list.map((v) => versionRow(v));
  let size = 0;
  for (const r of rows) size += Buffer.byteLength(r[7]) + Buffer.byteLength(r[9]);
  const bytes = Buffer.allocUnsafeSlow(size);
  const ends: number[] = [];
  let at = 0;
  for (const r of rows) {
    for (const i of [7, 9] as const) {
      at += bytes.write(r[i] as string, at);
      ends.push(at);
      r[i] = '';
    }
  }
  return [{ type: 'versions', rows, texts: bytes.buffer, ends }, [bytes.buffer]];
}

/** The rows of a versions message with their texts back in place, as views of the buffer. */
export function versionRowsOf(m: Extract<ToWriter, { type: 'versions' }>): VersionRow[] {
  let at = 0;
  m.rows.forEach((r, k) => {
    for (const [i, end] of [
      [7, m.ends[2 * k]!],
      [9, m.ends[2 * k + 1]!],
    ] as const) {
      r[i] = Buffer.from(m.texts, at, end - at);
      at = end;
    }
  });
  return m.rows;
}

/** A run the thread is writing (`WriterThread.begin`). */
export interface RunOnThread {
  done: Promise<void>;
  /** The rest of the run (the same resources and versions as begun with), then its commit. */
  finish(w: IngestWrites): void;
  /** The run is not finished (its plan failed): the thread rolls back what it wrote of it. */
  abort(): void;
}

export class WriterThread {
  private readonly worker: Worker;
  private waiting: { resolve: () => void; reject: (e: Error) => void } | undefined;
  /** The thread's CPU time (ms) as of its last commit: benches print it beside the main thread's. */
  cpuMs = 0;
  /** Set once the thread is gone: every later write fails with it. */
  private gone: Error | undefined;
  /** How the thread ended (0: closed by `close`), once it has. */
  exitCode: number | undefined;

  constructor(data: WriterData) {
    this.worker = new Worker(ENTRY, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    this.worker.unref(); // kept alive only while a run is being written (see begin) or the thread is closing
    this.worker.on('message', (m: FromWriter) => {
      const w = this.settle();
      if (m.type === 'stored') {
        this.cpuMs = m.cpuMs;
        w?.resolve();
      } else if (m.type === 'rolledBack') w?.resolve();
      else w?.reject(Object.assign(new Error(m.message), { name: m.name }));
    });
    this.worker.on('error', (e) => this.stop(e));
    this.worker.on('exit', (code) => {
      this.exitCode = code;
      this.stop(new StoreUnavailableError(`the store's writer thread stopped (exit code ${code})`));
    });
  }

  private settle() {
    const w = this.waiting;
    this.waiting = undefined;
    this.worker.unref();
    return w;
  }

  private stop(e: Error): void {
    this.gone ??= e;
    this.settle()?.reject(e);
  }

  /**
   * Starts writing a run with its first writes, before the rest of its plan is known (its resource rows and
   * new versions: the thread compresses and inserts them while the main thread plans the derived rows). Its
   * `done` resolves once the thread committed the run (`finish`) or rolled it back (`abort`), and rejects with
   * the thread's error once a write failed. One run at a time: the caller awaits `done` before planning the
   * next run, whose reads must see it.
   */
  begin(early: EarlyWrites): RunOnThread {
    const refused = (e: Error): RunOnThread => ({ done: Promise.reject(e), finish: () => {}, abort: () => {} });
    if (this.gone) return refused(this.gone);
    if (this.waiting) return refused(new Error('a run is already being written'));
    const done = new Promise<void>((resolve, reject) => (this.waiting = { resolve, reject }));
    const waiting = this.waiting;
    // Only while this run is the one the thread is writing: never into another run's transaction.
    const current = () => this.waiting === waiting && !this.gone;
    this.worker.ref();
    this.post({ type: 'begin', resources: early.resources });
    this.versions(early.versions);
    this.versions(early.betterCopies);
    return {
      done,
      finish: (w) => {
        if (!current()) return;
        this.post({ type: 'snapshots', writes: { run: w.run, snapshots: w.snapshots, stale: w.stale } });
        this.versions(w.inferred);
        // Everything not sent above goes as it is, so a field the plan gains (e.g. `kept`) is never left behind.
        const { resources: _r, versions: _v, betterCopies: _b, snapshots: _s, inferred: _i, files, ...rest } = w;
        this.post({ type: 'end', rest, files });
      },
      abort: () => {
        if (current()) this.post({ type: 'abort' });
      },
    };
  }

  private post(m: ToWriter): void {
    this.worker.postMessage(m);
  }

  private versions(list: IngestWrites['versions']): void {
    for (let i = 0; i < list.length; i += CHUNK) this.worker.postMessage(...versionChunk(list.slice(i, i + CHUNK)));
  }

  /**
   * Ends the thread: it closes its connection (a run it is writing and has not committed is rolled back with
   * it) and returns. Asked, not terminated: a thread terminated while it compiled something (its first full
   * collection compiles a context) had V8 print "Failing script" on the process's standard output, in the
   * middle of `configgraph import --json`. Terminated only if it has not ended within CLOSE_MS.
   */
  async close(): Promise<void> {
    this.gone ??= new StoreUnavailableError('the store is closed');
    if (this.exitCode !== undefined) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref(); // the process waits for it
    this.post({ type: 'close' });
    const late = setTimeout(() => void this.worker.terminate(), CLOSE_MS);
    await exited;
    clearTimeout(late);
  }
}
