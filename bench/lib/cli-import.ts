// `configgraph import` run as a user runs it, for the benches: a child process under /usr/bin/time (wall
// time and the kernel's peak RSS), `stats` to compare stores, and a store's size on disk.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `configgraph import DIR` (or s3://…, with `more` flags) in a child process under /usr/bin/time: wall time, peak
 * RSS and the CPU time (user + system) of the process, which a busy machine distorts far less than wall time.
 */
export function cliImport(
  dir: string,
  db: string,
  more: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): { ms: number; peakRssBytes: number; cpuMs: number; output: string } {
  const timeFile = `${db}.time`;
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M %U %S',
      '-o',
      timeFile,
      process.execPath,
      join(repoRoot, 'bin/configgraph.js'),
      'import',
      dir,
      '--store',
      `sqlite:${db}`,
      ...(more.args ?? []),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1048576, ...(more.env ? { env: { ...process.env, ...more.env } } : {}) },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`configgraph import failed (${r.status}): ${r.stderr}`);
  const [kib = NaN, user = NaN, system = NaN] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '')
    .split(' ')
    .map(Number);
  return { ms, peakRssBytes: kib * 1024, cpuMs: (user + system) * 1000, output: r.stdout.trim() };
}

/** `configgraph stats --json` of a store, as text: equal texts, equal stores (counts, runs, last run). */
export function cliStats(db: string): string {
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'bin/configgraph.js'), 'stats', '--json', '--store', `sqlite:${db}`],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`configgraph stats failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function fileSize(path: string): number {
  let n = 0;
  for (const suffix of ['', '-wal']) {
    try {
      n += statSync(path + suffix).size;
    } catch {
      /* no WAL file */
    }
  }
  return n;
}
