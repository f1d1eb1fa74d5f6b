// configgraph import <files, folders or s3://bucket/prefix ...>
import { InvalidInputError } from '../../../graph/errors.ts';
import type { ImportLimits } from '../../../graph/limits.ts';
import type { GraphStore } from '../../../graph/store.ts';
import { importS3 as importS3Deliveries } from '../../import-s3.ts';
import { ImportInterrupted, importPaths, type ImportSummary } from '../../import.ts';
import type { S3ReadOptions } from '../../sources/s3.ts';
import type { CliContext } from '../command.ts';
import { printJson, stringOption, timeOption, withStore } from '../common.ts';
import { EXIT } from '../exit.ts';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

function progress(
  ctx: CliContext,
  tty: boolean,
  done: number,
  total: number | undefined,
  items: number,
  unit: string,
): void {
  if (!tty) return;
  const width = 30;
  const filled = total ? Math.round((done / Math.max(total, 1)) * width) : 0;
  const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}` : `${done}`;
  ctx.stderr.write(`\r${bar} ${unit}, ${items} items`);
}

/** A positive whole number from a flag, or undefined when the flag is absent. */
function positiveInteger(ctx: CliContext, flag: string, example: string): number | undefined {
  const given = stringOption(ctx, flag);
  if (given === undefined) return undefined;
  const n = Number(given);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidInputError(`--${flag} ${JSON.stringify(given)} is not a positive integer`, example);
  return n;
}

/** Size limits from --max-file-mb, --max-nesting and --max-string-kb (P8). */
function limitsOf(ctx: CliContext): Partial<ImportLimits> {
  const limits: Partial<ImportLimits> = {};
  const fileMb = positiveInteger(ctx, 'max-file-mb', 'megabytes per file after decompression, e.g. --max-file-mb 512');
  const nesting = positiveInteger(ctx, 'max-nesting', 'levels, e.g. --max-nesting 200');
  const stringKb = positiveInteger(ctx, 'max-string-kb', 'kilobytes per string value, e.g. --max-string-kb 16384');
  if (fileMb !== undefined) limits.maxFileBytes = fileMb * 1024 * 1024;
  if (nesting !== undefined) limits.maxNesting = nesting;
  if (stringKb !== undefined) limits.maxStringLength = stringKb * 1024;
  return limits;
}

/** S3 deliveries: listed and downloaded object by object, stored as files are (R6, R7). */
async function importS3(
  ctx: CliContext,
  store: GraphStore,
  url: string,
  tty: boolean,
  itemsPerRun: number | undefined,
  reimport: boolean,
  limits: Partial<ImportLimits>,
  signal: AbortSignal,
): Promise<ImportSummary> {
  const opts: S3ReadOptions = { limits, signal };
  const accounts = list(ctx.values.accounts);
  const regions = list(ctx.values.regions);
  if (accounts.length) opts.accounts = accounts;
  if (regions.length) opts.regions = regions;
  const from = timeOption(ctx, 'from');
  const to = timeOption(ctx, 'to');
  if (Boolean(from) !== Boolean(to))
    throw new InvalidInputError(
      '--from and --to go together',
      'both delivery days, e.g. --from 2024-03-01 --to 2024-03-07',
    );
  if (from && to) Object.assign(opts, { from, to });
  const profile = stringOption(ctx, 'profile');
  const bucketRegion = stringOption(ctx, 'bucket-region');
  const endpointUrl = stringOption(ctx, 'endpoint-url') ?? ctx.env.AWS_ENDPOINT_URL;
  if (profile) opts.profile = profile;
  if (bucketRegion) opts.region = bucketRegion;
  if (endpointUrl) opts.endpointUrl = endpointUrl;
  return importS3Deliveries(store, url, opts, {
    ...(itemsPerRun ? { itemsPerRun } : {}),
    ...(reimport ? { reimport } : {}),
    onObject: (p) => progress(ctx, tty, p.objects, undefined, p.items, 'objects'),
  });
}

/** Local paths first, as one import; then each s3:// location. */
async function importAll(
  ctx: CliContext,
  o: {
    local: string[];
    s3: string[];
    account: string | undefined;
    itemsPerRun: number | undefined;
    limits: Partial<ImportLimits>;
    tty: boolean;
    signal: AbortSignal;
  },
): Promise<ImportSummary[]> {
  const { local, s3, account, itemsPerRun, limits, tty, signal } = o;
  return withStore(ctx, { writer: 'import' }, async (store) => {
    const out: ImportSummary[] = [];
    if (local.length) {
      out.push(
        await importPaths(store, local, {
          ...(account ? { defaultAccountId: account } : {}),
          ...(itemsPerRun ? { itemsPerRun } : {}),
          ...(ctx.values.reimport ? { reimport: true } : {}),
          limits,
          signal,
          onProgress: (p) => progress(ctx, tty, p.filesDone, p.filesTotal, p.items, 'files'),
        }),
      );
      if (tty) ctx.stderr.write('\n');
    }
    for (const url of s3) {
      out.push(await importS3(ctx, store, url, tty, itemsPerRun, Boolean(ctx.values.reimport), limits, signal));
      if (tty) ctx.stderr.write('\n');
    }
    return out;
  });
}

export async function runImport(ctx: CliContext): Promise<number> {
  if (ctx.positionals.length === 0)
    throw new InvalidInputError('nothing to import', 'one or more files, folders or s3://bucket/prefix');
  const tty = Boolean(ctx.stderr.isTTY) && !ctx.values.json;
  const account = stringOption(ctx, 'account');
  if (account !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(account))
    throw new InvalidInputError(
      `--account ${JSON.stringify(account)} is not an account id`,
      'e.g. --account 123456789012',
    );
  const perRun = stringOption(ctx, 'items-per-run');
  const itemsPerRun = perRun === undefined ? undefined : Number(perRun);
  if (itemsPerRun !== undefined && !(Number.isInteger(itemsPerRun) && itemsPerRun > 0)) {
    throw new InvalidInputError(
      `--items-per-run ${JSON.stringify(perRun)} is not a positive integer`,
      'a number of items, e.g. --items-per-run 20000',
    );
  }
  const limits = limitsOf(ctx);
  const s3 = ctx.positionals.filter((p) => p.startsWith('s3://'));
  const local = ctx.positionals.filter((p) => !p.startsWith('s3://'));
  const abort = new AbortController();
  // The first Ctrl-C stops between files or objects, once the run in flight is stored; a second exits at once.
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    ctx.stderr.write('\ninterrupting: storing the run in flight (Ctrl-C again to quit now)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let summaries: ImportSummary[];
  try {
    summaries = await importAll(ctx, { local, s3, account, itemsPerRun, limits, tty, signal: abort.signal });
  } catch (e) {
    if (!(e instanceof ImportInterrupted)) throw e;
    if (tty) ctx.stderr.write('\n');
    ctx.stderr.write(`configgraph import: ${e.message}\n`);
    return 130;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  const bodies = summaries.map((summary) => ({
    items: summary.items,
    events: summary.events,
    compliance: summary.compliance,
    resources: summary.resources,
    versions: summary.versions,
    edges: summary.edges,
    duplicates: summary.duplicates,
    inferredDeletions: summary.inferredDeletions,
    ...(summary.undoneDeletions ? { undoneDeletions: summary.undoneDeletions } : {}),
    files: summary.files,
    alreadyImported: summary.alreadyImported,
    ...(summary.notDownloaded !== undefined ? { notDownloaded: summary.notDownloaded } : {}),
    ...(summary.run ? { runId: summary.run.id } : {}),
    ...(summary.runs.length > 1 ? { runIds: summary.runs.map((r) => r.id) } : {}),
    skippedCount: summary.skippedCount,
    skipped: summary.skipped,
    notes: summary.notes,
  }));
  if (ctx.values.json) printJson(ctx, bodies.length === 1 ? bodies[0] : bodies);
  else {
    // Local paths are imported first, as one summary; each s3:// location follows with its own.
    const unit = (i: number) => (local.length && i === 0 ? 'files' : 'objects');
    for (const [i, summary] of summaries.entries()) {
      ctx.stdout.write(
        `imported ${summary.items} items${summary.compliance ? ` (${summary.compliance} compliance items)` : ''}${summary.events ? ` and ${summary.events} CloudTrail events` : ''} from ${summary.files} ${unit(i)}${summary.alreadyImported ? ` (${summary.alreadyImported} already imported, skipped)` : ''}: ` +
          `${summary.resources} resources, ${summary.versions} new versions (${summary.duplicates} already stored), ${summary.edges} new edges, ${summary.inferredDeletions} inferred deletions` +
          // Net of the runs: a deletion one run inferred and a later run undid is not counted (R6).
          `${summary.undoneDeletions ? ` (${summary.undoneDeletions} inferred before undone)` : ''}` +
          `${summary.runs.length > 1 ? `, stored as ${summary.runs.length} runs` : ''}\n`,
      );
      if (summary.skippedCount) {
        const shown =
          summary.skipped.length < summary.skippedCount ? ` (the first ${summary.skipped.length} below)` : '';
        ctx.stdout.write(`skipped ${summary.skippedCount}${shown}:\n`);
        for (const s of summary.skipped) ctx.stdout.write(`  ${s.file}${s.item ? ` ${s.item}` : ''}: ${s.reason}\n`);
      }
      for (const n of summary.notes) ctx.stdout.write(`note: ${n}\n`);
    }
  }
  // Non-zero only when nothing could be imported (the store failing throws before this).
  // A re-import of files all already imported imported nothing, and that is a success (R7).
  return summaries.every((s) => s.items === 0 && s.events === 0 && s.alreadyImported === 0) ? EXIT.failed : EXIT.ok;
}
