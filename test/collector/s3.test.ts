// Reading Config deliveries from S3 through the real @aws-sdk/client-s3 over HTTP (path style)
// against a local S3-compatible endpoint holding the generator's delivery files.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryFiles, generateEnvironment, type DeliveryFile } from '../../world/generator/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { importS3 } from '../../server/import-s3.ts';
import { dayPaths, parseDeliveryKey, parseS3Url, readS3Deliveries } from '../../server/sources/s3.ts';
import { startS3Endpoint, type S3Endpoint, type S3Object } from '../support/s3-endpoint/server.ts';
import { FAKE_KEY_ID, FAKE_SECRET, useFakeCredentials } from './helpers.ts';

useFakeCredentials();

describe('S3 deliveries', () => {
  let s3: S3Endpoint;
  let files: DeliveryFile[];
  let accounts: string[];
  const bucket = 'config-bucket-test';
  const prefix = 'org/config';

  beforeAll(async () => {
    const env = generateEnvironment({
      seed: 5,
      accounts: 2,
      regions: ['us-east-1', 'eu-west-1'],
      vpcsPerRegion: 1,
      subnetsPerVpc: 2,
      instancesPerSubnet: 2,
      days: 4,
      changeRate: 0.2,
    });
    files = deliveryFiles(env.items, { snapshotTimes: [env.end] });
    accounts = [...new Set(files.map((f) => f.accountId))].sort();
    const objects = new Map<string, S3Object>();
    for (const f of files) objects.set(`${prefix}/${f.key}`, { body: f.body });
    objects.set(`${prefix}/AWSLogs/${accounts[0]}/Config/ConfigWritabilityCheckFile`, { body: Buffer.from('') });
    // A corrupt delivery: named like one, not gzip data.
    objects.set(
      `${prefix}/AWSLogs/${accounts[0]}/Config/us-east-1/2026/3/2/ConfigHistory/${accounts[0]}_Config_us-east-1_ConfigHistory_AWS::EC2::VPC_bad_1.json.gz`,
      { body: Buffer.from('not gzip') },
    );
    objects.set(`${prefix}/AWSLogs/${accounts[0]}/Config/us-east-1/notes.txt`, { body: gzipSync('x') });
    s3 = await startS3Endpoint({ buckets: { [bucket]: objects }, maxKeys: 7 });
  });
  afterAll(() => s3.close());

  it('parses s3:// locations and delivery keys', () => {
    expect(parseS3Url('s3://my-bucket/a/b')).toEqual({ bucket: 'my-bucket', prefix: 'a/b' });
    expect(() => parseS3Url('https://x')).toThrow(/s3:\/\//);
    expect(
      parseDeliveryKey(
        'AWSLogs/123456789012/Config/us-east-2/2016/9/27/ConfigSnapshot/123456789012_Config_us-east-2_ConfigSnapshot_20160927T183939Z_16da.json.gz',
      ),
    ).toEqual({
      accountId: '123456789012',
      region: 'us-east-2',
      day: '2016-09-27',
      kind: 'ConfigSnapshot',
    });
    expect(dayPaths('2024-02-28', '2024-03-01')).toEqual(['2024/2/28/', '2024/2/29/', '2024/3/1/']);
  });

  it('reads every delivery, streaming object by object, and reports what it skips', async () => {
    const skips: string[] = [];
    const gen = readS3Deliveries(`s3://${bucket}/${prefix}`, { endpointUrl: s3.url }, (s) => skips.push(s.key));
    const first = await gen.next();
    expect(first.done).toBe(false);
    // Not everything downloaded first: the first object, and at most four more in flight behind it.
    expect(s3.log.filter((l) => l.operation === 'GetObject').length).toBeLessThanOrEqual(5);
    let n = 1;
    let items = first.done ? 0 : first.value.result.items.length;
    const bad: string[] = [];
    for await (const d of gen) {
      n++;
      items += d.result.items.length;
      for (const s of d.result.skipped) bad.push(`${s.file}: ${s.reason}`);
    }
    expect(n).toBe(files.length + 1);
    expect(items).toBe(files.reduce((a, f) => a + f.itemCount, 0));
    expect(bad.join('\n')).toMatch(
      /ConfigHistory_AWS::EC2::VPC_bad_1\.json\.gz: file ends in \.gz but is not gzip data/,
    );
    expect(skips).toEqual([`${prefix}/AWSLogs/${accounts[0]}/Config/us-east-1/notes.txt`]);
  });

  it('narrows listing to the accounts, regions, days and kinds asked for, and ingests them atomically', async () => {
    const before = s3.log.length;
    const account = accounts[1]!;
    const wanted = files.filter(
      (f) =>
        f.accountId === account &&
        f.region === 'eu-west-1' &&
        f.kind === 'ConfigHistory' &&
        /\/2026\/3\/[23]\//.test(f.key),
    );
    expect(wanted.length).toBeGreaterThan(0);
    const store = openSqliteStore(':memory:');
    try {
      const summary = await importS3(store, `s3://${bucket}/${prefix}/`, {
        endpointUrl: s3.url,
        accounts: [account],
        regions: ['eu-west-1'],
        from: '2026-03-02',
        to: '2026-03-03',
        kinds: ['ConfigHistory'],
      });
      const log = s3.log.slice(before);
      const gets = log.filter((l) => l.operation === 'GetObject').map((l) => l.key);
      expect(gets.sort()).toEqual(wanted.map((f) => `${prefix}/${f.key}`).sort());
      for (const l of log.filter((x) => x.operation === 'ListObjectsV2'))
        expect(l.query.prefix).toMatch(new RegExp(`^${prefix}/AWSLogs/${account}/Config/eu-west-1/2026/3/[23]/$`));
      expect(summary.items).toBe(wanted.reduce((a, f) => a + f.itemCount, 0));
      expect(summary.runs).toHaveLength(1);
      expect(summary.run!.counts.items).toBe(summary.items);
      expect(JSON.stringify(await store.runs())).not.toContain(FAKE_SECRET);
      expect(JSON.stringify(await store.runs())).not.toContain(FAKE_KEY_ID);
    } finally {
      await store.close();
    }
  });

  it('snapshots in the bucket become scope snapshots (deletions can be inferred)', async () => {
    const scopes = new Set<string>();
    const snapshots = new Set<string>();
    for await (const d of readS3Deliveries(`s3://${bucket}/${prefix}`, {
      endpointUrl: s3.url,
      kinds: ['ConfigSnapshot'],
    })) {
      for (const i of d.result.items) scopes.add(`${i.accountId}|${i.awsRegion}`);
      for (const x of d.result.snapshots) snapshots.add(`${x.accountId}|${x.awsRegion}`);
    }
    // One snapshot per (account, region) a snapshot file covers, "global" included.
    expect(snapshots).toEqual(scopes);
    expect(files.filter((f) => f.kind === 'ConfigSnapshot')).toHaveLength(4);
  });

  it('reports a missing bucket clearly', async () => {
    const store = openSqliteStore(':memory:');
    try {
      await expect(importS3(store, 's3://no-such-bucket/x', { endpointUrl: s3.url })).rejects.toThrow(
        /NoSuchBucket|does not exist/,
      );
    } finally {
      await store.close();
    }
  });
});
