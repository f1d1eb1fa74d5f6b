// One configgraph writer per SQLite file at a time (import, collect, migrate). SQLite itself lets a second
// writer wait only a few seconds and then fails with "database is locked", losing its work; a lock record
// beside the store (`<file>.lock`: the holder's pid, command and start time) lets the second writer wait for
// the first for as long as it takes, saying who it waits for, and lets a lock left by a process that has
// ended be taken over. Readers never take it (they open the store read-only; WAL lets them through).
// The holder's start time (Linux: /proc/<pid>/stat) is recorded too, so a pid reused by an unrelated
// process after the holder died does not keep the lock held.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError } from '../../errors.ts';

/** What the lock file says about the process holding it. */
export interface LockHolder {
  pid: number;
  command: string;
  /** ISO time the holder took the lock. */
  since: string;
  host: string;
  /** When the holder process started, in clock ticks after boot (/proc/<pid>/stat field 22); Linux only. */
  startTicks?: string;
}

export interface WriterLockOptions {
  /** The command taking the lock, named to anyone who has to wait for it (`import`, `collect`, …). */
  command: string;
  /** Heard when this writer starts waiting, and again every `reportEveryMs` while it still waits. */
  onWait?: (holder: LockHolder, waitedMs: number) => void;
  /** Heard when a lock left by a process that has ended is taken over. */
  onStale?: (holder: LockHolder) => void;
  /** How often the lock is looked at while waiting (ms). */
  pollMs?: number;
  reportEveryMs?: number;
  /** false: a live holder is not waited for; taking the lock fails at once, naming the holder. */
  wait?: boolean;
}

export interface WriterLock {
  release: () => void;
}

export const lockPathOf = (storePath: string): string => `${storePath}.lock`;

/**
 * When the process `pid` started, in clock ticks after boot: field 22 of /proc/<pid>/stat, read after the
 * command name's closing parenthesis (the name may hold spaces and parentheses). Undefined where there is
 * no /proc (not Linux) or no such process.
 */
export function processStartTicks(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  const ticks = fields[22 - 3];
  return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
}

/**
 * Whether the process that wrote `holder` still runs on this machine (EPERM: it runs, as another user).
 * A live pid whose start time differs from the recorded one belongs to another process: the holder ended.
 */
export function holderAlive(holder: Pick<LockHolder, 'pid' | 'startTicks'>): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.startTicks === undefined) return true;
  const now = processStartTicks(holder.pid);
  return now === undefined || now === holder.startTicks;
}

function readHolder(lockPath: string): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(h.pid) && typeof h.command === 'string' && typeof h.since === 'string')
      return {
        pid: h.pid as number,
        command: h.command,
        since: h.since,
        host: String(h.host ?? ''),
        ...(typeof h.startTicks === 'string' ? { startTicks: h.startTicks } : {}),
      };
  } catch {
    /* being written this instant, or torn by a crash */
  }
  return 'unreadable';
}

/** Describes the holder for messages: `import pid 4242 since 2026-03-01T10:00:00.000Z`. */
export function describeHolder(h: LockHolder): string {
  return `${h.command} pid ${h.pid}${h.host && h.host !== hostname() ? ` on ${h.host}` : ''} since ${h.since}`;
}

/**
 * Takes the writer lock of the store at `storePath`, waiting while another live process holds it. A lock
 * naming a process of this machine that has ended (or whose pid now belongs to a process started at
 * another time) is taken over (`onStale`); so is a record that stays unreadable for a second (a crash
 * between creating and writing it). With `wait: false` a live holder makes it fail at once instead.
 */
export async function takeWriterLock(storePath: string, opts: WriterLockOptions): Promise<WriterLock> {
  const lockPath = lockPathOf(storePath);
  const startTicks = processStartTicks(process.pid);
  const me: LockHolder = {
    pid: process.pid,
    command: opts.command,
    since: new Date().toISOString(),
    host: hostname(),
    ...(startTicks === undefined ? {} : { startTicks }),
  };
  // The store's folder may not exist yet (a fresh clone's ./data): it is made here, as opening the store would.
  mkdirSync(dirname(lockPath), { recursive: true });
  const pollMs = opts.pollMs ?? 200;
  const reportEveryMs = opts.reportEveryMs ?? 10_000;
  const started = Date.now();
  let reported = -Infinity;
  let unreadableSince: number | undefined;
  for (;;) {
    try {
      createWhole(lockPath, `${JSON.stringify(me)}\n`);
      return { release: () => releaseIfMine(lockPath) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new StoreUnavailableError(`cannot create the store's lock ${lockPath}: ${(e as Error).message}`, {
          cause: e,
        });
    }
    const holder = readHolder(lockPath);
    if (holder === 'gone') continue;
    if (holder === 'unreadable') {
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 1000) rmSync(lockPath, { force: true });
      else await sleep(pollMs);
      continue;
    }
    unreadableSince = undefined;
    if (holder.pid === process.pid && holder.host === me.host)
      throw new StoreUnavailableError(`${storePath} is already open for writing in this process`);
    if (holder.host === me.host && !holderAlive(holder)) {
      opts.onStale?.(holder);
      rmSync(lockPath, { force: true });
      continue;
    }
    if (opts.wait === false)
      throw new StoreUnavailableError(`the store ${storePath} is being written by ${describeHolder(holder)}`);
    const waited = Date.now() - started;
    if (waited - reported >= reportEveryMs) {
      reported = waited;
      opts.onWait?.(holder, waited);
    }
    await sleep(pollMs);
  }
}

/**
 * Creates `path` holding `text`, or fails with EEXIST, without ever showing an empty file: the record is
 * written beside it and linked into place (atomic). Created empty and then written, a holder paused or
 * starved between the two (SIGSTOP, a busy machine) showed an unreadable lock, taken over after a second.
 */
function createWhole(path: string, text: string): void {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, text, { flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A file system without hard links: created, then written (the takeover above covers the gap).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') writeFileSync(path, text, { flag: 'wx' });
    else throw e;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** Removes the lock only while it still names this process (a takeover may have replaced it). */
function releaseIfMine(lockPath: string): void {
  const holder = readHolder(lockPath);
  if (typeof holder === 'object' && holder.pid === process.pid && holder.host === hostname())
    rmSync(lockPath, { force: true });
}
