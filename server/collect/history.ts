// The history stage: GetResourceConfigHistory per resource in windows of at most seven days (the
// span one call covers), paging through empty pages that still carry a nextToken. Incremental:
// a resource whose current CI the store already holds is skipped, one whose current CI was
// captured before the span starts changed nothing inside it and is skipped too (at organisation
// scale most resources are quiet, so this is most of the calls), and one the store knows is
// fetched only from its last stored capture time.
import {
  GetResourceConfigHistoryCommand,
  type ConfigurationItem as ApiConfigurationItem,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { COMPLIANCE_RESOURCE_TYPE } from '../../graph/compliance.ts';
import { keyOf, parseKey } from '../../graph/identity.ts';
import type { ResourceNode } from '../../graph/model.ts';
import { isDeletedStatus } from '../../graph/versions.ts';
import type { CollectContext, ScopeOutcome } from './context.ts';
import { forEachLimited, TaskError } from './pager.ts';

export const WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface HistoryWindow {
  from: string;
  to: string;
}

/** [from, to] cut into consecutive windows of at most seven days, newest last. */
export function historyWindows(from: string, to: string): HistoryWindow[] {
  const out: HistoryWindow[] = [];
  const end = Date.parse(to);
  for (let t = Date.parse(from); t < end; t += WINDOW_MS)
    out.push({ from: new Date(t).toISOString(), to: new Date(Math.min(end, t + WINDOW_MS)).toISOString() });
  return out;
}

interface HistoryTarget {
  key: string;
  resourceType: string;
  resourceId: string;
  region: string;
  from: string;
}

interface HistoryPage {
  configurationItems: ApiConfigurationItem[];
}

export interface HistoryStats {
  resources: number;
  /** Skipped: the store already holds their current CI. */
  unchanged: number;
  /** Skipped: their current CI was captured before the span started, so nothing changed inside it. */
  unchangedInSpan: number;
  windows: number;
  pages: number;
  emptyPages: number;
}

/** Resources to fetch history for in one scope, given what the store already has. */
async function targetsFor(
  ctx: CollectContext,
  outcome: ScopeOutcome,
  since: string,
  stats: HistoryStats,
): Promise<HistoryTarget[]> {
  const stored = new Map<string, ResourceNode>();
  const scopes = new Set<string>();
  for (const key of outcome.members) {
    const id = parseKey(key);
    if (id) scopes.add(`${id.accountId}|${id.awsRegion}`);
  }
  for (const s of scopes) {
    const [accountId, awsRegion] = s.split('|') as [string, string];
    const g = await ctx.store.graphAt(undefined, { accountId, awsRegion });
    for (const n of g.nodes) if (n.recorded) stored.set(n.key, n);
    // Compliance items are not drawn (SPEC C5) but are collected like every CI.
    const compliance = await ctx.store.versionsOfType(COMPLIANCE_RESOURCE_TYPE, { accountId, awsRegion });
    for (const n of await ctx.store.nodesAt(compliance.map((c) => c.key))) {
      if (n.recorded && !isDeletedStatus(n.status)) stored.set(n.key, n);
    }
  }
  const out: HistoryTarget[] = [];
  const later = (a: string, b: string) => (a > b ? a : b);
  for (const key of [...outcome.members].sort()) {
    const current = ctx.sink.current.get(key);
    if (!current) continue;
    const known = stored.get(key);
    if (known?.captureTime && known.captureTime >= current.captureTime) {
      stats.unchanged++;
      continue;
    }
    if (current.captureTime < since) {
      stats.unchangedInSpan++;
      continue;
    }
    out.push({
      key,
      resourceType: current.resourceType,
      resourceId: current.resourceId,
      region: outcome.region,
      from: known?.captureTime ? later(since, known.captureTime) : since,
    });
  }
  // Resources the store holds as existing but Config no longer returns: their deletion CI is in the history.
  if (outcome.complete) {
    for (const [key, node] of stored) {
      if (outcome.members.has(key) || !node.captureTime) continue;
      out.push({
        key,
        resourceType: node.resourceType,
        resourceId: node.resourceId,
        region: outcome.region,
        from: later(since, node.captureTime),
      });
    }
  }
  return out;
}

export async function collectHistory(
  ctx: CollectContext,
  outcomes: ScopeOutcome[],
  since: string,
): Promise<HistoryStats> {
  const stats: HistoryStats = { resources: 0, unchanged: 0, unchangedInSpan: 0, windows: 0, pages: 0, emptyPages: 0 };
  const jobs: { target: HistoryTarget; window: HistoryWindow }[] = [];
  for (const outcome of outcomes) {
    for (const target of await targetsFor(ctx, outcome, since, stats)) {
      stats.resources++;
      for (const window of historyWindows(target.from, ctx.startedAt)) jobs.push({ target, window });
    }
  }
  stats.windows = jobs.length;
  ctx.progress.phase = 'history';
  ctx.progress.historyTasksTotal = jobs.length;
  ctx.emit();

  const notFound = new Set<string>();
  await forEachLimited(jobs, Math.max(1, ctx.options.concurrency ?? 4) * 2, async ({ target, window }) => {
    if (notFound.has(target.key)) return;
    const client = ctx.client(target.region);
    const task = `history|${target.key}|${window.from}`;
    let n = 0;
    try {
      for await (const page of ctx.runner.pages<HistoryPage>(task, async (token, signal) => {
        const out = await client.send(
          new GetResourceConfigHistoryCommand({
            resourceType: target.resourceType as ResourceType, // an open string; see current-state.ts
            resourceId: target.resourceId,
            earlierTime: new Date(window.from),
            laterTime: new Date(window.to),
            limit: 100,
            nextToken: token,
          }),
          { abortSignal: signal },
        );
        return { data: { configurationItems: out.configurationItems ?? [] }, next: out.nextToken || undefined };
      })) {
        stats.pages++;
        if (page.configurationItems.length === 0) stats.emptyPages++;
        page.configurationItems.forEach((raw, i) => {
          const item = ctx.sink.add(
            raw,
            {
              file: `config-api ${target.region} GetResourceConfigHistory`,
              item: `${target.key} from ${window.from} page ${n} configurationItems[${i}]`,
              shape: 'get-resource-config-history',
            },
            false,
          );
          if (item && keyOf(item) !== target.key)
            ctx.sink.notes.push(`history of ${target.key} returned an item of ${keyOf(item)}`);
        });
        n++;
        ctx.progress.items = ctx.sink.size;
        ctx.emit();
      }
    } catch (e) {
      if (!(e instanceof TaskError) || e.kind === 'aborted' || e.kind === 'credentials') throw e;
      if (e.kind === 'not-found') notFound.add(target.key);
      ctx.skip(
        target.region,
        `history of ${target.key} from ${window.from} not collected (${e.errorName}: ${e.message})`,
      );
    } finally {
      ctx.progress.historyTasksDone++;
      ctx.emit();
    }
  });
  return stats;
}
