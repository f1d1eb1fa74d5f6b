// `configgraph serve` in its own process, as a user runs it, so a load generator does not share its event
// loop. Its request log is read until it says where it serves, then drained unread.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
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
  const child = spawn(process.execPath, ['bin/configgraph.js', 'serve', '--port', '0', '--store', `sqlite:${dbPath}`], {
    cwd: process.cwd(),
    env: { ...process.env, CONFIGGRAPH_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${seen.slice(0, 500)}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) return; // keep draining the request log, unread
      seen += chunk.toString('utf8');
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${seen.slice(0, 500)}`)));
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
