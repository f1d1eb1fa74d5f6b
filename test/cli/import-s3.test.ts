// `configgraph import s3://…` as a user runs it: the real binary, the real S3 SDK over HTTP to a local
// S3-compatible endpoint, and the same graph as importing the same delivery files from a folder.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryFiles, generateEnvironment } from '../../world/generator/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { startS3Endpoint, type S3Endpoint, type S3Object } from '../support/s3-endpoint/server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
let dir: string;
let s3: S3Endpoint;

async function cli(args: string[], store: string) {
  try {
    const r = await run(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), ...args, '--store', store], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLETESTONLY',
        AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      timeout: 120_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-s3-'));
  const env = generateEnvironment({
    seed: 11,
    accounts: 1,
    regions: ['eu-west-1'],
    vpcsPerRegion: 1,
    subnetsPerVpc: 2,
    instancesPerSubnet: 2,
    days: 3,
    changeRate: 0.3,
  });
  const objects = new Map<string, S3Object>();
  for (const f of deliveryFiles(env.items, { snapshotTimes: [env.end] })) {
    objects.set(`config/${f.key}`, { body: f.body });
    const local = join(dir, 'files', f.key);
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, f.body);
  }
  s3 = await startS3Endpoint({ buckets: { deliveries: objects }, maxKeys: 50 });
});
afterAll(async () => {
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('configgraph import s3://', () => {
  it('streams the deliveries, gives the same graph as the files on disk, and skips them when imported again', async () => {
    const fromS3 = `sqlite:${join(dir, 's3.db')}`;
    const r = await cli(['import', 's3://deliveries/config', '--endpoint-url', s3.url, '--json'], fromS3);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { items: number; files: number; skipped: unknown[] };
    expect(body.items).toBeGreaterThan(100);
    expect(body.skipped).toEqual([]);
    expect(s3.log.some((l) => l.operation === 'ListObjectsV2')).toBe(true);
    expect(`${r.stdout}${r.stderr}`).not.toContain('test-secret-not-real');

    // The same bucket again: every object listed as when its bytes were imported, so none is downloaded,
    // and nothing is stored (R7).
    const gets = () => s3.log.filter((l) => l.operation === 'GetObject').length;
    const before = gets();
    const again = await cli(['import', 's3://deliveries/config', '--endpoint-url', s3.url], fromS3);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^imported 0 items from ${body.files} objects \\(${body.files} already imported, skipped\\)`),
    );
    expect(again.stdout).toContain(
      `${body.files} objects already imported (listed with the same ETag, size and time): skipped, not downloaded`,
    );
    expect(gets()).toBe(before);

    const fromFiles = `sqlite:${join(dir, 'files.db')}`;
    expect((await cli(['import', join(dir, 'files')], fromFiles)).code).toBe(0);
    const a = openSqliteStore(join(dir, 's3.db'));
    const b = openSqliteStore(join(dir, 'files.db'));
    try {
      expect(await a.canonicalExport()).toEqual(await b.canonicalExport());
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an unreachable bucket fails clearly and stores nothing', async () => {
    const store = `sqlite:${join(dir, 'none.db')}`;
    const r = await cli(['import', 's3://no-such-bucket/x', '--endpoint-url', s3.url], store);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no-such-bucket|NoSuchBucket/);
    const s = openSqliteStore(join(dir, 'none.db'));
    try {
      expect((await s.stats()).resources).toBe(0);
    } finally {
      await s.close();
    }
  });
});
