// Starts the embedded Neo4j of this folder as a child process and waits for its Bolt URL.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ensureJar, javaArgs, READY_PREFIX } from './launch.mjs';

export interface LocalNeo4j {
  /** bolt://127.0.0.1:PORT */
  uri: string;
  /** Graceful stop (closes stdin, then SIGTERM, then SIGKILL); deletes a temporary data directory. */
  stop(): Promise<void>;
  /** Immediate SIGKILL, as if the server crashed (for fault tests). `exited` resolves afterwards. */
  kill(): void;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
}

export interface LocalNeo4jOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** A data directory the caller owns (kept across restarts); default: a temporary one. */
  dataDir?: string;
  /** How long to wait for the server to accept Bolt connections. */
  timeoutMs?: number;
  /** JVM heap and page cache (defaults: 1g and 64m, or NEO4J_LOCAL_HEAP / NEO4J_LOCAL_PAGECACHE). */
  heap?: string;
  pagecache?: string;
  /** Per-transaction memory limit, for tests that need a transaction to run out of it. */
  transactionMax?: string;
}

const STDERR_TAIL = 40;

export async function startLocalNeo4j(opts: LocalNeo4jOptions = {}): Promise<LocalNeo4j> {
  const timeoutMs = opts.timeoutMs ?? 180_000;
  ensureJar();
  const memory = {
    ...(opts.heap ? { heap: opts.heap } : {}),
    ...(opts.pagecache ? { pagecache: opts.pagecache } : {}),
    ...(opts.transactionMax ? { transactionMax: opts.transactionMax } : {}),
  };
  const child = spawn('java', javaArgs(opts.port ?? 0, opts.dataDir, memory), { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Keep a broken pipe (the child died first) from becoming an unhandled error.
  child.stdin.on('error', () => {});

  const uri = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`local Neo4j did not start: ${why}\n--- its stderr (last lines) ---\n${stderrTail.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`no ${READY_PREFIX} line within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (e) => fail(`could not run java: ${e.message}`));
    const early = (code: number | null, signal: string | null) =>
      fail(`java exited early (code ${code}, signal ${signal})`);
    child.once('exit', early);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(READY_PREFIX)) {
        clearTimeout(timer);
        child.off('exit', early);
        resolve(line.slice(READY_PREFIX.length).trim());
      }
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    uri,
    exited,
    kill() {
      child.kill('SIGKILL');
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.stdin.end();
          const term = setTimeout(() => child.kill('SIGTERM'), 20_000);
          const hard = setTimeout(() => child.kill('SIGKILL'), 40_000);
          await exited;
          clearTimeout(term);
          clearTimeout(hard);
        }
        // The JVM deletes its own temporary directory; a dataDir passed in is the caller's to remove.
      })();
      return stopping;
    },
  };
}

/** Removes a data directory given to startLocalNeo4j (after stop/kill). */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
