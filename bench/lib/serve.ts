// `configgraph serve` in its own process, as a user runs it, so a load generator does not share its event
// loop. Its request log goes to a file beside the store, read until it says where it serves.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StoreStats } from '../../graph/store.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { SizeName } from '../../world/generator/index.ts';
import { benchDataset, type BenchDataset } from './dataset.ts';
import { timed } from './measure.ts';

export interface ServeProcess {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

export async function startServeProcess(dbPath: string): Promise<ServeProcess> {
  // The request log goes to a file, as a user would keep it: read through a pipe by this (busy, measuring)
  // process, a full pipe would block the server's synchronous log writes and show up as its latency.
  const logPath = join(dirname(dbPath), `serve-${Date.now()}.log`);
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, ['bin/configgraph.js', 'serve', '--port', '0', '--store', `sqlite:${dbPath}`], {
    cwd: process.cwd(),
    env: { ...process.env, CONFIGGRAPH_TOKEN: '' },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  const url = await new Promise<string>((resolve, reject) => {
    const started = Date.now();
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`serve exited with ${code}: ${readFileSync(logPath, 'utf8').slice(0, 500)}`));
    });
    const look = (): void => {
      if (exited) return;
      const seen = readFileSync(logPath, 'utf8');
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (m) resolve(m[1] as string);
      else if (Date.now() - started > 60_000) reject(new Error(`serve did not start: ${seen.slice(0, 500)}`));
      else setTimeout(look, 100);
    };
    look();
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid as number, stop };
}

/** A generated estate ingested as one run into a SQLite file under .tmp/, ready to serve. */
export async function estateStore(
  size: SizeName,
  name: string,
): Promise<{ work: string; dbPath: string; data: BenchDataset; stats: StoreStats; ingestMs: number }> {
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
  const work = mkdtempSync(join(process.cwd(), '.tmp', `${name}-`));
  const data = benchDataset(size);
  const dbPath = join(work, 'store.db');
  const store = openSqliteStore(dbPath);
  try {
    const ingest = await timed(() =>
      store.ingest({ source: 'bench', scope: `bench ${size}`, items: data.items, snapshots: data.snapshots }),
    );
    return { work, dbPath, data, stats: await store.stats(), ingestMs: ingest.ms };
  } finally {
    await store.close();
  }
}
