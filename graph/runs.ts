// Run records (SPEC R1, R4): the same in every store.
import type { IsoTime, ResourceIdentity, ResourceKey, ResourceVersion, RunCounts, RunRecord } from './model.ts';
import type { RunInput } from './store.ts';
import { isComplianceType } from './compliance.ts';
import { unhashedVersion } from './versions.ts';

/**
 * A run's versions grouped by resource, in the order resources first appear; stores merge them with what they
 * hold (mergeVersions), which hashes the content of those it keeps.
 */
export type IncomingVersions = Map<ResourceKey, { identity: ResourceIdentity; versions: ResourceVersion[] }>;

export function incomingVersions(run: RunInput, runId: string): IncomingVersions {
  const incoming: IncomingVersions = new Map();
  for (const item of run.items) {
    const v = unhashedVersion(item, runId);
    let entry = incoming.get(v.key);
    if (!entry) {
      entry = {
        identity: {
          accountId: item.accountId,
          awsRegion: item.awsRegion,
          resourceType: item.resourceType,
          resourceId: item.resourceId,
        },
        versions: [],
      };
      incoming.set(v.key, entry);
    }
    entry.versions.push(v);
  }
  return incoming;
}

/** Counts of a run before anything is stored: items and skips are known from its input. */
export function startingCounts(run: RunInput): RunCounts {
  const compliance = run.items.filter((i) => isComplianceType(i.resourceType)).length;
  return {
    items: run.items.length,
    ...(compliance > 0 ? { compliance } : {}),
    resources: 0,
    versions: 0,
    edges: 0,
    skipped: run.skipped?.length ?? 0,
    duplicates: 0,
    inferredDeletions: 0,
  };
}

/** A run that was stored; one with skips is partial (R4). */
export function finishedRun(id: string, run: RunInput, startedAt: IsoTime, counts: RunCounts): RunRecord {
  return {
    id,
    source: run.source,
    scope: run.scope,
    startedAt,
    endedAt: new Date().toISOString(),
    status: counts.skipped > 0 ? 'partial' : 'succeeded',
    counts,
    skipped: run.skipped ?? [],
    notes: run.notes ?? [],
  };
}

/** A run that rolled back (R1): recorded on its own so `runs` tells the story. */
export function failedRun(id: string, run: RunInput, startedAt: IsoTime, error: unknown): RunRecord {
  return {
    ...finishedRun(id, run, startedAt, startingCounts(run)),
    status: 'failed',
    notes: [...(run.notes ?? []), `failed: ${error instanceof Error ? error.message : String(error)}`],
  };
}
