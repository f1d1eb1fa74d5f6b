// configgraph collect: snapshot AWS Config (an account's regions, or an aggregator) into the store.
import { InvalidInputError } from '../../../graph/errors.ts';
import { collect, CollectionAborted, CollectionFailed, defaultCheckpointDir } from '../../collect/collector.ts';
import { ALL_REGIONS, type CollectOptions } from '../../collect/options.ts';
import { consoleProgress } from '../../collect/progress.ts';
import { formatSummary, summaryJson } from '../../collect/summary.ts';
import type { CliContext } from '../command.ts';
import { intOption, printJson, stringOption, withStore } from '../common.ts';
import { EXIT } from '../exit.ts';

function list(ctx: CliContext, name: string): string[] {
  const v = ctx.values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  // Accept both --region a --region b and --region a,b.
  return raw
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Collect options from flags and environment (validated again by the collector). */
export function collectOptionsFrom(ctx: CliContext): CollectOptions {
  let regions = list(ctx, 'region');
  if (ctx.values['all-regions']) {
    if (regions.length) throw new InvalidInputError('--region and --all-regions together', 'one or the other');
    regions = [...ALL_REGIONS];
  }
  const aggregator = stringOption(ctx, 'aggregator');
  if (regions.length === 0) {
    const envRegion = ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION;
    if (envRegion) regions = [envRegion];
  }
  if (aggregator && regions.length > 1)
    throw new InvalidInputError(
      'with --aggregator, --region names the one region the aggregator lives in',
      'filter source regions with --source-region',
    );
  const opts: CollectOptions = { regions };
  if (aggregator) opts.aggregator = aggregator;
  const accounts = list(ctx, 'account');
  if (accounts.length) opts.accounts = accounts;
  const sourceRegions = list(ctx, 'source-region');
  if (sourceRegions.length) opts.sourceRegions = sourceRegions;
  if ((accounts.length || sourceRegions.length) && !aggregator)
    throw new InvalidInputError('--account and --source-region filter an aggregator', 'use them with --aggregator');
  const types = list(ctx, 'type');
  if (types.length) opts.resourceTypes = types;
  const history = stringOption(ctx, 'history');
  if (history) opts.history = history;
  const profile = stringOption(ctx, 'profile');
  if (profile) opts.profile = profile;
  const endpoint = stringOption(ctx, 'endpoint-url');
  if (endpoint) opts.endpointUrl = endpoint;
  const maxAttempts = intOption(ctx, 'max-attempts', { min: 1, max: 20 });
  if (maxAttempts !== undefined) opts.maxAttempts = maxAttempts;
  const concurrency = intOption(ctx, 'concurrency', { min: 1, max: 64 });
  if (concurrency !== undefined) opts.concurrency = concurrency;
  if (ctx.values.resume) opts.resume = true;
  opts.checkpointDir =
    stringOption(ctx, 'checkpoint-dir') ??
    defaultCheckpointDir(stringOption(ctx, 'store') ?? ctx.env.CONFIGGRAPH_STORE);
  return opts;
}

export async function runCollect(ctx: CliContext): Promise<number> {
  const opts = collectOptionsFrom(ctx);
  const renderer = consoleProgress(ctx.stderr);
  const abort = new AbortController();
  // First Ctrl-C stops cleanly (the checkpoint is kept); a second one exits at once.
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    ctx.stderr.write(
      '\ninterrupting: finishing the page in flight, keeping the checkpoint (Ctrl-C again to quit now)\n',
    );
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const summary = await withStore(ctx, { writer: 'collect' }, (store) =>
      collect(store, {
        ...opts,
        signal: abort.signal,
        onProgress: (p) => renderer.update(p),
        log: (l) => ctx.stderr.write(`${l}\n`),
      }),
    );
    renderer.done();
    if (ctx.values.json) printJson(ctx, summaryJson(summary));
    else ctx.stdout.write(`${formatSummary(summary)}\n`);
    return summary.items === 0 && summary.skipped.length > 0 ? EXIT.failed : EXIT.ok;
  } catch (e) {
    renderer.done();
    if (e instanceof CollectionAborted) {
      ctx.stderr.write(`configgraph collect: ${e.message}\n`);
      return 130;
    }
    if (e instanceof CollectionFailed) {
      ctx.stderr.write(`configgraph collect: ${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
