// An import stopped part-way on purpose (Ctrl-C): the run in flight is stored, the message says what is stored
// and what importing again does, and importing again reads (or downloads) only what the stored runs did not
// record (R6, R7). From a folder through importPaths, and as a user runs it: `configgraph import s3://…`
// interrupted by SIGINT, the real SDK over HTTP to a local S3-compatible endpoint.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { ImportInterrupted, importPaths } from '../../server/import.ts';
import { deliveryFiles, generateEnvironment } from '../../world/generator/index.ts';
import { startS3Endpoint, type S3Object } from '../support/s3-endpoint/server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PER_RUN = 40;
let dir: string;
const bucket = new Map<string, S3Object>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-interrupted-'));
  const env = generateEnvironment({
    seed: 17,
    accounts: ['111122223333'],
    regions: ['eu-west-1', 'us-east-1'],
    vpcsPerRegion: 1,
    subnetsPerVpc: 2,
    instancesPerSubnet: 2,
    days: 8,
    changeRate: 0.3,
  });
  for (const f of deliveryFiles(env.items, { snapshotTimes: [env.end] })) {
    bucket.set(`config/${f.key}`, { body: f.body });
    mkdirSync(dirname(join(dir, 'files', f.key)), { recursive: true });
    writeFileSync(join(dir, 'files', f.key), f.body);
  }
  expect(bucket.size).toBeGreaterThan(300);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an import interrupted part-way', () => {
  it('from a folder: stops between files once the run in flight is stored; importing again reads only the rest', async () => {
    const files = join(dir, 'files');
    const store = openSqliteStore(join(dir, 'folder.sqlite'));
    const whole = openSqliteStore(join(dir, 'folder-whole.sqlite'));
    try {
      const abort = new AbortController();
      const interrupted = await importPaths(store, [files], {
        itemsPerRun: PER_RUN,
        signal: abort.signal,
        onProgress: ({ filesDone }) => filesDone === 150 && abort.abort(),
      }).catch((e: unknown) => e);
      const runs = await store.runs();
      expect(runs.length).toBeGreaterThan(2);
      expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
      expect(interrupted).toBeInstanceOf(ImportInterrupted);
      expect((interrupted as Error).message).toBe(
        `import interrupted: runs 1–${runs.length} are stored; importing the same files again reads only those they did not record`,
      );
      const again = await importPaths(store, [files], { itemsPerRun: PER_RUN });
      expect(again.alreadyImported).toBeGreaterThan(100);
      expect(again.alreadyImported).toBeLessThan(150);
      await importPaths(whole, [files], { itemsPerRun: PER_RUN });
      expect(JSON.stringify(await store.canonicalExport())).toBe(JSON.stringify(await whole.canonicalExport()));
    } finally {
      await store.close();
      await whole.close();
    }
  });

  it('configgraph import s3://… on Ctrl-C: exits 130 saying what is stored; run again, it downloads only the rest', async () => {
    /** Signals the import running now. */
    let signal: (s: NodeJS.Signals) => void = () => undefined;
    let gets = 0;
    const endpoint = await startS3Endpoint({
      buckets: { deliveries: bucket },
      maxKeys: 50,
      // Ctrl-C once 270 objects were downloaded: the first 256 are parsed and stored by then (the import asks
      // for the next only once it has stored them).
      onRequest: (r) => r.operation === 'GetObject' && ++gets === 270 && signal('SIGINT'),
    });
    const store = `sqlite:${join(dir, 's3.sqlite')}`;
    const cli = () => {
      const p = spawn(
        process.execPath,
        [
          join(ROOT, 'bin', 'configgraph.js'),
          'import',
          's3://deliveries/config',
          '--endpoint-url',
          endpoint.url,
          '--items-per-run',
          String(PER_RUN),
          '--store',
          store,
        ],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'AKIDEXAMPLETESTONLY',
            AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
            AWS_REGION: 'us-east-1',
          },
        },
      );
      signal = (s) => p.kill(s);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        p.on('close', (code) => resolve({ code, stdout, stderr })),
      );
    };
    try {
      const interrupted = await cli();
      expect(interrupted.stderr).toContain('interrupting: storing the run in flight (Ctrl-C again to quit now)');
      expect(interrupted.stderr).toMatch(
        /configgraph import: import interrupted: runs 1–\d+ are stored; importing s3:\/\/deliveries\/config again downloads only the objects they did not record\n/,
      );
      expect(interrupted.code).toBe(130);
      expect(gets).toBeLessThan(bucket.size); // it stopped downloading

      const before = gets;
      const again = await cli();
      expect(again.code).toBe(0);
      const skipped = Number(/\((\d+) already imported, skipped\)/.exec(again.stdout)?.[1]);
      expect(skipped).toBeGreaterThan(200);
      // Those not downloaded again, and the rest; aborted downloads may have reached the endpoint late.
      expect(gets - before).toBeLessThanOrEqual(bucket.size - skipped);
      expect(gets - before).toBeGreaterThan(0);
    } finally {
      await endpoint.close();
    }
  }, 120_000);
});
