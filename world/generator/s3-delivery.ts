// Turns API-spelled CIs into the files AWS Config delivers to an S3 bucket: gzipped ConfigHistory
// files (one per account, region, resource type and 6-hour window) and ConfigSnapshot files (the
// latest state of every live resource of an account and region at a moment), under AWS's keys:
//   AWSLogs/ACCOUNT/Config/REGION/YYYY/M/D/ConfigHistory/ACCOUNT_Config_REGION_ConfigHistory_TYPE_START_END_1.json.gz
//   AWSLogs/ACCOUNT/Config/REGION/YYYY/M/D/ConfigSnapshot/ACCOUNT_Config_REGION_ConfigSnapshot_TIME_ID.json.gz
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { toS3Item } from './wire.ts';
import type { ApiConfigItem, S3ConfigItem } from './types.ts';

export interface DeliveryFile {
  /** S3 object key, also the relative path when written to disk. */
  key: string;
  kind: 'ConfigHistory' | 'ConfigSnapshot';
  accountId: string;
  region: string;
  itemCount: number;
  /** Gzipped JSON. */
  body: Buffer;
}

export interface DeliveryOptions {
  /** Snapshot moments (ISO); default: one snapshot at the last capture time. */
  snapshotTimes?: string[];
  /** Region whose recorder delivers the "global" (IAM) items; default us-east-1. */
  globalRegion?: string;
  /** Width of a ConfigHistory file's window; Config delivers every 6 hours. */
  historyWindowHours?: number;
}

const compact = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function datePath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
}

/** A stable UUID-shaped id from the snapshot's scope and time, so output is reproducible. */
function snapshotId(accountId: string, region: string, ms: number): string {
  const h = createHash('sha1').update(`${accountId}|${region}|${ms}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function gzipJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value)));
}

export function deliveryFiles(items: ApiConfigItem[], opts: DeliveryOptions = {}): DeliveryFile[] {
  const globalRegion = opts.globalRegion ?? 'us-east-1';
  const windowMs = (opts.historyWindowHours ?? 6) * 3_600_000;
  const deliveryRegion = (i: ApiConfigItem): string => (i.awsRegion === 'global' ? globalRegion : i.awsRegion);
  const files: DeliveryFile[] = [];
  // Snapshots repeat the latest CIs: convert each item once.
  const converted = new Map<ApiConfigItem, S3ConfigItem>();
  const s3 = (i: ApiConfigItem): S3ConfigItem => {
    let c = converted.get(i);
    if (!c) converted.set(i, (c = toS3Item(i)));
    return c;
  };

  // ConfigHistory: group by account, delivering region, type and window, in capture order.
  const history = new Map<
    string,
    { accountId: string; region: string; type: string; window: number; items: S3ConfigItem[] }
  >();
  for (const item of items) {
    const ms = Date.parse(item.configurationItemCaptureTime);
    const window = Math.floor(ms / windowMs);
    const region = deliveryRegion(item);
    const key = `${item.accountId}|${region}|${item.resourceType}|${window}`;
    let group = history.get(key);
    if (!group) {
      group = { accountId: item.accountId, region, type: item.resourceType, window, items: [] };
      history.set(key, group);
    }
    group.items.push(s3(item));
  }
  for (const g of history.values()) {
    const start = g.window * windowMs;
    const end = start + windowMs;
    const name = `${g.accountId}_Config_${g.region}_ConfigHistory_${g.type}_${compact(start)}_${compact(end)}_1.json.gz`;
    files.push({
      key: `AWSLogs/${g.accountId}/Config/${g.region}/${datePath(start)}/ConfigHistory/${name}`,
      kind: 'ConfigHistory',
      accountId: g.accountId,
      region: g.region,
      itemCount: g.items.length,
      body: gzipJson({ fileVersion: '1.0', configurationItems: g.items }),
    });
  }

  // ConfigSnapshot: the latest CI of every resource not deleted at that moment.
  const last = items.at(-1);
  const times = opts.snapshotTimes ?? (last ? [last.configurationItemCaptureTime] : []);
  for (const t of times) {
    const at = Date.parse(t);
    if (Number.isNaN(at)) throw new Error(`deliveryFiles: snapshot time "${t}" is not an ISO time`);
    const latest = new Map<string, ApiConfigItem>();
    for (const item of items) {
      if (Date.parse(item.configurationItemCaptureTime) > at) continue;
      latest.set(`${item.accountId}|${item.awsRegion}|${item.resourceType}|${item.resourceId}`, item);
    }
    const scopes = new Map<string, { accountId: string; region: string; items: S3ConfigItem[] }>();
    for (const item of latest.values()) {
      if (
        item.configurationItemStatus === 'ResourceDeleted' ||
        item.configurationItemStatus === 'ResourceDeletedNotRecorded'
      )
        continue;
      const region = deliveryRegion(item);
      const key = `${item.accountId}|${region}`;
      let scope = scopes.get(key);
      if (!scope) {
        scope = { accountId: item.accountId, region, items: [] };
        scopes.set(key, scope);
      }
      scope.items.push(s3(item));
    }
    for (const s of scopes.values()) {
      const id = snapshotId(s.accountId, s.region, at);
      const name = `${s.accountId}_Config_${s.region}_ConfigSnapshot_${compact(at)}_${id}.json.gz`;
      files.push({
        key: `AWSLogs/${s.accountId}/Config/${s.region}/${datePath(at)}/ConfigSnapshot/${name}`,
        kind: 'ConfigSnapshot',
        accountId: s.accountId,
        region: s.region,
        itemCount: s.items.length,
        body: gzipJson({ fileVersion: '1.0', configSnapshotId: id, configurationItems: s.items }),
      });
    }
  }
  return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Write files under `outDir`, keeping their S3 keys as relative paths. */
export function writeDeliveryFiles(outDir: string, files: DeliveryFile[]): string[] {
  const written: string[] = [];
  for (const f of files) {
    const path = join(outDir, ...f.key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.body);
    written.push(path);
  }
  return written;
}
