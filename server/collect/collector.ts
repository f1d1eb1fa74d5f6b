// `collect`: snapshot what AWS Config knows (one account's regions, or an aggregator) and,
// optionally, its history, into the store as one atomic run. Every completed API page is
// journalled first, so an interrupted run resumes without refetching it.
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { RunRecord } from '../../graph/model.ts';
import type { GraphStore, RunInput } from '../../graph/store.ts';
import { Checkpoint, CheckpointBusyError } from './checkpoint.ts';
import { makeClient, newCounters } from './clients.ts';
import { ItemSink, snapshotsOf, type CollectContext, type ScopeOutcome } from './context.ts';
import { collectAggregator, collectRegion } from './current-state.ts';
import { collectHistory, type HistoryStats } from './history.ts';
import { resolveHistoryStart, validateOptions, type CollectOptions } from './options.ts';
import { forEachLimited, TaskError, TaskRunner } from './pager.ts';
import type { ProgressSnapshot } from './progress.ts';
import { RateLimiter, type RateLimit } from './rate-limiter.ts';

export interface CollectSummary {
  runId: string;
  status: RunRecord['status'];
  mode: 'account' | 'aggregator';
  scope: string;
  items: number;
  resources: number;
  /** HTTP attempts per operation, retries included. */
  apiCalls: Record<string, number>;
  totalCalls: number;
  /** totalCalls per 1,000 resources collected: the cost of a collection at organisation scale. */
  callsPerThousandResources: number;
  throttles: number;
  serverErrors: number;
  pagesFetched: number;
  /** Pages taken from the checkpoint of an interrupted run instead of refetched. */
  pagesReplayed: number;
  resumed: boolean;
  scopes: { scope: string; complete: boolean; problems: string[] }[];
  skipped: { scope: string; reason: string }[];
  itemsSkipped: number;
  notes: string[];
  history?: HistoryStats & { since: string };
  snapshots: number;
  durationMs: number;
  run: RunRecord;
}

/** The collection was interrupted; its checkpoint is kept for `--resume`. */
export class CollectionAborted extends Error {
  override readonly name = 'CollectionAborted';
  constructor(readonly checkpointPath: string) {
    super(`collection interrupted; run the same command with --resume to continue (checkpoint ${checkpointPath})`);
  }
}

/** A failure that stops the whole run (credentials, unknown aggregator); the store is untouched. */
export class CollectionFailed extends Error {
  override readonly name = 'CollectionFailed';
}

const DEFAULT_LIMITS: Record<string, RateLimit> = {
  GetResourceConfigHistory: { perSecond: 5, burst: 5 },
  default: { perSecond: 10, burst: 10 },
};

/** Identity of a collection for its checkpoint: the same command resumes the same journal. */
export function collectionKey(o: CollectOptions): string {
  const id = {
    regions: [...o.regions].sort(),
    aggregator: o.aggregator ?? null,
    accounts: [...(o.accounts ?? [])].sort(),
    sourceRegions: [...(o.sourceRegions ?? [])].sort(),
    types: [...(o.resourceTypes ?? [])].sort(),
    history: o.history ?? null,
    endpoint: o.endpointUrl ?? process.env.AWS_ENDPOINT_URL ?? null,
    profile: o.profile ?? process.env.AWS_PROFILE ?? null,
  };
  return createHash('sha256').update(JSON.stringify(id)).digest('hex').slice(0, 16);
}

export function defaultCheckpointDir(storeSpec: string | undefined): string {
  const m = storeSpec ? /^sqlite:(.+)$/.exec(storeSpec) : null;
  if (m && m[1] !== ':memory:') return join(dirname(resolve(m[1]!)), 'checkpoints');
  return resolve('data', 'checkpoints');
}

export async function collect(store: GraphStore, options: CollectOptions): Promise<CollectSummary> {
  validateOptions(options);
  const t0 = Date.now();
  const mode = options.aggregator ? 'aggregator' : 'account';
  const scope = options.aggregator
    ? `aggregator ${options.aggregator} (${options.regions[0]})`
    : `account regions ${options.regions.join(',')}`;
  const key = collectionKey(options);
  const dir = options.checkpointDir ?? resolve('data', 'checkpoints');
  const path = join(dir, `collect-${key}.checkpoint.jsonl`);
  const now = options.now ?? new Date();
  let checkpoint: Checkpoint;
  try {
    checkpoint = Checkpoint.open(
      path,
      { kind: 'configgraph-collect-checkpoint', version: 1, key, startedAt: now.toISOString(), description: scope },
      options.resume === true,
    );
  } catch (e) {
    if (e instanceof CheckpointBusyError) throw new CollectionFailed(e.message);
    throw e;
  }
  const startedAt = checkpoint.header.startedAt;
  const log = options.log ?? (() => undefined);
  if (checkpoint.resumed) log(`resuming the collection started at ${startedAt}`);
  if (checkpoint.replacedUnfinished)
    log('an unfinished earlier run of this collection was discarded (pass --resume to continue one instead)');

  const counters = newCounters();
  const limiter = new RateLimiter(
    (op) => options.rateLimits?.[op] ?? options.rateLimits?.default ?? DEFAULT_LIMITS[op] ?? DEFAULT_LIMITS.default!,
  );
  const clients = new Map<string, ConfigServiceClient>();
  const progress: ProgressSnapshot = {
    phase: 'current state',
    resources: 0,
    items: 0,
    pages: 0,
    pagesReplayed: 0,
    historyTasksDone: 0,
    historyTasksTotal: 0,
    calls: 0,
    throttles: 0,
    elapsedMs: 0,
    rate: 0,
  };
  const emit = () => {
    progress.elapsedMs = Date.now() - t0;
    progress.calls = Object.values(counters.calls).reduce((a, b) => a + b, 0);
    progress.throttles = counters.throttles;
    progress.rate = progress.elapsedMs > 0 ? (progress.items * 1000) / progress.elapsedMs : 0;
    const done = progress.expectedResources ? progress.resources / progress.expectedResources : undefined;
    progress.etaMs =
      done && done > 0 && done < 1 && progress.historyTasksTotal === 0
        ? (progress.elapsedMs * (1 - done)) / done
        : undefined;
    if (progress.historyTasksTotal > 0 && progress.historyTasksDone > 0) {
      const f = progress.historyTasksDone / progress.historyTasksTotal;
      progress.etaMs = f < 1 ? (progress.elapsedMs * (1 - f)) / f : undefined;
    }
    options.onProgress?.({ ...progress });
  };
  const runner = new TaskRunner(checkpoint, {
    concurrency: options.concurrency ?? 4,
    pageRetries: options.pageRetries ?? 4,
    retryBaseMs: options.retryBaseMs ?? 1000,
    signal: options.signal,
    onPage: (task, replayed) => {
      if (replayed) progress.pagesReplayed++;
      else {
        progress.pages++;
        options.onPage?.(task);
      }
    },
  });
  const sink = new ItemSink();
  const skipped: { scope: string; reason: string }[] = [];
  const ctx: CollectContext = {
    options,
    store,
    runner,
    sink,
    counters,
    startedAt,
    progress,
    emit,
    log,
    client(region) {
      let c = clients.get(region);
      if (!c) {
        c = makeClient(
          region,
          {
            profile: options.profile,
            endpointUrl: options.endpointUrl,
            maxAttempts: options.maxAttempts ?? 5,
            limiterAccount: options.aggregator ? `aggregator:${options.aggregator}` : 'self',
          },
          limiter,
          counters,
        );
        clients.set(region, c);
      }
      return c;
    },
    skip(scopeName, reason) {
      skipped.push({ scope: scopeName, reason });
    },
  };

  let outcomes: ScopeOutcome[];
  let historyStats: (HistoryStats & { since: string }) | undefined;
  try {
    if (options.aggregator) {
      outcomes = [await collectAggregator(ctx, options.aggregator, options.regions[0]!)];
      if (options.history)
        sink.notes.push(
          'history is not available through an aggregator (Config has no aggregate history call): run collect --history per account',
        );
    } else {
      const results: ScopeOutcome[] = [];
      await forEachLimited(
        options.regions,
        Math.max(1, Math.min(options.regions.length, options.concurrency ?? 4)),
        async (region) => {
          results.push(await collectRegion(ctx, region));
          log(
            `${region}: ${results[results.length - 1]!.members.size} resources${results[results.length - 1]!.complete ? '' : ' (incomplete)'}`,
          );
        },
      );
      outcomes = results.sort((a, b) => (a.scope < b.scope ? -1 : 1));
      // One region rejecting the credentials is a disabled opt-in region; all of them, bad credentials.
      const rejected = outcomes.filter((o) => o.credentialsRejected);
      if (rejected.length === outcomes.length)
        throw new TaskError(
          'all regions',
          'credentials',
          rejected[0]!.credentialsRejected!,
          outcomes[0]!.problems.join('; '),
        );
      if (options.history) {
        const since = resolveHistoryStart(options.history, new Date(startedAt));
        historyStats = { ...(await collectHistory(ctx, outcomes, since)), since };
      }
    }
  } catch (e) {
    checkpoint.close();
    for (const c of clients.values()) c.destroy();
    if (options.signal?.aborted || (e instanceof TaskError && e.kind === 'aborted')) throw new CollectionAborted(path);
    if (e instanceof TaskError && e.kind === 'credentials') {
      throw new CollectionFailed(
        `AWS rejected or could not find credentials (${e.errorName}: ${e.message}); set --profile, AWS_PROFILE or sign in with aws sso login`,
      );
    }
    if (e instanceof TaskError) throw new CollectionFailed(`${e.task}: ${e.errorName}: ${e.message}`);
    throw e;
  }
  for (const c of clients.values()) c.destroy();

  progress.phase = 'storing';
  emit();
  const snapshots = snapshotsOf(outcomes, startedAt);
  const input: RunInput = {
    source: options.aggregator ? `aws-config aggregator ${options.aggregator}` : 'aws-config api',
    scope,
    items: sink.all(),
    snapshots,
    skipped: [...sink.skipped, ...skipped.map((s) => ({ file: `config-api ${s.scope}`, reason: s.reason }))],
    notes: [
      ...sink.notes,
      ...(checkpoint.resumed ? [`resumed from a checkpoint: ${runner.pagesReplayed} pages replayed`] : []),
    ],
    startedAt,
  };
  checkpoint.sync();
  let run: RunRecord;
  try {
    run = await store.ingest(input);
  } catch (e) {
    // The store is unchanged (ingest is atomic) and the journal is kept: --resume retries without refetching.
    checkpoint.close();
    throw e;
  }
  checkpoint.discard();

  const apiCalls = { ...counters.calls };
  const totalCalls = Object.values(apiCalls).reduce((a, b) => a + b, 0);
  return {
    runId: run.id,
    status: run.status,
    mode,
    scope,
    items: input.items.length,
    resources: sink.current.size,
    apiCalls,
    totalCalls,
    callsPerThousandResources: sink.current.size > 0 ? (totalCalls * 1000) / sink.current.size : 0,
    throttles: counters.throttles,
    serverErrors: counters.serverErrors,
    pagesFetched: runner.pagesFetched,
    pagesReplayed: runner.pagesReplayed,
    resumed: checkpoint.resumed,
    scopes: outcomes.map((o) => ({ scope: o.scope, complete: o.complete, problems: o.problems })),
    skipped,
    itemsSkipped: sink.skipped.length,
    notes: input.notes ?? [],
    history: historyStats,
    snapshots: snapshots.length,
    durationMs: Date.now() - t0,
    run,
  };
}
