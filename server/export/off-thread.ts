// Exports built off the server's event loop: each export runs in a worker thread with its own read-only
// connection to the store (worker.ts), and its bytes come back batch by batch as the client reads them.
// A whole-graph export of a large estate reads and serialises for seconds; on the main thread that stalled
// every other request, /api/health included (issue 14, item 13). The bytes are those of buildExport.
// At most `concurrency` exports are built at once, so memory stays bounded; the others wait their turn.
import { Worker } from 'node:worker_threads';
import { AmbiguousRefError, InvalidInputError, NotFoundError, StoreUnavailableError } from '../../graph/errors.ts';
import type { ExportContext, ExportOutput, ExportRequestInput } from './index.ts';

/** What the worker is asked to build. */
export interface ExportJob {
  /** A store spec the worker can open on its own (an embedded store's file). */
  spec: string;
  request: ExportRequestInput;
  storeLabel: string;
  now: string;
}

export type FromWorker =
  | { type: 'head'; contentType: string; fileName: string }
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' }
  | { type: 'error'; name: string; message: string; ref?: string; candidates?: string[]; accepted?: string };

export type ExportBuilder = (request: ExportRequestInput, ctx: ExportContext) => Promise<ExportOutput>;

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** The worker's error as the class the HTTP edge maps to a status code. */
function rebuilt(m: Extract<FromWorker, { type: 'error' }>): Error {
  switch (m.name) {
    case 'NotFoundError':
      return new NotFoundError(m.ref ?? '');
    case 'AmbiguousRefError':
      return new AmbiguousRefError(m.ref ?? '', m.candidates ?? []);
    case 'InvalidInputError':
      return new InvalidInputError(m.message, m.accepted);
    case 'StoreUnavailableError':
      return new StoreUnavailableError(m.message);
    default:
      return new Error(m.message);
  }
}

/** A queue of turns: at most `limit` holders at once. */
function turns(limit: number): () => Promise<() => void> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };
  return async () => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
}

export function exportsOffThread(spec: string, opts: { concurrency?: number } = {}): ExportBuilder {
  const turn = turns(opts.concurrency ?? 2);
  return async (request, ctx) => {
    const done = await turn();
    const job: ExportJob = {
      spec,
      request,
      storeLabel: ctx.store,
      now: (ctx.now ?? new Date()).toISOString(),
    };
    const worker = new Worker(ENTRY, { workerData: job });
    const inbox: FromWorker[] = [];
    let notify: (() => void) | undefined;
    let failure: Error | undefined;
    worker.on('message', (m: FromWorker) => {
      inbox.push(m);
      notify?.();
    });
    worker.on('error', (e) => {
      failure = e;
      notify?.();
    });
    worker.on('exit', () => {
      done();
      failure ??= new StoreUnavailableError('the export worker stopped before the export was complete');
      notify?.();
    });
    const next = async (): Promise<FromWorker> => {
      for (;;) {
        const m = inbox.shift();
        if (m !== undefined) return m;
        if (failure !== undefined) throw failure;
        await new Promise<void>((resolve) => (notify = resolve));
      }
    };
    const first = await next();
    if (first.type === 'error') throw rebuilt(first);
    if (first.type !== 'head') throw new Error(`export worker: unexpected ${first.type} before the head`);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          worker.postMessage('pull');
          const m = await next();
          if (m.type === 'end') return;
          if (m.type === 'error') throw rebuilt(m);
          if (m.type === 'chunk') yield m.bytes;
        }
      } finally {
        // Finished, failed or abandoned (the client went away): the worker and its turn are freed.
        await worker.terminate();
      }
    }
    return { contentType: first.contentType, fileName: first.fileName, chunks: chunks() };
  };
}
