// S3 delivery files: AWS's key naming, gzip, the S3 key spelling of CIs, and snapshots that list
// exactly the resources alive at their moment.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  deliveryFiles,
  generateEnvironment,
  SIZES,
  toS3Item,
  writeDeliveryFiles,
  type S3ConfigItem,
} from '../../world/generator/index.ts';
import { rdkSamples } from './samples.ts';

const env = generateEnvironment({ ...SIZES.small, days: 4 });
const mid = '2026-03-04T00:00:00.000Z';
const files = deliveryFiles(env.items, { snapshotTimes: [mid, env.end] });
const read = (body: Buffer) =>
  JSON.parse(gunzipSync(body).toString('utf8')) as {
    fileVersion: string;
    configSnapshotId?: string;
    configurationItems: S3ConfigItem[];
  };

describe('S3 delivery files', () => {
  it('names objects as AWS Config does', () => {
    const history =
      /^AWSLogs\/(\d{12})\/Config\/([a-z0-9-]+)\/(\d{4})\/([1-9]\d?)\/([1-9]\d?)\/ConfigHistory\/\1_Config_\2_ConfigHistory_AWS::[A-Za-z0-9]+::[A-Za-z0-9]+_(\d{8}T\d{6}Z)_(\d{8}T\d{6}Z)_1\.json\.gz$/;
    const snapshot =
      /^AWSLogs\/(\d{12})\/Config\/([a-z0-9-]+)\/\d{4}\/[1-9]\d?\/[1-9]\d?\/ConfigSnapshot\/\1_Config_\2_ConfigSnapshot_\d{8}T\d{6}Z_[0-9a-f-]{36}\.json\.gz$/;
    expect(files.filter((f) => f.kind === 'ConfigHistory').length).toBeGreaterThan(10);
    for (const f of files) expect(f.key).toMatch(f.kind === 'ConfigHistory' ? history : snapshot);
    expect(files.some((f) => f.key.includes('/2026/3/2/'))).toBe(true);
    // IAM ("global") is delivered by the us-east-1 recorder.
    expect(files.some((f) => f.key.includes('ConfigHistory_AWS::IAM::Role_') && f.region === 'us-east-1')).toBe(true);
  });

  it('gunzips and parses; history files hold every item exactly once, in the S3 spelling', () => {
    const history = files
      .filter((f) => f.kind === 'ConfigHistory')
      .flatMap((f) => {
        const doc = read(f.body);
        expect(doc.fileVersion).toBe('1.0');
        expect(doc.configurationItems.length).toBe(f.itemCount);
        return doc.configurationItems;
      });
    expect(history.length).toBe(env.items.length);
    for (const i of history) {
      expect(typeof i.configurationStateId).toBe('number');
      expect(i.awsAccountId).toMatch(/^\d{12}$/);
      // Config gives compliance items no ARN (as in AWS's documented example).
      expect(i.ARN).toMatch(i.resourceType === 'AWS::Config::ResourceCompliance' ? /^$/ : /^arn:aws:/);
      expect(i).not.toHaveProperty('accountId');
      expect(i).not.toHaveProperty('arn');
      expect(i).not.toHaveProperty('version');
      for (const r of i.relationships) {
        expect(r).toHaveProperty('name');
        expect(r).not.toHaveProperty('relationshipName');
      }
      if (i.configurationItemStatus === 'ResourceDeleted') expect(i).not.toHaveProperty('configuration');
      else expect(typeof i.configuration).toBe('object');
    }
  });

  it('spells items with the same keys as the real notification-spelled S3 bucket sample', () => {
    const sample = rdkSamples().get('AWS::S3::Bucket');
    expect(sample).toBeDefined();
    const bucket = env.items.find((i) => i.resourceType === 'AWS::S3::Bucket');
    expect(bucket).toBeDefined();
    expect(Object.keys(toS3Item(bucket!)).sort()).toEqual(Object.keys(sample!).sort());
  });

  it('snapshots list each resource alive at that moment once, and no deleted one', () => {
    for (const at of [mid, env.end]) {
      const alive = new Map<string, string>();
      for (const i of env.items)
        if (i.configurationItemCaptureTime <= at)
          alive.set(`${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`, i.configurationItemStatus);
      const expected = [...alive]
        .filter(([, s]) => s !== 'ResourceDeleted')
        .map(([k]) => k)
        .sort();
      const snap = files.filter(
        (f) =>
          f.kind === 'ConfigSnapshot' && f.key.includes(`_ConfigSnapshot_${at.replace(/[-:]/g, '').slice(0, 15)}Z_`),
      );
      expect(snap.length).toBe(4); // 2 accounts × 2 regions
      const listed = snap.flatMap((f) => {
        const doc = read(f.body);
        expect(doc.configSnapshotId).toMatch(/^[0-9a-f-]{36}$/);
        return doc.configurationItems.map((i) => `${i.awsAccountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`);
      });
      expect(listed.sort()).toEqual(expected);
    }
  });

  it('is reproducible and writes the keys as paths', () => {
    const again = deliveryFiles(env.items, { snapshotTimes: [mid, env.end] });
    expect(again.map((f) => f.key)).toEqual(files.map((f) => f.key));
    expect(again.every((f, k) => f.body.equals(files[k]!.body))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'configgraph-gen-'));
    try {
      const written = writeDeliveryFiles(dir, files.slice(0, 3));
      expect(written).toHaveLength(3);
      expect(readFileSync(written[0]!).equals(files[0]!.body)).toBe(true);
      expect(written[0]).toBe(join(dir, ...files[0]!.key.split('/')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
