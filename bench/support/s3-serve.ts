// Serves a folder of delivery files as one S3 bucket (test/support/s3-endpoint) in its own process, so a
// bench that waits on `configgraph import s3://…` synchronously does not block the endpoint. Prints its URL and
// object count, then, for each line read on stdin, the GetObject and ListObjectsV2 requests answered so far.
//
//   tsx bench/support/s3-serve.ts DIR BUCKET PREFIX
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startS3Endpoint, type S3Object } from './s3-endpoint/server.ts';

const [dir, bucket, prefix] = process.argv.slice(2);
if (!dir || !bucket || !prefix) {
  console.error('usage: tsx bench/support/s3-serve.ts DIR BUCKET PREFIX');
  process.exit(2);
}
const objects = new Map<string, S3Object>();
for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
  if (e.isFile()) {
    const path = join(e.parentPath, e.name);
    objects.set(`${prefix}/${relative(dir, path)}`, { body: readFileSync(path) });
  }
const s3 = await startS3Endpoint({ buckets: { [bucket]: objects } });
console.log(`${s3.url} ${objects.size}`);
const answered = (operation: string) => s3.log.filter((l) => l.operation === operation).length;
process.stdin.on('data', () => console.log(`${answered('GetObject')} ${answered('ListObjectsV2')}`));
process.on('SIGTERM', () => void s3.close().then(() => process.exit(0)));
