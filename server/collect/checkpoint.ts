// Checkpoint of a collection run: an append-only JSON-lines journal of completed API pages, next
// to the store (data/collect-<key>.checkpoint.jsonl). A resumed run replays the journal instead
// of refetching those pages and continues each paged task from its recorded token. A torn last
// line (killed mid-write) is discarded. The journal holds API responses only, never credentials.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface CheckpointHeader {
  kind: 'configgraph-collect-checkpoint';
  version: 1;
  /** Hash of the collection's options: a checkpoint resumes only the same collection. */
  key: string;
  /** The run's fixed clock: history windows and snapshot times are computed from it. */
  startedAt: string;
  description: string;
}

/** Another live process (or this one) is running the same collection. */
export class CheckpointBusyError extends Error {
  override readonly name = 'CheckpointBusyError';
}

const heldLocks = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One collection per journal: a `.lock` file holding the owner's pid; a dead owner's lock is taken over. */
function lock(path: string): void {
  const lockPath = `${path}.lock`;
  if (heldLocks.has(lockPath)) throw new CheckpointBusyError('the same collection is already running in this process');
  try {
    writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const owner = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new CheckpointBusyError(
        `the same collection is already running (process ${owner}); wait for it or stop it`,
      );
    }
    writeFileSync(lockPath, String(process.pid));
  }
  heldLocks.add(lockPath);
}

function unlock(path: string): void {
  const lockPath = `${path}.lock`;
  if (!heldLocks.delete(lockPath)) return;
  rmSync(lockPath, { force: true });
}

interface PageLine {
  task: string;
  page: number;
  /** Token to continue the task with; absent when the task is complete. */
  next?: string;
  data: unknown;
}

interface TaskState {
  pages: unknown[];
  next?: string;
  done: boolean;
}

export class Checkpoint {
  private readonly tasks = new Map<string, TaskState>();
  private fd: number | undefined;
  /** A journal of another (or an unfinished) collection was replaced because resume was not asked for. */
  replacedUnfinished = false;

  private constructor(
    readonly path: string,
    readonly header: CheckpointHeader,
    readonly resumed: boolean,
  ) {}

  /** Opens the journal: resumes it when `resume` and it matches `key`, else starts a new one. */
  static open(path: string, header: CheckpointHeader, resume: boolean): Checkpoint {
    mkdirSync(dirname(path), { recursive: true });
    lock(path);
    try {
      return Checkpoint.openLocked(path, header, resume);
    } catch (e) {
      unlock(path);
      throw e;
    }
  }

  private static openLocked(path: string, header: CheckpointHeader, resume: boolean): Checkpoint {
    if (resume && existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const lines = text.split('\n');
      let good = 0;
      let parsedHeader: CheckpointHeader | undefined;
      const pageLines: PageLine[] = [];
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        const isLast = i === lines.length - 1;
        if (line === '') {
          if (!isLast) good += 1;
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(line) as unknown;
        } catch {
          break; // torn write: keep everything before it
        }
        if (isLast) break; // a line without its newline was not completely written
        if (!parsedHeader) parsedHeader = value as CheckpointHeader;
        else pageLines.push(value as PageLine);
        good += Buffer.byteLength(line) + 1;
      }
      if (parsedHeader?.kind === 'configgraph-collect-checkpoint' && parsedHeader.key === header.key) {
        truncateSync(path, good);
        const cp = new Checkpoint(path, parsedHeader, true);
        for (const l of pageLines) cp.apply(l);
        cp.fd = openSync(path, 'a');
        return cp;
      }
    }
    const cp = new Checkpoint(path, header, false);
    cp.replacedUnfinished = existsSync(path);
    // Owner-only: the journal holds configuration data, as sensitive as the store itself.
    cp.fd = openSync(path, 'w', 0o600);
    cp.write(header);
    return cp;
  }

  private apply(l: PageLine): void {
    const t = this.tasks.get(l.task) ?? { pages: [], done: false };
    if (l.page !== t.pages.length) return; // a duplicate line from an interrupted write; ignore
    t.pages.push(l.data);
    t.next = l.next;
    t.done = l.next === undefined;
    this.tasks.set(l.task, t);
  }

  private write(value: unknown): void {
    if (this.fd === undefined) throw new Error('checkpoint is closed');
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
  }

  /** Pages already completed for a task, its continuation token, and whether it is finished. */
  state(task: string): { pages: unknown[]; next?: string; done: boolean } {
    return this.tasks.get(task) ?? { pages: [], done: false };
  }

  record(task: string, data: unknown, next: string | undefined): void {
    const t = this.tasks.get(task) ?? { pages: [], done: false };
    const line: PageLine = { task, page: t.pages.length, data };
    if (next !== undefined) line.next = next;
    this.write(line);
    this.apply(line);
  }

  /** Flushes to disk (called before the final ingest, so a crash there still resumes). */
  sync(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    unlock(this.path);
  }

  /** The run was ingested: the journal is no longer needed. */
  discard(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}
