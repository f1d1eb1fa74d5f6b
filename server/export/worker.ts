// The export worker: opens its own read-only connection to the store, builds one export and hands it to
// the main thread batch by batch, one batch per 'pull', so the server's event loop never runs the store
// reads or the serialisation and at most one batch per export waits in memory (see off-thread.ts).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../graph/stores/open.ts';
import { buildExport, type Chunks } from './index.ts';
import type { ExportJob, FromWorker } from './off-thread.ts';

const BATCH = 256 * 1024;

/**
 * Lowers this thread's CPU priority (nice 10), so that on a busy machine the server's own thread (health,
 * search, neighbourhood) is scheduled before export builders. Linux sets nice per thread: /proc/thread-self
 * names this thread's id, which setpriority accepts. Elsewhere the worker runs at the normal priority.
 */
function yieldCpuToServer(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, 10);
  } catch {
    /* not Linux, or not allowed: a normal priority */
  }
}
yieldCpuToServer();
const port = parentPort;
if (port === null) throw new Error('server/export/worker.ts runs only as a worker thread');
const job = workerData as ExportJob;

let credit = 0;
let wake: (() => void) | undefined;
port.on('message', (m: unknown) => {
  if (m !== 'pull') return;
  credit++;
  wake?.();
});
async function pulled(): Promise<void> {
  while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
  credit--;
}
const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

/** Pieces gathered into batches of about BATCH bytes, each in its own (transferable) buffer. */
async function* batches(chunks: Chunks): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let size = 0;
  const take = (): Uint8Array => {
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    parts = [];
    size = 0;
    return out;
  };
  /** True when a batch is full. */
  const add = (c: string | Uint8Array): boolean => {
    const bytes = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    parts.push(bytes);
    size += bytes.byteLength;
    return size >= BATCH;
  };
  // A synchronous source is walked without an await per piece (there are millions of small ones).
  if (Symbol.asyncIterator in chunks) {
    for await (const c of chunks) if (add(c)) yield take();
  } else {
    for (const c of chunks) if (add(c)) yield take();
  }
  if (size > 0) yield take();
}

try {
  const store = await openStore(job.spec, process.env, { access: 'read' });
  try {
    const out = await buildExport(store, job.request, { store: job.storeLabel, now: new Date(job.now) });
    send({ type: 'head', contentType: out.contentType, fileName: out.fileName });
    for await (const batch of batches(out.chunks)) {
      await pulled();
      send({ type: 'chunk', bytes: batch }, [batch.buffer as ArrayBuffer]);
    }
    await pulled();
    send({ type: 'end' });
  } finally {
    await store.close();
  }
} catch (e) {
  const err = e as Error & { ref?: string; candidates?: string[]; accepted?: string };
  send({
    type: 'error',
    name: err.name,
    message: err.message,
    ...(err.ref === undefined ? {} : { ref: err.ref }),
    ...(err.candidates === undefined ? {} : { candidates: err.candidates }),
    ...(err.accepted === undefined ? {} : { accepted: err.accepted }),
  });
}
port.close();
