// AWS Config deliveries in S3: ConfigSnapshot and ConfigHistory objects (gzipped JSON) under
//   PREFIX/AWSLogs/ACCOUNT/Config/REGION/YYYY/M/D/(ConfigSnapshot|ConfigHistory)/FILE.json.gz
// Listing narrows by account, region and day before it lists objects, and each object is
// downloaded, parsed and handed on before the next one: nothing is downloaded up front. An object the
// caller already has as it is listed (R7) is not downloaded at all.
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { InvalidInputError } from '../../graph/errors.ts';
import type { ImportLimits } from '../../graph/limits.ts';
import type { ListedObject } from '../../graph/model.ts';
import { parseFileContent, type ParseResult } from '../../graph/parse/index.ts';
import { inImportOrder } from '../import-order.ts';

export type DeliveryKind = 'ConfigSnapshot' | 'ConfigHistory';

export interface S3Location {
  bucket: string;
  prefix: string;
}

export interface S3ReadOptions {
  accounts?: string[];
  regions?: string[];
  /** Delivery days to read, inclusive (YYYY-MM-DD or ISO); both or neither. */
  from?: string;
  to?: string;
  /** Default: both kinds. */
  kinds?: DeliveryKind[];
  /** Credentials come from the default provider chain; --profile picks a profile. */
  profile?: string;
  /** The bucket's region (default AWS_REGION, else us-east-1). */
  region?: string;
  endpointUrl?: string;
  /** Path-style addressing (S3-compatible stores, local endpoints); default when endpointUrl is set. */
  forcePathStyle?: boolean;
  /** Size limits for objects and items (P8); the defaults when absent. */
  limits?: Partial<ImportLimits>;
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Use this client instead of building one. */
  client?: S3Client;
}

export interface S3Delivery {
  key: string;
  kind: DeliveryKind;
  accountId: string;
  region: string;
  /** Delivery day from the key, YYYY-MM-DD. */
  day: string;
  size: number;
  result: ParseResult;
}

/** Keys that are not Config data (the writability probe, oversized-notification copies). */
export interface S3Skip {
  key: string;
  reason: string;
}

const KEY =
  /AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/Config\/([a-z0-9-]+)\/(\d{4})\/(\d{1,2})\/(\d{1,2})\/(ConfigSnapshot|ConfigHistory)\/[^/]+\.json(\.gz)?$/;

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new InvalidInputError(`"${url}" is not an s3:// location`, 's3://BUCKET or s3://BUCKET/PREFIX');
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/^\/+/, '') };
}

/** Recognises a delivery key: account, region, day and kind; undefined for other objects. */
export function parseDeliveryKey(
  key: string,
): { accountId: string; region: string; day: string; kind: DeliveryKind } | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const day = `${m[3]}-${m[4]!.padStart(2, '0')}-${m[5]!.padStart(2, '0')}`;
  return { accountId: m[1]!, region: m[2]!, day, kind: m[6] as DeliveryKind };
}

function dayOf(text: string, what: string): Date {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t)) throw new InvalidInputError(`${what} "${text}" is not a date`, 'YYYY-MM-DD');
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** Day folders between two dates as Config names them (month and day not zero-padded). */
export function dayPaths(from: string, to: string): string[] {
  const a = dayOf(from, 'from');
  const b = dayOf(to, 'to');
  if (a > b) throw new InvalidInputError(`from ${from} is after to ${to}`);
  const out: string[] = [];
  for (let d = a; d <= b; d = new Date(d.getTime() + 86_400_000)) {
    out.push(`${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}/`);
    if (out.length > 3660) throw new InvalidInputError('the date range spans more than ten years');
  }
  return out;
}

export function makeS3Client(o: S3ReadOptions = {}): S3Client {
  const config: S3ClientConfig = {
    region: o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts: o.maxAttempts ?? 5,
  };
  if (o.profile) config.profile = o.profile;
  if (o.endpointUrl) config.endpoint = o.endpointUrl;
  if (o.forcePathStyle ?? Boolean(o.endpointUrl)) config.forcePathStyle = true;
  return new S3Client(config);
}

async function* listKeys(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ key: string; size: number; etag?: string; lastModified?: Date }> {
  let token: string | undefined;
  do {
    const out = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      { abortSignal: signal },
    );
    for (const o of out.Contents ?? [])
      if (o.Key) yield { key: o.Key, size: o.Size ?? 0, etag: o.ETag, lastModified: o.LastModified };
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
}

async function listFolders(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
      { abortSignal: signal },
    );
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix.slice(prefix.length, -1));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** The AWSLogs/ACCOUNT/Config/REGION/ prefixes to read, found by listing unless given. */
async function regionPrefixes(client: S3Client, loc: S3Location, o: S3ReadOptions): Promise<string[]> {
  // A prefix that already points inside AWSLogs (…/AWSLogs/123…/Config/eu-west-1/…) is used as is.
  if (/AWSLogs\/(o-[a-z0-9]+\/)?\d{12}\/Config\/[a-z0-9-]+\//.test(loc.prefix)) return [loc.prefix];
  const base = `${loc.prefix && !loc.prefix.endsWith('/') ? `${loc.prefix}/` : loc.prefix}${/(^|\/)AWSLogs\/$/.test(loc.prefix) ? '' : 'AWSLogs/'}`;
  const accountRoots: string[] = [];
  if (o.accounts?.length) {
    accountRoots.push(...o.accounts.map((a) => `${base}${a}/`));
  } else {
    for (const f of await listFolders(client, loc.bucket, base, o.signal)) {
      if (/^\d{12}$/.test(f)) accountRoots.push(`${base}${f}/`);
      else if (/^o-[a-z0-9]+$/.test(f)) {
        for (const a of await listFolders(client, loc.bucket, `${base}${f}/`, o.signal))
          if (/^\d{12}$/.test(a)) accountRoots.push(`${base}${f}/${a}/`);
      }
    }
  }
  const out: string[] = [];
  for (const root of accountRoots) {
    const regions = o.regions?.length ? o.regions : await listFolders(client, loc.bucket, `${root}Config/`, o.signal);
    for (const r of regions) out.push(`${root}Config/${r}/`);
  }
  return out;
}

/** Objects downloaded ahead of the one being read: at most this many more are held. */
const DOWNLOADS_AHEAD = 4;

/** Objects whose listings are asked about at once (one question to the store, one round trip to Neo4j). */
const LISTINGS_ASKED = 1_000;

/** One delivery object as downloaded: its bytes, not yet parsed. */
export interface S3Object extends Omit<S3Delivery, 'result'> {
  /** s3://bucket/key, as skipped items and the imported-files record name it. */
  file: string;
  bytes: Uint8Array;
  /** How the bucket listed it, when the listing gave an ETag and a time (R7). */
  listed?: ListedObject;
}

/** Of these listed objects, the ones not to download (R7: their bytes were imported as they are listed). */
export type NotToDownload = (listed: ListedObject[]) => Promise<ListedObject[]>;

/**
 * Lists and downloads the Config deliveries under an s3:// location, yielding each object in import order
 * (inImportOrder: a region's history by resource type and time) as soon as it is read, with at most DOWNLOADS_AHEAD more in flight behind it. Objects that are not deliveries are reported through `onSkip`;
 * those `notToDownload` names (asked LISTINGS_ASKED listings at a time, in import order) are left out unread.
 */
export async function* readS3Objects(
  url: string,
  o: S3ReadOptions = {},
  onSkip: (s: S3Skip) => void = () => undefined,
  notToDownload: NotToDownload = async () => [],
): AsyncGenerator<S3Object> {
  const loc = parseS3Url(url);
  if ((o.from === undefined) !== (o.to === undefined)) throw new InvalidInputError('give both from and to, or neither');
  const days = o.from && o.to ? dayPaths(o.from, o.to) : undefined;
  const kinds = new Set<DeliveryKind>(o.kinds ?? ['ConfigSnapshot', 'ConfigHistory']);
  const client = o.client ?? makeS3Client(o);
  type Entry = { parsed: NonNullable<ReturnType<typeof parseDeliveryKey>>; size: number; listed?: ListedObject };
  const ahead: (Entry & { key: string; body: Promise<Uint8Array | undefined> })[] = [];
  async function* next(): AsyncGenerator<S3Object> {
    const { key, parsed, size, listed, body } = ahead.shift()!;
    const bytes = await body.catch((e: unknown) => {
      // SDK messages ("Access Denied") do not name the object.
      throw new Error(`s3://${loc.bucket}/${key}: ${(e as Error).message}`, { cause: e });
    });
    if (!bytes) onSkip({ key, reason: 'the object has no body' });
    else
      yield {
        key,
        ...parsed,
        size: bytes.length || size,
        file: `s3://${loc.bucket}/${key}`,
        bytes,
        ...(listed ? { listed } : {}),
      };
  }
  try {
    for (const regionPrefix of await regionPrefixes(client, loc, o)) {
      // A region's keys are listed whole (keys and sizes only), then taken in import order: listed order is
      // day by day, and day 10 before day 2.
      const listing = new Map<string, Entry>();
      const prefixes = days ? days.map((d) => `${regionPrefix}${d}`) : [regionPrefix];
      for (const prefix of prefixes) {
        for await (const { key, size, etag, lastModified } of listKeys(client, loc.bucket, prefix, o.signal)) {
          const parsed = parseDeliveryKey(key);
          if (!parsed) {
            if (!/ConfigWritabilityCheckFile$/.test(key))
              onSkip({ key, reason: 'not a ConfigSnapshot or ConfigHistory delivery' });
            continue;
          }
          if (!kinds.has(parsed.kind)) continue;
          if (o.accounts?.length && !o.accounts.includes(parsed.accountId)) continue;
          if (o.regions?.length && !o.regions.includes(parsed.region)) continue;
          const path = `s3://${loc.bucket}/${key}`;
          listing.set(key, {
            parsed,
            size,
            // An object listed without an ETag or a time cannot be known again by its listing: always downloaded.
            ...(etag && lastModified ? { listed: { path, etag, size, lastModified: lastModified.toISOString() } } : {}),
          });
        }
      }
      const ordered = inImportOrder([...listing.keys()]);
      for (let i = 0; i < ordered.length; i += LISTINGS_ASKED) {
        const keys = ordered.slice(i, i + LISTINGS_ASKED);
        const asked = keys.flatMap((key) => listing.get(key)!.listed ?? []);
        const leftOut = new Set((asked.length ? await notToDownload(asked) : []).map((l) => l.path));
        for (const key of keys) {
          const { parsed, size, listed } = listing.get(key)!;
          if (listed && leftOut.has(listed.path)) continue;
          // Downloads run a few objects ahead, so the next ones travel while this one is parsed and stored.
          const body = client
            .send(new GetObjectCommand({ Bucket: loc.bucket, Key: key }), { abortSignal: o.signal })
            .then((obj) => obj.Body?.transformToByteArray());
          body.catch(() => undefined); // awaited below, in order; not an unhandled rejection meanwhile
          ahead.push({ key, parsed, size, ...(listed ? { listed } : {}), body });
          if (ahead.length > DOWNLOADS_AHEAD) yield* next();
        }
      }
    }
    while (ahead.length) yield* next();
  } finally {
    if (!o.client) client.destroy();
  }
}

/** The deliveries under an s3:// location, each parsed as soon as it is downloaded. */
export async function* readS3Deliveries(
  url: string,
  o: S3ReadOptions = {},
  onSkip: (s: S3Skip) => void = () => undefined,
): AsyncGenerator<S3Delivery> {
  for await (const { bytes, file, ...object } of readS3Objects(url, o, onSkip))
    yield { ...object, result: parseFileContent(bytes, file, o.limits ? { limits: o.limits } : {}) };
}

/** A run's scope for an s3:// import: the location and the filters asked for. */
export function describeScope(url: string, o: S3ReadOptions): string {
  const parts = [url];
  if (o.accounts?.length) parts.push(`accounts ${o.accounts.join(',')}`);
  if (o.regions?.length) parts.push(`regions ${o.regions.join(',')}`);
  if (o.from) parts.push(`${o.from}..${o.to}`);
  return parts.join(' ');
}
