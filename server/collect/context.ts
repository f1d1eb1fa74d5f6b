// State shared by the stages of one collection: the task runner, the items gathered so far (each
// CI once), what was skipped and why, per-scope completeness, and the progress counters.
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { keyOf } from '../../graph/identity.ts';
import type { ConfigItem, ItemSource, ScopeSnapshot, SkippedItem } from '../../graph/model.ts';
import { normaliseItemWithNotes, ItemError } from '../../graph/parse/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import type { ApiCounters } from './clients.ts';
import type { CollectOptions } from './options.ts';
import type { TaskRunner } from './pager.ts';
import type { ProgressSnapshot } from './progress.ts';

const richness = (i: ConfigItem) => (i.tags === null ? 0 : 1) + (i.relationships === null ? 0 : 1);

/** One CI per (resource, capture time, state id): the same CI from Select and from history is kept once. */
export class ItemSink {
  private readonly items = new Map<string, ConfigItem>();
  /** Latest CI per resource key from the current-state stage. */
  readonly current = new Map<string, ConfigItem>();
  readonly skipped: SkippedItem[] = [];
  readonly notes: string[] = [];

  add(raw: unknown, source: ItemSource, isCurrent: boolean): ConfigItem | undefined {
    let item: ConfigItem;
    try {
      const r = normaliseItemWithNotes(raw, source);
      item = r.item;
      for (const n of r.notes) this.notes.push(`${source.file} ${source.item}: ${n}`);
    } catch (e) {
      if (!(e instanceof ItemError)) throw e;
      this.skipped.push({ file: source.file ?? 'config-api', item: source.item, reason: e.message });
      return undefined;
    }
    const key = keyOf(item);
    const id = `${key}|${item.captureTime}|${item.configurationStateId ?? ''}`;
    const seen = this.items.get(id);
    // The same CI from BatchGet (no tags, no relationships) and from history: keep the fuller one.
    if (!seen || richness(item) > richness(seen)) {
      this.items.set(id, item);
      const cur = this.current.get(key);
      if (cur && cur.captureTime === item.captureTime && cur.configurationStateId === item.configurationStateId)
        this.current.set(key, item);
    }
    if (isCurrent) {
      const prev = this.current.get(key);
      if (!prev || prev.captureTime < item.captureTime) this.current.set(key, this.items.get(id) ?? item);
    }
    return item;
  }

  all(): ConfigItem[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }
}

export interface ScopeOutcome {
  /** "eu-west-1" in account mode, "aggregator NAME" in aggregator mode. */
  scope: string;
  /** False when anything in the scope failed or was filtered: no deletions are inferred from it. */
  complete: boolean;
  problems: string[];
  /** Resource keys the current-state stage returned, grouped into (account, region) snapshots later. */
  members: Set<string>;
  /** Region the scope's calls go to (history calls for its resources go there too). */
  region: string;
  /** Resources per type Config reports, when known. */
  expected?: Map<string, number>;
  /** Set when AWS rejected the credentials for this region (the error name): an opt-in region not enabled, or bad keys. */
  credentialsRejected?: string;
}

export interface CollectContext {
  options: CollectOptions;
  store: GraphStore;
  runner: TaskRunner;
  sink: ItemSink;
  counters: ApiCounters;
  client(region: string): ConfigServiceClient;
  startedAt: string;
  progress: ProgressSnapshot;
  emit(): void;
  log(line: string): void;
  skip(scope: string, reason: string): void;
}

/** Groups a complete scope's members into the (account, region) snapshots the store infers deletions from. */
export function snapshotsOf(outcomes: ScopeOutcome[], time: string): ScopeSnapshot[] {
  const byScope = new Map<string, ScopeSnapshot>();
  for (const o of outcomes) {
    if (!o.complete) continue;
    for (const key of o.members) {
      const [accountId, awsRegion] = key.split('|') as [string, string];
      const id = `${accountId}|${awsRegion}`;
      let s = byScope.get(id);
      if (!s) byScope.set(id, (s = { accountId, awsRegion, time, members: [] }));
      s.members.push(key);
    }
  }
  for (const s of byScope.values()) s.members = [...new Set(s.members)].sort();
  return [...byScope.values()].sort((a, b) => (a.accountId + a.awsRegion < b.accountId + b.awsRegion ? -1 : 1));
}
