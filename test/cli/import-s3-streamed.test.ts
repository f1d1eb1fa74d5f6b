// `import s3://…` streams as an import of files does (R6) and keeps the imported-files record (R7): the real
// @aws-sdk/client-s3 over HTTP to a local S3-compatible endpoint, against the same deliveries on disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { importS3 } from '../../server/import-s3.ts';
import { digestOf, ImportInterrupted, importPaths, listDataFiles } from '../../server/import.ts';
import { deliveryFiles, generateEnvironment } from '../../world/generator/index.ts';
import { useFakeCredentials } from '../collector/helpers.ts';
import { rawCi } from '../support/ci-builder.ts';
import { startS3Endpoint, type S3Endpoint, type S3Object } from '../support/s3-endpoint/server.ts';

useFakeCredentials();

const PER_RUN = 40;
const ACCOUNT = '111122223333';
const ENVIRONMENT = {
  seed: 13,
  accounts: [ACCOUNT],
  regions: ['eu-west-1', 'us-east-1'],
  vpcsPerRegion: 1,
  subnetsPerVpc: 2,
  instancesPerSubnet: 2,
  days: 3,
  changeRate: 0.3,
};
// A plain-JSON history delivery padded to a fixed size: its changed version has the same size, so only its
// listing's ETag and time (and then the bytes' digest) tell the two apart.
const CHANGING = `config/AWSLogs/${ACCOUNT}/Config/eu-west-1/2030/1/1/ConfigHistory/${ACCOUNT}_Config_eu-west-1_ConfigHistory_AWS::EC2::Instance_20300101T000000Z_20300101T010000Z_1.json`;
const padded = (...cis: unknown[]) => Buffer.from(JSON.stringify({ configurationItems: cis }).padEnd(4000, ' '));
const ci = (time: string, stateId: string) =>
  rawCi({ type: 'AWS::EC2::Instance', id: 'i-changing', time, account: ACCOUNT, stateId });

/** A bucket of more objects than an import asks the store about at once (GROUP_OBJECTS, server/import-s3.ts). */
function biggerBucket(): Map<string, S3Object> {
  const env = generateEnvironment({ ...ENVIRONMENT, days: 8 });
  const bucket = new Map<string, S3Object>();
  for (const f of deliveryFiles(env.items, { snapshotTimes: [env.end] }))
    bucket.set(`config/${f.key}`, { body: f.body });
  expect(bucket.size).toBeGreaterThan(300);
  return bucket;
}

let dir: string;
let s3: S3Endpoint;
let objects: Map<string, S3Object>;
const opened: GraphStore[] = [];
/** GetObject requests the endpoint has answered so far, and the keys asked for since `from`. */
const gets = () => s3.log.filter((l) => l.operation === 'GetObject');
const getsSoFar = () => gets().length;
const keysGotSince = (from: number) =>
  gets()
    .slice(from)
    .map((l) => l.key);
const open = (name: string) => {
  const s = openSqliteStore(join(dir, name));
  opened.push(s);
  return s;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-s3-streamed-'));
  const env = generateEnvironment(ENVIRONMENT);
  objects = new Map();
  const add = (key: string, body: Buffer) => {
    objects.set(key, { body });
    mkdirSync(dirname(join(dir, 'files', key)), { recursive: true });
    writeFileSync(join(dir, 'files', key), body);
  };
  for (const f of deliveryFiles(env.items, { snapshotTimes: [env.end] })) add(`config/${f.key}`, f.body);
  add(CHANGING, padded(ci('2030-01-01T00:00:00Z', '1')));
  s3 = await startS3Endpoint({ buckets: { deliveries: objects }, maxKeys: 50 });
});
afterAll(async () => {
  for (const s of opened) await s.close();
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('import s3:// streamed (R6) with the imported-files record (R7)', () => {
  it('R6: bounded runs, and the same graph (export bytes) as the same files imported from disk', async () => {
    const fromS3 = open('s3.db');
    const summary = await importS3(fromS3, 's3://deliveries/config', { endpointUrl: s3.url }, { itemsPerRun: PER_RUN });
    expect(summary.files).toBe(objects.size);
    expect(summary.items).toBeGreaterThan(5 * PER_RUN);
    expect(summary.skipped).toEqual([]);
    expect(summary.runs.length).toBeGreaterThan(5);
    for (const r of summary.runs) {
      expect(r.counts.items).toBeLessThanOrEqual(PER_RUN);
      expect(r.reexamined?.resources ?? 0).toBeLessThanOrEqual(PER_RUN);
    }
    const fromFiles = open('files.db');
    const local = await importPaths(fromFiles, [join(dir, 'files')]);
    expect(JSON.stringify(await fromS3.canonicalExport())).toBe(JSON.stringify(await fromFiles.canonicalExport()));
    // Net figures, whatever the number of runs: the same as the one-run import's.
    const net = ({ items, resources, versions, edges, duplicates, inferredDeletions }: typeof summary) => ({
      items,
      resources,
      versions,
      edges,
      duplicates,
      inferredDeletions,
    });
    expect(local.runs).toHaveLength(1);
    expect(net(summary)).toEqual(net(local));
  });

  it('takes the objects in the order an import of the same files from disk takes them', async () => {
    const taken: string[] = [];
    await importS3(
      open('order.db'),
      's3://deliveries/config',
      { endpointUrl: s3.url },
      {
        itemsPerRun: PER_RUN,
        onObject: ({ key }) => taken.push(key),
      },
    );
    const { files } = listDataFiles([join(dir, 'files')]);
    const fromDisk = files.map((f) => relative(join(dir, 'files'), f).replaceAll('\\', '/'));
    expect(taken).toEqual(fromDisk);
    expect(taken).not.toEqual([...taken].sort()); // listed by day, taken by resource type and time
  });

  it('R7: importing the same bucket again downloads nothing and stores no run; a changed object is downloaded and imported again', async () => {
    const store = open('again.db');
    const url = 's3://deliveries/config';
    let gets = getsSoFar();
    const first = await importS3(store, url, { endpointUrl: s3.url });
    expect([first.alreadyImported, getsSoFar() - gets]).toEqual([0, objects.size]);
    const runs = (await store.runs()).length;
    const exported = JSON.stringify(await store.canonicalExport());

    gets = getsSoFar();
    const again = await importS3(store, url, { endpointUrl: s3.url });
    expect(getsSoFar() - gets).toBe(0);
    expect([again.items, again.runs.length, again.alreadyImported, again.notDownloaded, again.files]).toEqual([
      0,
      0,
      objects.size,
      objects.size,
      objects.size,
    ]);
    expect(again.notes).toContain(
      `${objects.size} objects already imported (listed with the same ETag, size and time): skipped, not downloaded`,
    );
    expect(await store.runs()).toHaveLength(runs);
    expect(JSON.stringify(await store.canonicalExport())).toBe(exported);

    // Rewritten under its key with other bytes of the same size: S3 lists it with a new ETag and time.
    const before = objects.get(CHANGING)!;
    const after = padded(ci('2030-01-01T00:00:00Z', '1'), ci('2030-01-01T00:30:00Z', '2'));
    expect(after.length).toBe(before.body.length);
    objects.set(CHANGING, { body: after, lastModified: '2030-01-02T00:00:00.000Z' });
    try {
      gets = getsSoFar();
      const changed = await importS3(store, url, { endpointUrl: s3.url });
      expect(keysGotSince(gets)).toEqual([CHANGING]);
      expect([changed.items, changed.versions, changed.alreadyImported]).toEqual([2, 1, objects.size - 1]);
      expect(await store.versionsOf(`${ACCOUNT}|eu-west-1|AWS::EC2::Instance|i-changing`)).toHaveLength(2);
      gets = getsSoFar();
      expect((await importS3(store, url, { endpointUrl: s3.url })).notDownloaded).toBe(objects.size);
      expect(getsSoFar() - gets).toBe(0);

      gets = getsSoFar();
      const forced = await importS3(store, url, { endpointUrl: s3.url }, { reimport: true });
      expect(getsSoFar() - gets).toBe(objects.size);
      expect([forced.alreadyImported, forced.versions, forced.edges]).toEqual([0, 0, 0]);
      expect(forced.items).toBe(first.items + 1);
    } finally {
      objects.set(CHANGING, before);
    }
  });

  it('R7: each run remembers the listings of the objects whose bytes it records, so an import whose end never came (killed) need not download them', async () => {
    const store = open('killed.db');
    // The import's closing step (remembering listings at its end) never happens, as when the process is killed.
    const killedBeforeItsEnd: GraphStore = Object.assign(Object.create(store) as GraphStore, {
      recordImportedObjects: async () => 0,
    });
    const url = 's3://deliveries/config';
    await importS3(killedBeforeItsEnd, url, { endpointUrl: s3.url }, { itemsPerRun: PER_RUN });
    const gets = getsSoFar();
    const again = await importS3(store, url, { endpointUrl: s3.url }, { itemsPerRun: PER_RUN });
    expect(getsSoFar() - gets).toBe(0);
    expect(again.notDownloaded).toBe(objects.size);
  });

  it('R7: an object listed otherwise but holding bytes already imported is downloaded once, skipped unparsed, then known by its new listing', async () => {
    const store = open('rewritten.db');
    const url = 's3://deliveries/config';
    await importS3(store, url, { endpointUrl: s3.url });
    const exported = JSON.stringify(await store.canonicalExport());
    const before = objects.get(CHANGING)!;
    // The same bytes written again (a copy in place): a new time, the same ETag.
    objects.set(CHANGING, { body: before.body, lastModified: '2030-01-03T00:00:00.000Z' });
    try {
      let gets = getsSoFar();
      const rewritten = await importS3(store, url, { endpointUrl: s3.url });
      expect(keysGotSince(gets)).toEqual([CHANGING]);
      expect([rewritten.items, rewritten.runs.length, rewritten.alreadyImported, rewritten.notDownloaded]).toEqual([
        0,
        0,
        objects.size,
        objects.size - 1,
      ]);
      gets = getsSoFar();
      expect((await importS3(store, url, { endpointUrl: s3.url })).notDownloaded).toBe(objects.size);
      expect(getsSoFar() - gets).toBe(0);
      expect(JSON.stringify(await store.canonicalExport())).toBe(exported);
    } finally {
      objects.set(CHANGING, before);
    }
  });

  it('R7: objects whose bytes were imported from the same files on disk are downloaded once, then not again', async () => {
    const store = open('from-disk-first.db');
    await importPaths(store, [join(dir, 'files')]);
    const runs = (await store.runs()).length;
    let gets = getsSoFar();
    const url = 's3://deliveries/config';
    const fromS3 = await importS3(store, url, { endpointUrl: s3.url });
    expect(getsSoFar() - gets).toBe(objects.size);
    expect([fromS3.items, fromS3.runs.length, fromS3.alreadyImported, fromS3.notDownloaded]).toEqual([
      0,
      0,
      objects.size,
      0,
    ]);
    gets = getsSoFar();
    expect((await importS3(store, url, { endpointUrl: s3.url })).notDownloaded).toBe(objects.size);
    expect(getsSoFar() - gets).toBe(0);
    expect(await store.runs()).toHaveLength(runs);
  });

  it('R7: an object whose bytes could not be parsed is downloaded and reported on every import', async () => {
    const store = open('unreadable.db');
    const BROKEN = `config/AWSLogs/${ACCOUNT}/Config/eu-west-1/2030/1/1/ConfigHistory/${ACCOUNT}_Config_eu-west-1_ConfigHistory_AWS::EC2::Instance_20300101T000000Z_20300101T010000Z_2.json`;
    objects.set(BROKEN, { body: Buffer.from('{"configurationItems": [') });
    try {
      const url = 's3://deliveries/config';
      for (let i = 0; i < 2; i++) {
        const gets = getsSoFar();
        const r = await importS3(store, url, { endpointUrl: s3.url });
        expect(keysGotSince(gets)).toContain(BROKEN);
        expect(r.skipped.map((x) => x.file)).toContain(`s3://deliveries/${BROKEN}`);
      }
    } finally {
      objects.delete(BROKEN);
    }
  });

  it('R7: an import that fails part-way remembers the listings of the objects its stored runs recorded, so the next downloads only the rest', async () => {
    // A bucket of more objects than the import asks the store about at once, behind an endpoint that refuses the
    // last object the import takes (as expired credentials would, once most runs are stored) until told not to.
    const bucket = biggerBucket();
    const denied: string[] = [];
    const refusing = await startS3Endpoint({ buckets: { deliveries: bucket }, maxKeys: 50, deniedKeys: denied });
    const url = 's3://deliveries/config';
    const at = { endpointUrl: refusing.url };
    const getsOf = () => refusing.log.filter((l) => l.operation === 'GetObject').map((l) => l.key);
    try {
      const whole = open('whole-bucket.db');
      const taken: string[] = [];
      await importS3(whole, url, at, { itemsPerRun: PER_RUN, onObject: ({ key }) => taken.push(key) });
      denied.push(taken[taken.length - 1]!);
      const store = open('failed-part-way.db');
      const failure = await importS3(store, url, at, { itemsPerRun: PER_RUN }).catch((e: unknown) => e as Error);
      const runs = (await store.runs()).length;
      expect(runs).toBeGreaterThan(2);
      // It names the object refused, and says what is stored and what importing again does.
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe(
        `cannot read ${url} at ${refusing.url}: s3://deliveries/${denied[0]}: Access Denied ` +
          `(runs 1–${runs} are stored; importing ${url} again downloads only the objects they did not record)`,
      );
      // The objects whose bytes the stored runs recorded: the next import need not download them.
      const digests = new Map(taken.map((key) => [key, digestOf(bucket.get(key)!.body)]));
      const recorded = new Set(
        (await store.importedFiles([...digests.values()].map((d) => ({ ...d, path: '' })))).map((f) => f.sha256),
      );
      const rest = taken.filter((key) => !recorded.has(digests.get(key)!.sha256));
      expect(rest.length).toBeGreaterThan(0);
      expect(rest.length).toBeLessThan(taken.length / 2);

      denied.length = 0;
      const gets = getsOf().length;
      const completed = await importS3(store, url, at, { itemsPerRun: PER_RUN });
      expect(getsOf().slice(gets).sort()).toEqual([...rest].sort()); // downloads run a few ahead, in any order
      expect(completed.notDownloaded).toBe(taken.length - rest.length);
      expect(JSON.stringify(await store.canonicalExport())).toBe(JSON.stringify(await whole.canonicalExport()));
    } finally {
      await refusing.close();
    }
  });

  it('R7: an import interrupted (its signal aborted) stores the run in flight, says what is stored, and the next downloads only the rest', async () => {
    const bucket = biggerBucket();
    const endpoint = await startS3Endpoint({ buckets: { deliveries: bucket }, maxKeys: 50 });
    const url = 's3://deliveries/config';
    const gets = () => endpoint.log.filter((l) => l.operation === 'GetObject').map((l) => l.key);
    try {
      const store = open('interrupted.db');
      const abort = new AbortController();
      const interrupted = await importS3(
        store,
        url,
        { endpointUrl: endpoint.url, signal: abort.signal },
        { itemsPerRun: PER_RUN, onObject: ({ objects }) => objects === 300 && abort.abort() },
      ).catch((e: unknown) => e);
      const runs = (await store.runs()).length;
      expect(runs).toBeGreaterThan(2);
      expect(interrupted).toBeInstanceOf(ImportInterrupted);
      expect((interrupted as Error).message).toBe(
        `import interrupted: runs 1–${runs} are stored; importing ${url} again downloads only the objects they did not record`,
      );
      expect(gets().length).toBeLessThan(300 + 10); // it stopped downloading
      expect((await store.runs()).every((r) => r.status === 'succeeded')).toBe(true);

      // Downloads aborted in flight may still reach the endpoint: count from when it has gone quiet.
      for (let n = -1; n !== gets().length;) {
        n = gets().length;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const before = gets().length;
      const completed = await importS3(store, url, { endpointUrl: endpoint.url }, { itemsPerRun: PER_RUN });
      const notDownloaded = completed.notDownloaded ?? 0;
      expect(notDownloaded).toBeGreaterThan(200);
      expect(gets().length - before).toBe(bucket.size - notDownloaded);
      const whole = open('interrupted-whole.db');
      await importS3(whole, url, { endpointUrl: endpoint.url }, { itemsPerRun: PER_RUN });
      expect(JSON.stringify(await store.canonicalExport())).toBe(JSON.stringify(await whole.canonicalExport()));
    } finally {
      await endpoint.close();
    }
  });

  it('an unreachable bucket names the location; nothing is stored', async () => {
    const store = open('none.db');
    await expect(importS3(store, 's3://no-such-bucket/x', { endpointUrl: s3.url })).rejects.toThrow(
      /cannot read s3:\/\/no-such-bucket\/x at http:\/\/127\.0\.0\.1:\d+: .*bucket does not exist/,
    );
    expect((await store.stats()).runs).toBe(0);
  });
});
