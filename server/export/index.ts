// One entry point for every export format, shared by GET /api/export and `configgraph export`, so
// the HTTP download and the CLI file are the same bytes for the same request.
import type { GraphEdge } from '../../graph/model.ts';
import type { GraphStore } from '../../graph/store.ts';
import { csvExport } from './csv.ts';
import { gatherExport, type EdgePages, type ExportFormat, type ExportRequest } from './data.ts';
import { drawioExport } from './drawio.ts';
import { graphmlExport } from './graphml.ts';
import { jsonExport } from './json.ts';
import { redactExport } from './redact.ts';

export type { ExportFormat, ExportRequest } from './data.ts';

/** A file's pieces; a JSON export's come as the store is read (its versions, page by page). */
export type Chunks = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

export interface ExportOutput {
  contentType: string;
  fileName: string;
  /** The file, piece by piece: write it with backpressure (see writeChunks). */
  chunks: Chunks;
}

export interface ExportContext {
  /** Describes the store in the manifest, without secrets. */
  store: string;
  /** When the export is written; also the as-of time when the request names none. */
  now?: Date;
}

const TYPES: Record<ExportFormat, { contentType: string; extension: string }> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  csv: { contentType: 'application/x-tar', extension: 'csv.tar' },
  graphml: { contentType: 'application/graphml+xml; charset=utf-8', extension: 'graphml' },
  drawio: { contentType: 'application/vnd.jgraph.mxfile; charset=utf-8', extension: 'drawio' },
};

/** An export request as parsed at the edge: without `at`, the graph as of now. */
export type ExportRequestInput = Omit<ExportRequest, 'at'> & { at?: string };

/**
 * Fetches the data (errors surface here, before anything is written) and returns the file's pieces. A JSON
 * export reads its versions while it is written: a store failing then cuts the file short.
 */
export async function buildExport(
  store: GraphStore,
  req: ExportRequestInput,
  ctx: ExportContext,
): Promise<ExportOutput> {
  const now = ctx.now ?? new Date();
  const request: ExportRequest = { ...req, at: req.at ?? now.toISOString() };
  // A redacted file names no store location either.
  const manifestCtx = {
    store: req.redact === true ? 'redacted' : ctx.store,
    generatedAt: now.toISOString(),
    redacted: req.redact === true,
  };
  let chunks: Chunks;
  if (req.format === 'drawio') {
    // draw.io needs every edge before its first cell: the containers (written first) are grouped by the
    // containment edges (G1–G7) and a connection joins an edge to its reverse twin anywhere in the graph (G8).
    const gathered = await gatherExport(store, request, { withVersions: false });
    chunks = drawioExport(req.redact === true ? redactExport(gathered) : gathered);
  } else {
    // The other formats take the edges as the store pages them (and a JSON export its versions too).
    const withVersions = req.format === 'json' && req.redact !== true;
    const gathered = await gatherExport(store, request, { withVersions, streamEdges: true });
    const data = req.redact === true ? redactExport(gathered) : gathered;
    chunks = endingEdges(
      req.format === 'json'
        ? jsonExport(data, manifestCtx)
        : req.format === 'csv'
          ? csvExport(data, manifestCtx)
          : graphmlExport(data),
      gathered.edges,
    );
  }
  const stamp = request.at.replace(/[:.]/g, '-');
  const what = `${request.ref !== undefined ? 'neighborhood' : 'graph'}${req.redact === true ? '-redacted' : ''}`;
  return {
    contentType: TYPES[req.format].contentType,
    fileName: `configgraph-${what}-${stamp}.${TYPES[req.format].extension}`,
    chunks,
  };
}

/**
 * A file's pieces whose reader, stopping early, ends the store's stream of edges too, even before the file
 * asked for its first page (a store holds a read open for the stream: a transaction, a connection).
 */
async function* endingEdges(
  chunks: AsyncIterable<string | Uint8Array>,
  edges: GraphEdge[] | EdgePages,
): AsyncGenerator<string | Uint8Array> {
  try {
    yield* chunks;
  } finally {
    if (!Array.isArray(edges)) await (edges as Partial<AsyncGenerator<GraphEdge[]>>).return?.(undefined);
  }
}

/** Writes pieces to a stream in ~64 KiB batches, waiting for 'drain' when the reader is slower. */
export async function writeChunks(out: NodeJS.WritableStream, chunks: Chunks): Promise<void> {
  const LIMIT = 64 * 1024;
  let batch: Buffer[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (size === 0) return;
    const buf = Buffer.concat(batch, size);
    batch = [];
    size = 0;
    if (!out.write(buf)) await waitForDrain(out);
  };
  /** True when the batch is full and should be flushed. */
  const add = (chunk: string | Uint8Array): boolean => {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    batch.push(buf);
    size += buf.length;
    return size >= LIMIT;
  };
  // A synchronous source is walked without an await per piece (there are millions of small ones).
  if (Symbol.asyncIterator in chunks) {
    for await (const chunk of chunks) if (add(chunk)) await flush();
  } else {
    for (const chunk of chunks) if (add(chunk)) await flush();
  }
  await flush();
}

function waitForDrain(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('the reader went away before the export was written'));
    };
    const cleanup = (): void => {
      out.removeListener('drain', onDrain);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
