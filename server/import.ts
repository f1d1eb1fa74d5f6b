// `configgraph import`: files and folders (.json, .json.gz) → one run, stored atomically (or, asked to, in
// several runs of bounded size: R5).
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { importLimits, type ImportLimits } from '../graph/limits.ts';
import type { RunRecord, SkippedItem } from '../graph/model.ts';
import { parseFileContent, type ParseResult } from '../graph/parse/index.ts';
import { continuation, splitRun } from '../graph/split-run.ts';
import type { GraphStore, RunInput } from '../graph/store.ts';

export interface ImportOptions {
  /** Account for items that name none (old files, recordings). */
  defaultAccountId?: string;
  /** Store the import as several runs of at most this many items each (R5); default: one run. */
  itemsPerRun?: number;
  /** Size limits for files and items (P8); the defaults when absent. */
  limits?: Partial<ImportLimits>;
  onProgress?: (p: { filesDone: number; filesTotal: number; items: number; file: string }) => void;
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
  inferredDeletions: number;
  files: number;
  skipped: SkippedItem[];
  notes: string[];
  /** The run that completed the import (the last of `runs`). */
  run: RunRecord;
  /** Every run the import was stored as, in order: one unless it was split (R5). */
  runs: RunRecord[];
}

const DATA_FILE = /\.json(\.gz)?$/i;

/**
 * Lists data files below the given paths, sorted, so a folder imports the same way every time.
 * Symbolic links are followed once (P10): a folder or file already reached by another path (a loop
 * such as `up -> ..`, or two links to one file) is not read again.
 */
export async function listDataFiles(paths: string[]): Promise<{ files: string[]; missing: SkippedItem[] }> {
  const files: string[] = [];
  const missing: SkippedItem[] = [];
  const seen = new Set<string>();
  async function once(p: string): Promise<boolean> {
    const real = await realpath(p).catch(() => p);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  }
  async function walk(p: string, named: boolean): Promise<void> {
    let s;
    try {
      s = await stat(p);
    } catch {
      missing.push({ file: p, reason: named ? 'no such file or folder' : 'a link to nothing' });
      return;
    }
    if (s.isDirectory()) {
      if (!(await once(p))) return;
      for (const entry of (await readdir(p)).sort()) await walk(join(p, entry), false);
    } else if (s.isFile() && (named || DATA_FILE.test(p)) && (await once(p))) {
      files.push(p); // a file named explicitly is tried whatever its name
    }
  }
  for (const p of paths) await walk(p, true);
  return { files, missing };
}

/** Adds what one parsed file or object holds to a run's input. */
export function addParseResult(input: RunInput, r: ParseResult): void {
  input.items.push(...r.items);
  (input.snapshots ??= []).push(...r.snapshots);
  (input.skipped ??= []).push(...r.skipped);
  (input.notes ??= []).push(...r.notes);
  if (r.events?.length) (input.events ??= []).push(...r.events);
}

/**
 * Stores an import as one run, or as several runs of bounded size (R5), one after the other: the parts
 * of `splitRun`, then as many runs re-examining stored resources against the import's snapshots as the
 * store reports needed. When a run fails, the runs before it stay stored (each run is atomic): the
 * error says so, and importing the same files again completes the graph.
 */
export async function storeImport(store: GraphStore, input: RunInput, itemsPerRun?: number): Promise<RunRecord[]> {
  const parts = itemsPerRun ? splitRun(input, itemsPerRun) : [input];
  const runs: RunRecord[] = [];
  const ingestOne = async (run: RunInput): Promise<RunRecord> => {
    const i = runs.length;
    try {
      const record = await store.ingest(run);
      runs.push(record);
      return record;
    } catch (e) {
      if (i === 0) throw e;
      const err = e as Error;
      const which = i < parts.length ? `run ${i + 1} of ${parts.length}` : `run ${i + 1} (re-examining resources)`;
      err.message = `${which} failed (runs 1–${i} are stored; importing the same files again completes the graph): ${err.message}`;
      throw err;
    }
  };
  for (const part of parts) {
    let record = await ingestOne(part);
    for (let slice = 2, next; (next = continuation(part, record, slice)); slice++) record = await ingestOne(next);
  }
  return runs;
}

/** What an import stored, from its input and the store's run records. */
export function importSummary(input: RunInput, runs: RunRecord[], files: number): ImportSummary {
  const sum = (count: 'resources' | 'versions' | 'edges' | 'duplicates' | 'inferredDeletions') =>
    runs.reduce((n, r) => n + r.counts[count], 0);
  return {
    items: input.items.length,
    events: input.events?.length ?? 0,
    compliance: runs.reduce((n, r) => n + (r.counts.compliance ?? 0), 0),
    resources: sum('resources'),
    versions: sum('versions'),
    edges: sum('edges'),
    duplicates: sum('duplicates'),
    inferredDeletions: sum('inferredDeletions'),
    files,
    skipped: input.skipped ?? [],
    notes: input.notes ?? [],
    run: runs[runs.length - 1]!,
    runs,
  };
}

export async function importPaths(
  store: GraphStore,
  paths: string[],
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const { files, missing } = await listDataFiles(paths);
  const input: RunInput = {
    source: 'files',
    scope: paths.join(' '),
    items: [],
    snapshots: [],
    skipped: [...missing],
    notes: [],
  };
  const shapes = new Map<string, number>();
  const limits = importLimits(opts.limits);
  const ctx = { ...(opts.defaultAccountId ? { defaultAccountId: opts.defaultAccountId } : {}), limits };
  let done = 0;
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    let bytes: Buffer;
    try {
      // A plain file over the limit is not read at all; a gzip file is inflated up to the limit only.
      const { size } = await stat(file);
      if (!/\.gz$/i.test(file) && size > limits.maxFileBytes) {
        input.skipped!.push({
          file: shown,
          reason: `the file holds more than ${limits.maxFileBytes} bytes (the import limit; raise it with --max-file-mb)`,
        });
        continue;
      }
      bytes = await readFile(file);
    } catch (e) {
      input.skipped!.push({ file: shown, reason: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const r = parseFileContent(bytes, shown, ctx);
    addParseResult(input, r);
    shapes.set(r.shape, (shapes.get(r.shape) ?? 0) + 1);
    done++;
    opts.onProgress?.({ filesDone: done, filesTotal: files.length, items: input.items.length, file: shown });
  }
  input.notes!.unshift(`files by shape: ${[...shapes].map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}`);
  return importSummary(input, await storeImport(store, input, opts.itemsPerRun), files.length);
}
