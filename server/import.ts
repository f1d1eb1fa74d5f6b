// `configgraph import`: files and folders (.json, .json.gz) → runs of bounded size, parsed and stored a batch
// at a time (R6), skipping files whose bytes were already imported (R7). An import that fits in one run is
// one run, stored atomically.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importLimits, type ImportLimits } from '../graph/limits.ts';
import type { FileDigest, ImportedFile, RunRecord, SkippedItem } from '../graph/model.ts';
import { parseFileContent } from '../graph/parse/index.ts';
import { keyOf } from '../graph/identity.ts';
import { continuation, ImportBatches, splitRun, type ImportPiece } from '../graph/split-run.ts';
import type { GraphStore, IngestAhead, RunInput } from '../graph/store.ts';
import { RunPreparation } from '../graph/ingest/prepare.ts';
import { fullCollection } from '../graph/stores/full-collection.ts';
import { inImportOrder } from './import-order.ts';
import { fileDigestId } from '../graph/file-digest.ts';

export interface ImportOptions {
  /** Account for items that name none (old files, recordings). */
  defaultAccountId?: string;
  /** Items (and CloudTrail events) per run, parsed and stored a batch at a time (R6); DEFAULT_ITEMS_PER_RUN. */
  itemsPerRun?: number;
  /** Import files again even when their bytes were already imported (R7). */
  reimport?: boolean;
  /** Size limits for files and items (P8); the defaults when absent. */
  limits?: Partial<ImportLimits>;
  onProgress?: (p: { filesDone: number; filesTotal: number; items: number; file: string }) => void;
  /** Stops the import between files (Ctrl-C): the run in flight is stored, what was parsed since is not. */
  signal?: AbortSignal;
}

/** What an import that stopped after `runs` runs left stored, and what importing again does. */
export const storedSoFar = (runs: number, again: string): string => `runs 1–${runs} are stored; ${again}`;

/** An import stopped by its signal; the runs stored before it stay, and say what importing again does. */
export class ImportInterrupted extends Error {
  override readonly name = 'ImportInterrupted';
  constructor(
    readonly storedRuns: number,
    again: string,
  ) {
    super(
      storedRuns > 0
        ? `import interrupted: ${storedSoFar(storedRuns, again)}`
        : 'import interrupted before any run was stored',
    );
  }
}

export interface ImportSummary {
  items: number;
  /** CloudTrail write events imported. */
  events: number;
  /** AWS::Config::ResourceCompliance items among `items`. */
  compliance: number;
  resources: number;
  versions: number;
  edges: number;
  duplicates: number;
  /** Inferred deletions the import left stored, net of those its later CIs undid. */
  inferredDeletions: number;
  /** When the import undid more deletions than it inferred (stored by earlier imports): how many more. */
  undoneDeletions?: number;
  files: number;
  /** Files skipped unread because their bytes were already imported (R7). */
  alreadyImported: number;
  /** S3 objects among `alreadyImported` not even downloaded: listed as when their bytes were imported (R7). */
  notDownloaded?: number;
  /** Skipped items with their reasons: the first SKIPPED_SHOWN of `skippedCount` (every run records its own). */
  skipped: SkippedItem[];
  skippedCount: number;
  notes: string[];
  /** The run that completed the import (the last of `runs`); none when there was nothing to store. */
  run?: RunRecord;
  /** Every run the import was stored as, in order (R5, R6). */
  runs: RunRecord[];
}

/**
 * Items per run when streaming files: enough that per-run work (snapshot reads, placeholder clean-up) is
 * paid rarely, few enough that a batch's parsed items and its plan stay far below the 1 GiB goal (R6).
 */
export const DEFAULT_ITEMS_PER_RUN = 20_000;

/** How many skipped items a summary lists; the runs record every one. */
export const SKIPPED_SHOWN = 1000;

const DATA_FILE = /\.json(\.gz)?$/i;

/**
 * Lists data files below the given paths, sorted, so a folder imports the same way every time, and each
 * path's files in import order (inImportOrder).
 * Symbolic links are followed once (P10): a folder or file already reached by another path (a loop
 * such as `up -> ..`, or two links to one file) is not read again.
 * The file system is asked synchronously, here and in readWithin: with a promise per call (a thread-pool hop
 * each), listing and reading the medium estate's 1,272 files was 0.4 s of waiting before its first run; asked
 * synchronously, under 0.1 s (docs/benchmarks.md, "Files listed and read without a promise each"). The import
 * parses on this thread anyway, and a file's read is short beside its parse.
 */
export function listDataFiles(paths: string[]): { files: string[]; missing: SkippedItem[] } {
  const files: string[] = [];
  const missing: SkippedItem[] = [];
  const seen = new Set<string>();
  const once = (real: string): boolean => {
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  };
  const realOf = (p: string): string => {
    try {
      return realpathSync.native(p);
    } catch {
      return p; // unresolvable: known by the path given
    }
  };
  // A folder's entries come with their types: one that is no link is known without a `stat`, and its real
  // path is its folder's joined with its name. Only the paths given and links are asked about: the xlarge
  // estate's 16,279 files took 1.4–1.7 s to list with a `stat` and a `realpath` each, and take 0.3 s so.
  function walk(p: string, named: boolean, known?: { real: string; folder: boolean }): void {
    if (!known) {
      let s;
      try {
        s = statSync(p);
      } catch {
        missing.push({ file: p, reason: named ? 'no such file or folder' : 'a link to nothing' });
        return;
      }
      if (!s.isDirectory() && !s.isFile()) return;
      known = { real: realOf(p), folder: s.isDirectory() };
    }
    if (known.folder) {
      if (!once(known.real)) return;
      const entries = readdirSync(p, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      for (const e of entries) {
        const child = join(p, e.name);
        const real = join(known.real, e.name);
        if (e.isDirectory() || e.isFile()) walk(child, false, { real, folder: e.isDirectory() });
        else walk(child, false); // a link, followed once; or a type the folder did not say
      }
    } else if ((named || DATA_FILE.test(p)) && once(known.real)) {
      files.push(p); // a file named explicitly is tried whatever its name
    }
  }
  for (const p of paths) {
    const from = files.length;
    walk(p, true);
    files.push(...inImportOrder(files.splice(from)));
  }
  return { files, missing };
}

/**
 * Stores runs one after the other; a failure after the first says what is stored and how to complete it.
 * A store that writes off the main thread (`ingestsOffThread`) gets a run while the caller goes on reading
 * and parsing the next: one run is in flight at most, and it is settled before the next is handed over.
 */
class RunWriter {
  readonly runs: RunRecord[] = [];
  private inFlight: Promise<RunRecord> | undefined;
  constructor(
    private readonly store: GraphStore,
    private readonly total: number | undefined,
    /**
     * A full garbage collection before each run but the first, for an import streamed from files, whose heap
     * is one run's worth (R6). An import whose whole input is in memory gains nothing from it and pays for
     * walking that input every run (1.7–2.9 s per run for the large estate in the bench's process).
     */
    private readonly collect: boolean,
  ) {}

  /**
   * Hands a run to the store; its failure is thrown here or by the next call (`settled`). Off-thread, returns
   * once the run is handed over, so the caller parses the next run while it is written, and first waits for
   * the run before it: without that wait the caller parsed ahead of the writes, every parsed run queued here
   * with its items (the large import's main-thread heap grew by 30 MiB a run; xlarge peaked at 2.4 GiB).
   */
  async submit(run: RunInput, ahead?: IngestAhead): Promise<void> {
    // Waited here, not only in `start`: the caller must not go on parsing until the run before is stored.
    await this.settledPreparing(ahead);
    const pending = this.start(run, ahead);
    if (this.store.ingestsOffThread) {
      pending.catch(() => {}); // thrown by `settled`, not as an unhandled rejection meanwhile
      this.inFlight = pending;
    } else await pending;
  }

  /** Stores a run and returns its record; `ahead`: what the store may prepare meanwhile (storeImport). */
  async ingest(run: RunInput, ahead?: IngestAhead): Promise<RunRecord> {
    return this.start(run, ahead);
  }

  /** The run in flight, stored (or its failure thrown). */
  async settled(): Promise<void> {
    const pending = this.inFlight;
    this.inFlight = undefined;
    await pending;
  }

  /**
   * The run in flight, settled; meanwhile the next run's read-free part is done (the main thread would wait
   * idle while the writer thread writes), so that once the run before is committed, only what reads the store
   * is left to plan (graph/ingest/prepare.ts).
   */
  private async settledPreparing(ahead?: IngestAhead): Promise<void> {
    if (this.inFlight) ahead?.preparation?.prepare(true);
    await this.settled();
  }

  private async start(run: RunInput, ahead?: IngestAhead): Promise<RunRecord> {
    await this.settledPreparing(ahead);
    const i = this.runs.length;
    // The run before is garbage now: collect it before this one grows the heap further (R6).
    if (i > 0 && this.collect) fullCollection();
    // Awaited where `run` is out of scope, so its items are garbage while the store writes them off-thread.
    return this.recorded(this.store.ingest(run, ahead), i);
  }

  private async recorded(stored: Promise<RunRecord>, i: number): Promise<RunRecord> {
    try {
      const record = await stored;
      this.runs.push(record);
      return record;
    } catch (e) {
      if (i === 0) throw e;
      const err = e as Error;
      const which =
        this.total === undefined
          ? `run ${i + 1}`
          : i < this.total
            ? `run ${i + 1} of ${this.total}`
            : `run ${i + 1} (re-examining resources)`;
      err.message = `${which} failed (${storedSoFar(i, 'importing the same files again completes the graph')}): ${err.message}`;
      throw err;
    }
  }

  /** Stores `part`, then the runs that continue re-examining after it (R5). */
  async withContinuations(part: RunInput, ahead?: IngestAhead): Promise<void> {
    let record = await this.ingest(part, ahead);
    for (let slice = 2, next; (next = continuation(part, record, slice)); slice++) record = await this.ingest(next);
  }
}

/**
 * Stores an import as one run, or as several runs of bounded size (R5), one after the other: the parts
 * of `splitRun`, then as many runs re-examining stored resources against the import's snapshots as the
 * store reports needed. When a run fails, the runs before it stay stored (each run is atomic): the
 * error says so, and importing the same files again completes the graph.
 */
export async function storeImport(store: GraphStore, input: RunInput, itemsPerRun?: number): Promise<RunRecord[]> {
  const parts = itemsPerRun ? splitRun(input, itemsPerRun) : [input];
  const writer = new RunWriter(store, parts.length, false);
  // Each part prepared by the store while the one before commits, where it can (Neo4j; graph/ingest/prepare.ts).
  for (const [part, ahead] of prepared(parts)) await writer.withContinuations(part, ahead);
  return writer.runs;
}

/**
 * Runs with what a store may prepare (graph/ingest/prepare.ts): each run's preparation, used by the store that
 * stores it, and the next run's, which the store may do while this one commits.
 */
function* prepared(runs: RunInput[]): Generator<[RunInput, IngestAhead]> {
  let next = runs.length ? new RunPreparation(runs[0]!) : undefined;
  for (const [i, run] of runs.entries()) {
    const preparation = next;
    next = i + 1 < runs.length ? new RunPreparation(runs[i + 1]!) : undefined;
    yield [run, { preparation, next }];
  }
}

/**
 * An import stored as it is read (R6): pieces go in, full runs are stored at once, and `finish` stores the
 * last run and its re-examination. Keeps only counts, the first skipped items and distinct notes.
 */
export class StreamedImport {
  private readonly batches: ImportBatches;
  private readonly writer: RunWriter;
  items = 0;
  events = 0;
  skippedCount = 0;
  readonly skipped: SkippedItem[] = [];
  private readonly notes = new Set<string>();
  /** The resources the import brought, once each however many runs brought them (the summary's count). */
  private readonly resources = new Set<string>();
  /** Edges stored before the first run: the summary says how many more the store holds after the last. */
  private edgesBefore?: number;

  /** `itemsPerRun` given: every run bounded, re-examination too (R5); else DEFAULT_ITEMS_PER_RUN, and an
   * import that fits in one run is that run, exactly. */
  constructor(
    private readonly store: GraphStore,
    base: Pick<RunInput, 'source' | 'scope' | 'startedAt'>,
    itemsPerRun?: number,
  ) {
    this.batches = new ImportBatches(base, itemsPerRun ?? DEFAULT_ITEMS_PER_RUN, itemsPerRun !== undefined);
    this.writer = new RunWriter(store, undefined, true);
  }

  async add(piece: ImportPiece, file?: ImportedFile): Promise<void> {
    this.items += piece.items.length;
    for (const item of piece.items) this.resources.add(keyOf(item));
    this.events += piece.events?.length ?? 0;
    this.skippedCount += piece.skipped.length;
    for (const s of piece.skipped) if (this.skipped.length < SKIPPED_SHOWN) this.skipped.push(s);
    for (const n of piece.notes) if (this.notes.size < SKIPPED_SHOWN) this.notes.add(n);
    for (const [run, ahead] of prepared(this.batches.add(piece, file))) {
      this.edgesBefore ??= (await this.store.stats()).edges;
      await this.writer.submit(run, ahead);
    }
  }

  /**
   * For an import that stops early: waits until the run handed to the store is written or has failed (its
   * failure is not thrown here), so the caller can read what the stored runs recorded.
   */
  async stopped(): Promise<void> {
    await this.writer.settled().catch(() => undefined);
  }

  /** How many runs are stored so far. */
  get storedRuns(): number {
    return this.writer.runs.length;
  }

  /**
   * Stores what remains; `notes` go first in the last run and the summary. The summary's figures are net:
   * what the import changed in the store, whatever the number of runs (R6).
   */
  async finish(
    notes: string[] = [],
  ): Promise<
    Pick<ImportSummary, 'runs' | 'notes' | 'items' | 'events' | 'skipped' | 'skippedCount' | 'run'> & NetCounts
  > {
    const last = this.batches.finish(notes);
    if (last) {
      this.edgesBefore ??= (await this.store.stats()).edges;
      await this.writer.withContinuations(last, { preparation: new RunPreparation(last) });
    }
    await this.writer.settled();
    const runs = this.writer.runs;
    const edges = this.edgesBefore === undefined ? 0 : (await this.store.stats()).edges - this.edgesBefore;
    return {
      items: this.items,
      events: this.events,
      ...netCounts(runs, this.resources.size, edges),
      skipped: this.skipped,
      skippedCount: this.skippedCount,
      notes: [...notes, ...[...this.notes].filter((n) => !notes.includes(n))],
      ...(runs.length ? { run: runs[runs.length - 1]! } : {}),
      runs,
    };
  }
}

type NetCounts = Pick<
  ImportSummary,
  'compliance' | 'resources' | 'versions' | 'edges' | 'duplicates' | 'inferredDeletions' | 'undoneDeletions'
>;

/**
 * An import's figures from its runs: new versions and duplicates add up (each item is new in one run at
 * most); deletions that one run inferred and a later one undid cancel out; resources and edges are counted
 * by the caller, once each.
 */
function netCounts(runs: RunRecord[], resources: number, edges: number): NetCounts {
  const sum = (f: (c: RunRecord['counts']) => number | undefined) => runs.reduce((n, r) => n + (f(r.counts) ?? 0), 0);
  const deletions = sum((c) => c.inferredDeletions) - sum((c) => c.undoneDeletions);
  return {
    compliance: sum((c) => c.compliance),
    resources,
    versions: sum((c) => c.versions),
    edges,
    duplicates: sum((c) => c.duplicates),
    inferredDeletions: Math.max(0, deletions),
    ...(deletions < 0 ? { undoneDeletions: -deletions } : {}),
  };
}

/**
 * What an import held whole in memory stored, from its input and the store's run records (edges: the
 * runs' sum, each counting the edges it wrote; a streamed import counts the store's edges instead).
 */
export function importSummary(input: RunInput, runs: RunRecord[], files: number): ImportSummary {
  const edges = runs.reduce((n, r) => n + r.counts.edges, 0);
  return {
    items: input.items.length,
    events: input.events?.length ?? 0,
    ...netCounts(runs, new Set(input.items.map(keyOf)).size, edges),
    files,
    alreadyImported: 0,
    skipped: input.skipped ?? [],
    skippedCount: input.skipped?.length ?? 0,
    notes: input.notes ?? [],
    run: runs[runs.length - 1]!,
    runs,
  };
}

/** A file's digest for the imported-files record: SHA-256 of its bytes as they are on disk (gzip included). */
export function digestOf(bytes: Uint8Array): FileDigest {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
}

/** Files asked about at once: one question to the store (one round trip to Neo4j) per this many files. */
const DIGEST_BATCH = 256;

type Read = { bytes: Buffer; digest: FileDigest } | { skipped: SkippedItem };

/** Reads a file within the limits: a plain file over the limit is not read at all (gzip is bounded when parsed). */
function readWithin(file: string, shown: string, maxFileBytes: number): Read {
  try {
    const { size } = statSync(file);
    if (!/\.gz$/i.test(file) && size > maxFileBytes)
      return {
        skipped: {
          file: shown,
          reason: `the file holds more than ${maxFileBytes} bytes (the import limit; raise it with --max-file-mb)`,
        },
      };
    const bytes = readFileSync(file);
    return { bytes, digest: digestOf(bytes) };
  } catch (e) {
    return { skipped: { file: shown, reason: `cannot read: ${(e as Error).message}` } };
  }
}

/** File bytes a group keeps from hashing to parsing, so that most files are read once (R6 still bounds it). */
const KEPT_BYTES = 32 * 1024 * 1024;

/**
 * Imports files and folders a batch of runs at a time (R6). Files are read in groups: each is hashed, the
 * store says which contents it already imported (R7; skipped, unless `reimport`), and the others are parsed
 * and added to the stream one at a time, from the bytes read for hashing while the group's stay under
 * KEPT_BYTES (else read again), so only a group's bytes and one run's items are held at once.
 */
export async function importPaths(
  store: GraphStore,
  paths: string[],
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const { files, missing } = listDataFiles(paths);
  const stream = new StreamedImport(store, { source: 'files', scope: paths.join(' ') }, opts.itemsPerRun);
  if (missing.length) await stream.add({ items: [], snapshots: [], skipped: missing, notes: [] });
  const shapes = new Map<string, number>();
  const limits = importLimits(opts.limits);
  const ctx = { ...(opts.defaultAccountId ? { defaultAccountId: opts.defaultAccountId } : {}), limits };
  let done = 0;
  let alreadyImported = 0;
  for (let at = 0; at < files.length; at += DIGEST_BATCH) {
    const group = files
      .slice(at, at + DIGEST_BATCH)
      .map((file) => ({ file, shown: relative(process.cwd(), file) || file }));
    const digests = new Map<string, FileDigest | SkippedItem>();
    const kept = new Map<string, Read>();
    let keptBytes = 0;
    for (const { file, shown } of group) {
      const read = readWithin(file, shown, limits.maxFileBytes);
      digests.set(file, 'skipped' in read ? read.skipped : read.digest);
      if ('bytes' in read && keptBytes + read.bytes.length <= KEPT_BYTES) {
        kept.set(file, read);
        keptBytes += read.bytes.length;
      }
    }
    const asked = [...digests.values()].filter((d): d is FileDigest => 'sha256' in d);
    const known = new Set(opts.reimport ? [] : (await store.importedFiles(asked)).map(fileDigestId));
    for (const { file, shown } of group) {
      if (opts.signal?.aborted) {
        await stream.stopped();
        throw new ImportInterrupted(
          stream.storedRuns,
          'importing the same files again reads only those they did not record',
        );
      }
      const d = digests.get(file)!;
      done++;
      if (!('sha256' in d)) {
        await stream.add({ items: [], snapshots: [], skipped: [d], notes: [] });
      } else if (known.has(fileDigestId(d))) {
        alreadyImported++;
      } else {
        const read = kept.get(file) ?? readWithin(file, shown, limits.maxFileBytes);
        kept.delete(file);
        if ('skipped' in read) {
          await stream.add({ items: [], snapshots: [], skipped: [read.skipped], notes: [] });
        } else {
          const r = parseFileContent(read.bytes, shown, ctx);
          shapes.set(r.shape, (shapes.get(r.shape) ?? 0) + 1);
          // A file skipped whole (not JSON, truncated) is not remembered: importing it again says why again.
          await stream.add(r, r.shape === 'unreadable' ? undefined : { ...read.digest, path: shown });
        }
      }
      opts.onProgress?.({ filesDone: done, filesTotal: files.length, items: stream.items, file: shown });
    }
  }
  const notes = [`files by shape: ${[...shapes].map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}`];
  if (alreadyImported) notes.push(`${alreadyImported} files already imported (the same bytes): skipped unread`);
  return { ...(await stream.finish(notes)), files: files.length, alreadyImported };
}
