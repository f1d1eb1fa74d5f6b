// `npm run bench:s3`: `configgraph import s3://…` as a user runs it (a child process under /usr/bin/time),
// through the real AWS SDK over HTTP to a local S3-compatible endpoint serving a generated estate's delivery
// files, then the same bucket again (SPEC R6, R7): wall time and peak RSS of both, whether the re-import
// stored anything, and the same files imported from disk for comparison. The endpoint runs in a child process.
//
//   tsx bench/s3-import.ts [--size small|medium|large] [--json FILE]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isSizeName } from '../world/generator/index.ts';
import { benchFlags } from './lib/args.ts';
import { cliImport, cliStats, repoRoot } from './lib/cli-import.ts';
import { estateFiles } from './lib/estate-files.ts';
import { fmtMs, table } from './lib/measure.ts';

const USAGE = 'usage: tsx bench/s3-import.ts [--size small|medium|large] [--json FILE]';
const REIMPORT_GOAL = 5;

async function main(): Promise<number> {
  const values = benchFlags({ size: { type: 'string', default: 'medium' }, json: { type: 'string' } }, USAGE);
  if (typeof values === 'number') return values;
  const size = values.size ?? 'medium';
  if (!isSizeName(size) || size === 'xlarge') {
    console.error(`${USAGE} (not xlarge: the test endpoint holds every object in memory)`);
    return 2;
  }
  const load = () => loadavg()[0]!.toFixed(1);
  const estate = estateFiles(size);
  // The endpoint in its own process: the imports below are waited for synchronously.
  const server = spawn(
    process.execPath,
    ['--import', 'tsx/esm', join(repoRoot, 'bench', 'support', 's3-serve.ts'), estate.files, 'bench', 'config'],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [url, count] = (
    await new Promise<string>((resolve, reject) => {
      server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
      server.once('exit', (code) => reject(new Error(`the S3 endpoint exited (${code})`)));
    })
  ).split(' ');
  const objects = Number(count);
  /** The GetObject and ListObjectsV2 requests the endpoint has answered so far. */
  const requests = () =>
    new Promise<{ gets: number; lists: number }>((resolve) => {
      server.stdout.once('data', (d: Buffer) => {
        const [gets, lists] = d.toString().trim().split(' ').map(Number);
        resolve({ gets: gets!, lists: lists! });
      });
      server.stdin.write('\n');
    });
  /** What an import asked of the endpoint. */
  const asked = async <T>(f: () => T): Promise<T & { gets: number; lists: number }> => {
    const before = await requests();
    const value = f();
    const after = await requests();
    return { ...value, gets: after.gets - before.gets, lists: after.lists - before.lists };
  };
  const work = mkdtempSync(join(tmpdir(), 'configgraph-s3-bench-'));
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIDBENCHLOCALONLY',
    AWS_SECRET_ACCESS_KEY: 'bench-local-not-a-secret',
    AWS_REGION: 'us-east-1',
  };
  try {
    console.log(`${objects} objects of the ${size} estate served at ${url}; load average ${load()}`);
    const db = join(work, 's3.sqlite');
    const s3Import = () => cliImport('s3://bench/config', db, { args: ['--endpoint-url', url!], env });
    const first = await asked(s3Import);
    console.log(`import: ${first.output.split('\n')[0]}; load ${load()}`);
    const stats = cliStats(db);
    const again = await asked(s3Import);
    console.log(`re-import: ${again.output.split('\n')[0]}; load ${load()}`);
    const unchanged = cliStats(db) === stats;
    const fromDisk = cliImport(estate.files, join(work, 'disk.sqlite'));
    const speedup = first.ms / again.ms;
    const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
    console.log(
      '\n' +
        table(
          ['import', 'ms', 'peak RSS', 'objects downloaded (least)', 'list requests'],
          [
            ['s3://, first', fmtMs(first.ms), mib(first.peakRssBytes), `${first.gets} (${objects})`, `${first.lists}`],
            [
              's3://, the same bucket again',
              fmtMs(again.ms),
              mib(again.peakRssBytes),
              `${again.gets} (0)`,
              `${again.lists}`,
            ],
            ['the same files from disk (floor for the first)', fmtMs(fromDisk.ms), mib(fromDisk.peakRssBytes), '', ''],
          ],
        ),
    );
    console.log(
      `re-import ${speedup.toFixed(1)}× faster than the first (goal ≥ ${REIMPORT_GOAL}×: ${speedup >= REIMPORT_GOAL ? 'met' : 'NOT met'}), ` +
        `store ${unchanged ? 'unchanged' : 'CHANGED'}; s3:// first import ${(first.ms / fromDisk.ms).toFixed(2)}× the import from disk; load average ${load()}`,
    );
    const jsonPath = values.json ?? join(repoRoot, '.tmp', 'bench', `s3-${size}.json`);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(
      jsonPath,
      JSON.stringify(
        { size, objects, first, again, fromDisk, speedup, unchanged, loadAverage: loadavg() },
        (k, v: unknown) => (k === 'output' ? undefined : v),
        2,
      ),
    );
    console.log(`JSON: ${jsonPath}`);
  } finally {
    server.kill();
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
}

process.exitCode = await main();
