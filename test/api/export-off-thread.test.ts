// Exports built in a worker thread (issue 14, item 13) are the very bytes the in-thread builder writes,
// in every format, whole graph and neighbourhood, plain and redacted; errors keep their kind (404, 400).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../graph/errors.ts';
import type { GraphStore } from '../../graph/store.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { buildExport, writeChunks, type ExportOutput, type ExportRequestInput } from '../../server/export/index.ts';
import { exportsOffThread } from '../../server/export/off-thread.ts';
import { importPaths } from '../../server/import.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
let spec: string;
let store: GraphStore;
let instance: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-export-worker-'));
  const path = join(dir, 'store.db');
  spec = `sqlite:${path}`;
  store = openSqliteStore(path);
  await importPaths(store, [join(ROOT, 'test/fixtures/aws-config-developer-guide')]);
  const recorded = (await store.canonicalExport()).resources.filter((r) => r.recorded);
  const hub = recorded.find((r) => r.resourceType === 'AWS::EC2::Instance') ?? recorded[0];
  if (hub === undefined) throw new Error('the fixture imported nothing');
  instance = hub.key;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function bytesOf(out: ExportOutput): Promise<Buffer> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      cb();
    },
  });
  await writeChunks(sink, out.chunks);
  return Buffer.concat(parts);
}

describe('exports off the event loop', () => {
  const now = new Date('2030-01-01T00:00:00.000Z');
  const requests = (): ExportRequestInput[] => [
    { format: 'json' },
    { format: 'json', redact: true },
    { format: 'csv' },
    { format: 'graphml' },
    { format: 'drawio' },
    { format: 'json', ref: instance, depth: 2 },
  ];

  it('writes the same bytes, headers and file name as the in-thread builder', async () => {
    const offThread = exportsOffThread(spec);
    for (const request of requests()) {
      const ctx = { store: 'sqlite:test', now };
      const here = await buildExport(store, request, ctx);
      const there = await offThread(request, ctx);
      expect(there.contentType).toBe(here.contentType);
      expect(there.fileName).toBe(here.fileName);
      const [a, b] = [await bytesOf(here), await bytesOf(there)];
      expect(b.length, JSON.stringify(request)).toBeGreaterThan(100);
      expect(b.equals(a), JSON.stringify(request)).toBe(true);
    }
  });

  it('builds at a lower CPU priority than the server (Linux: nice 10 on the worker thread only)', async () => {
    if (process.platform !== 'linux') return;
    const niceOf = (stat: string): number => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    const threads = (): number[] =>
      readdirSync('/proc/self/task').flatMap((t) => {
        try {
          return [niceOf(readFileSync(`/proc/self/task/${t}/stat`, 'utf8'))];
        } catch {
          return []; // the thread ended meanwhile
        }
      });
    // A process already at nice 10 or more (a test run under `nice`) cannot show the difference.
    if (niceOf(readFileSync('/proc/self/stat', 'utf8')) >= 10) return;
    expect(threads()).not.toContain(10);
    const out = await exportsOffThread(spec)({ format: 'json' }, { store: 'sqlite:test', now });
    // The worker has sent its head and waits for the first pull: it is alive, at nice 10.
    expect(threads()).toContain(10);
    expect((await bytesOf(out)).length).toBeGreaterThan(100);
  });

  it('runs several at once (more than its concurrency) and each is complete', async () => {
    const offThread = exportsOffThread(spec, { concurrency: 2 });
    const ctx = { store: 'sqlite:test', now };
    const expected = await bytesOf(await buildExport(store, { format: 'json' }, ctx));
    const all = await Promise.all(
      Array.from({ length: 5 }, async () => bytesOf(await offThread({ format: 'json' }, ctx))),
    );
    for (const b of all) expect(b.equals(expected)).toBe(true);
  });

  it('keeps the kind of an error, before any byte is written', async () => {
    const offThread = exportsOffThread(spec);
    const ctx = { store: 'sqlite:test', now };
    await expect(offThread({ format: 'json', ref: 'i-nope' }, ctx)).rejects.toBeInstanceOf(NotFoundError);
  });
});
