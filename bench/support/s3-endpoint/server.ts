// A small S3-compatible HTTP server for tests and benches: path-style ListObjectsV2 (prefix, delimiter,
// continuation tokens, max-keys, start-after, url encoding) and GetObject, with S3's XML errors.
// Enough for the real @aws-sdk/client-s3 with forcePathStyle to read Config deliveries from it.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Object {
  body: Buffer;
  lastModified?: string;
}

export interface S3EndpointOptions {
  buckets: Record<string, Map<string, S3Object>>;
  /** Cap on keys per ListObjectsV2 page (S3's is 1000). */
  maxKeys?: number;
  /** Keys (exact) answered with 403 AccessDenied. */
  deniedKeys?: string[];
  /** Told of each request once it is answered. */
  onRequest?: (r: S3Request) => void;
}

export interface S3Request {
  method: string;
  operation: 'ListObjectsV2' | 'GetObject' | 'Other';
  bucket: string;
  key?: string;
  query: Record<string, string>;
  status: number;
}

export interface S3Endpoint {
  url: string;
  log: S3Request[];
  close(): Promise<void>;
}

/** A single-part upload's ETag, as S3 gives it: the MD5 of the body, in quotes. */
const etagOf = (o: S3Object) => `"${createHash('md5').update(o.body).digest('hex')}"`;

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xmlError(res: http.ServerResponse, status: number, code: string, message: string, resource: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><Resource>${xmlEscape(resource)}</Resource><RequestId>test</RequestId></Error>`,
  );
}

export async function startS3Endpoint(opts: S3EndpointOptions): Promise<S3Endpoint> {
  const log: S3Request[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.length ? rest.map(decodeURIComponent).join('/') : undefined;
    const query = Object.fromEntries(url.searchParams.entries());
    const entry: S3Request = {
      method: req.method ?? '',
      operation: 'Other',
      bucket: decodeURIComponent(bucket),
      query,
      status: 200,
    };
    if (key) entry.key = key;
    log.push(entry);
    res.on('finish', () => opts.onRequest?.(entry));
    req.resume();
    const fail = (status: number, code: string, message: string) => {
      entry.status = status;
      xmlError(res, status, code, message, url.pathname);
    };
    if (!req.headers.authorization) return fail(403, 'AccessDenied', 'Anonymous access is not allowed');
    const objects = opts.buckets[entry.bucket];
    if (!objects) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist');

    if (req.method === 'GET' && !key && query['list-type'] === '2') {
      entry.operation = 'ListObjectsV2';
      const prefix = query.prefix ?? '';
      const delimiter = query.delimiter ?? '';
      const maxKeys = Math.min(Number(query['max-keys'] ?? 1000), opts.maxKeys ?? 1000);
      const encode = query['encoding-type'] === 'url';
      const after = query['continuation-token']
        ? Buffer.from(query['continuation-token'], 'base64url').toString('utf8')
        : (query['start-after'] ?? '');
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const contents: string[] = [];
      const prefixes: string[] = [];
      let last = '';
      let truncated = false;
      const full = () => contents.length + prefixes.length >= maxKeys;
      for (const k of keys) {
        const i = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
        if (i >= 0) {
          const p = k.slice(0, i + delimiter.length);
          if (prefixes.includes(p)) continue; // already rolled into this common prefix
          if (full()) {
            truncated = true;
            break;
          }
          prefixes.push(p);
          last = keys.filter((x) => x.startsWith(p)).pop() ?? k;
          continue;
        }
        if (full()) {
          truncated = true;
          break;
        }
        contents.push(k);
        last = k;
      }
      const enc = (s: string) => xmlEscape(encode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
      const body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
        `<Name>${xmlEscape(entry.bucket)}</Name><Prefix>${enc(prefix)}</Prefix><KeyCount>${contents.length + prefixes.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>`,
        delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : '',
        encode ? '<EncodingType>url</EncodingType>' : '',
        `<IsTruncated>${truncated}</IsTruncated>`,
        ...contents.map((k) => {
          const o = objects.get(k)!;
          return `<Contents><Key>${enc(k)}</Key><LastModified>${o.lastModified ?? '2024-01-01T00:00:00.000Z'}</LastModified><ETag>${xmlEscape(etagOf(o))}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        }),
        ...prefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`),
        query['continuation-token']
          ? `<ContinuationToken>${xmlEscape(query['continuation-token'])}</ContinuationToken>`
          : '',
        truncated ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>` : '',
        '</ListBucketResult>',
      ].join('');
      res.writeHead(200, { 'content-type': 'application/xml' });
      return res.end(body);
    }

    if ((req.method === 'GET' || req.method === 'HEAD') && key) {
      entry.operation = 'GetObject';
      if (opts.deniedKeys?.includes(key)) return fail(403, 'AccessDenied', 'Access Denied');
      const o = objects.get(key);
      if (!o) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(o.body.length),
        etag: etagOf(o),
        'last-modified': new Date(o.lastModified ?? '2024-01-01T00:00:00Z').toUTCString(),
      });
      return res.end(req.method === 'HEAD' ? undefined : o.body);
    }
    return fail(
      400,
      'NotImplemented',
      `this test endpoint does not implement ${req.method} ${url.pathname}${url.search}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
