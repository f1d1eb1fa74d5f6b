// Compliance as the API, the CLI and the resource views answer it (SPEC C1–C4): which resources broke which
// rule at a time and since when, one resource's results at a time, and its transitions with their cause.
// Written once over the store port; every rule comes from ./compliance.ts.
import {
  causeOf,
  complianceAt,
  complianceTargetKey,
  complianceTimeline,
  complianceTransitions,
  COMPLIANCE_RESOURCE_TYPE,
  readCompliance,
  type ComplianceInterval,
  type ComplianceStatus,
  type ComplianceTransition,
  type RuleComplianceAt,
  type TransitionCause,
} from './compliance.ts';
import { keyOf, parseKey } from './identity.ts';
import type { HistoryEntry, IsoTime, ResourceKey, ResourceNode } from './model.ts';
import { placeholderNode } from './nodes.ts';
import type { GraphStore, ResourceVersions } from './store.ts';
import { isDeletedStatus } from './versions.ts';

/** What compliance reads from a store. */
export type ComplianceSource = Pick<GraphStore, 'versionsOfType' | 'nodesAt'>;

export interface ComplianceQuery {
  at?: IsoTime;
  accountId?: string;
  awsRegion?: string;
  rule?: string;
  status?: ComplianceStatus;
}

export interface ComplianceResult {
  resource: ResourceNode;
  rule: string;
  status: ComplianceStatus;
  since: IsoTime;
}

/** The body of GET /api/compliance and `configgraph compliance --json`; `at` is null for now. */
export interface ComplianceReport {
  at: IsoTime | null;
  results: ComplianceResult[];
}

/** A transition of one rule's result, with the change of the resource just before it and who made it. */
export interface ComplianceHistoryEntry extends ComplianceTransition {
  cause?: TransitionCause;
}

/**
 * The resource a compliance item evaluates: read from its latest version that names one, else from its
 * resource id (`Type/id`); null when neither does.
 */
export function targetOf(item: ResourceVersions): ResourceKey | null {
  for (let i = item.versions.length - 1; i >= 0; i--) {
    const v = item.versions[i]!;
    if (isDeletedStatus(v.status)) continue;
    const reading = readCompliance(item.identity.resourceId, v.configuration);
    if (reading) return complianceTargetKey(item.identity, reading);
  }
  const fallback = readCompliance(item.identity.resourceId, null);
  return fallback ? complianceTargetKey(item.identity, fallback) : null;
}

function timelineOf(item: ResourceVersions): ComplianceInterval[] {
  return complianceTimeline(item.identity.resourceId, item.versions);
}

/** Every evaluated resource's timeline, by target (one resource may have more than one compliance item). */
export function timelinesByTarget(items: ResourceVersions[]): Map<ResourceKey, ComplianceInterval[]> {
  const out = new Map<ResourceKey, ComplianceInterval[]>();
  for (const item of items) {
    const target = targetOf(item);
    if (target === null) continue;
    out.set(target, [...(out.get(target) ?? []), ...timelineOf(item)]);
  }
  return out;
}

/** The results in force at `query.at` that match the query, by target key and rule (pure). */
export function matchingResults(
  timelines: Map<ResourceKey, ComplianceInterval[]>,
  query: ComplianceQuery,
): { target: ResourceKey; result: RuleComplianceAt }[] {
  const out: { target: ResourceKey; result: RuleComplianceAt }[] = [];
  for (const [target, timeline] of timelines) {
    const identity = parseKey(target);
    if (!identity) continue;
    if (query.accountId !== undefined && identity.accountId !== query.accountId) continue;
    if (query.awsRegion !== undefined && identity.awsRegion !== query.awsRegion) continue;
    for (const result of complianceAt(timeline, query.at)) {
      if (query.rule !== undefined && result.rule !== query.rule) continue;
      if (query.status !== undefined && result.status !== query.status) continue;
      out.push({ target, result });
    }
  }
  return out.sort(
    (a, b) =>
      (a.target < b.target ? -1 : a.target > b.target ? 1 : 0) ||
      (a.result.rule < b.result.rule ? -1 : a.result.rule > b.result.rule ? 1 : 0),
  );
}

/** Nodes as of `at` for `keys`; a target the store does not know is a placeholder (C1, I4). */
async function nodesFor(
  source: ComplianceSource,
  keys: ResourceKey[],
  at: IsoTime | undefined,
): Promise<Map<ResourceKey, ResourceNode>> {
  const found = new Map((await source.nodesAt(keys, at)).map((n) => [n.key, n]));
  for (const key of keys) if (!found.has(key)) found.set(key, placeholderNode(key));
  return found;
}

/** Which resources had which result for which rule at `query.at` (now when absent), and since when. */
export async function complianceReport(source: ComplianceSource, query: ComplianceQuery): Promise<ComplianceReport> {
  // The account is the compliance item's own; the region is the target's (global types differ), so it is
  // filtered after reading.
  const items = await source.versionsOfType(
    COMPLIANCE_RESOURCE_TYPE,
    query.accountId !== undefined ? { accountId: query.accountId } : {},
  );
  const matches = matchingResults(timelinesByTarget(items), query);
  const nodes = await nodesFor(source, [...new Set(matches.map((m) => m.target))], query.at);
  return {
    at: query.at ?? null,
    results: matches.map(({ target, result }) => ({
      resource: nodes.get(target)!,
      rule: result.rule,
      status: result.status,
      since: result.since,
    })),
  };
}

/** One resource's compliance timeline: its compliance items are named after it (`Type/id`) in its account. */
async function timelineOfResource(source: ComplianceSource, key: ResourceKey): Promise<ComplianceInterval[]> {
  const identity = parseKey(key);
  if (!identity) return [];
  const items = await source.versionsOfType(COMPLIANCE_RESOURCE_TYPE, {
    accountId: identity.accountId,
    resourceId: `${identity.resourceType}/${identity.resourceId}`,
  });
  return timelinesByTarget(items).get(keyOf(identity)) ?? [];
}

/** The resource's results at `at` (now when absent), by rule (C3). */
export async function resourceCompliance(
  source: ComplianceSource,
  key: ResourceKey,
  at?: IsoTime,
): Promise<RuleComplianceAt[]> {
  return complianceAt(await timelineOfResource(source, key), at);
}

/** The resource's compliance transitions, oldest first, each with its likely cause in `history` (C4). */
export async function complianceHistory(
  source: ComplianceSource,
  key: ResourceKey,
  history: HistoryEntry[],
): Promise<ComplianceHistoryEntry[]> {
  return complianceTransitions(await timelineOfResource(source, key)).map((t) => {
    const cause = causeOf(t, history);
    return cause ? { ...t, cause } : t;
  });
}

/** A resource view with the resource's compliance at the view's time. */
export async function viewWithCompliance<V extends { node: ResourceNode }>(
  source: ComplianceSource,
  view: V,
  at?: IsoTime,
): Promise<V & { compliance: RuleComplianceAt[] }> {
  return { ...view, compliance: await resourceCompliance(source, view.node.key, at) };
}

/** A resource history with its compliance transitions beside its own changes. */
export async function historyWithCompliance<H extends { resource: ResourceNode; versions: HistoryEntry[] }>(
  source: ComplianceSource,
  history: H,
): Promise<H & { compliance: ComplianceHistoryEntry[] }> {
  return { ...history, compliance: await complianceHistory(source, history.resource.key, history.versions) };
}
