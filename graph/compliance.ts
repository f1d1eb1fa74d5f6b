// Compliance in the graph (SPEC C1–C5): Config records each evaluated resource's rule results as CIs of
// type AWS::Config::ResourceCompliance. Everything here is a pure function of those CIs' ordered versions.
import { canonicalType, keyOf, targetRegion } from './identity.ts';
import type { ChangeAttribution, HistoryEntry, IsoTime, ResourceIdentity, ResourceKey } from './model.ts';
import { isDeletedStatus } from './versions.ts';

export const COMPLIANCE_RESOURCE_TYPE = 'AWS::Config::ResourceCompliance';

/** The results Config gives a rule's evaluation of one resource. */
export const COMPLIANCE_STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export function isComplianceStatus(value: unknown): value is ComplianceStatus {
  return typeof value === 'string' && (COMPLIANCE_STATUSES as readonly string[]).includes(value);
}

export function isComplianceType(resourceType: string): boolean {
  return canonicalType(resourceType) === COMPLIANCE_RESOURCE_TYPE;
}

/** A key of a compliance item (C5: not drawn as a resource of its own). */
export function isComplianceKey(key: ResourceKey): boolean {
  // The third field, found without splitting the key: whole-estate reads ask this of every key they meet.
  const a = key.indexOf('|');
  const b = a < 0 ? -1 : key.indexOf('|', a + 1);
  if (b < 0) return false;
  const c = key.indexOf('|', b + 1);
  return (
    (c < 0 ? key.length : c) - b - 1 === COMPLIANCE_RESOURCE_TYPE.length &&
    key.startsWith(COMPLIANCE_RESOURCE_TYPE, b + 1)
  );
}

/** One rule's result in one compliance CI. */
export interface RuleResult {
  rule: string;
  status: ComplianceStatus;
  ruleArn?: string;
  ruleId?: string;
}

/** What one compliance CI says: whose compliance it is and each rule's result. */
export interface ComplianceReading {
  targetType: string;
  targetId: string;
  rules: RuleResult[];
}

/** The version fields compliance needs: a compliance CI's capture, status and configuration. */
export interface ComplianceVersion {
  captureTime: IsoTime;
  status: string;
  configuration: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * Reads a compliance CI's configuration (C1). The target comes from `targetResourceType` and
 * `targetResourceId`, else from the CI's own resource id, which Config writes as `Type/id`. Rules whose
 * name or result is missing or unknown are left out; null when no target can be read.
 */
export function readCompliance(resourceId: string, configuration: unknown): ComplianceReading | null {
  const config = isRecord(configuration) ? configuration : {};
  let targetType = text(config.targetResourceType);
  let targetId = text(config.targetResourceId);
  if (!targetType || !targetId) {
    const slash = resourceId.indexOf('/');
    if (slash > 0 && resourceId.startsWith('AWS::')) {
      targetType ??= resourceId.slice(0, slash);
      targetId ??= resourceId.slice(slash + 1);
    }
  }
  if (!targetType || !targetId) return null;
  const rules: RuleResult[] = [];
  const list = Array.isArray(config.configRuleList) ? config.configRuleList : [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const rule = text(entry.configRuleName);
    const status = text(entry.complianceType)?.toUpperCase();
    if (!rule || !isComplianceStatus(status)) continue;
    const result: RuleResult = { rule, status };
    const arn = text(entry.configRuleArn);
    const id = text(entry.configRuleId);
    if (arn) result.ruleArn = arn;
    if (id) result.ruleId = id;
    rules.push(result);
  }
  rules.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { targetType: canonicalType(targetType), targetId, rules };
}

/** The key of the resource a compliance CI evaluates: in the CI's account, the target type's region (C1). */
export function complianceTargetKey(compliance: ResourceIdentity, reading: ComplianceReading): ResourceKey {
  return keyOf({
    accountId: compliance.accountId,
    awsRegion: targetRegion(compliance.awsRegion, reading.targetType),
    resourceType: reading.targetType,
    resourceId: reading.targetId,
  });
}

/** A rule's result over time: in force from `from` until `to` (null while it still holds). */
export interface ComplianceInterval {
  rule: string;
  status: ComplianceStatus;
  from: IsoTime;
  to: IsoTime | null;
}

/**
 * Every rule's results as unbroken intervals (C2): a result holds from the capture that gives it until
 * one gives another result, no longer lists the rule, or deletes the compliance item. Versions must be
 * ordered (V4). Ordered by rule, then time.
 */
export function complianceTimeline(resourceId: string, sorted: ComplianceVersion[]): ComplianceInterval[] {
  const open = new Map<string, ComplianceInterval>();
  const closed: ComplianceInterval[] = [];
  for (const v of sorted) {
    const reading = isDeletedStatus(v.status) ? null : readCompliance(resourceId, v.configuration);
    const now = new Map((reading?.rules ?? []).map((r) => [r.rule, r.status]));
    for (const [rule, interval] of open) {
      if (now.get(rule) === interval.status) continue;
      closed.push({ ...interval, to: v.captureTime });
      open.delete(rule);
    }
    for (const [rule, status] of now) {
      if (!open.has(rule)) open.set(rule, { rule, status, from: v.captureTime, to: null });
    }
  }
  return [...closed, ...open.values()].sort(
    (a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0),
  );
}

/** A rule's result in force at `at` and since when it has held without a break (C3). */
export interface RuleComplianceAt {
  rule: string;
  status: ComplianceStatus;
  since: IsoTime;
}

/** The results in force at `at` (now when absent), by rule. */
export function complianceAt(timeline: ComplianceInterval[], at?: IsoTime): RuleComplianceAt[] {
  return timeline
    .filter((i) => (at === undefined ? i.to === null : i.from <= at && (i.to === null || at < i.to)))
    .map((i) => ({ rule: i.rule, status: i.status, since: i.from }));
}

/** A change of one rule's result (C4): from null is a first evaluation, to null the rule no longer evaluating it. */
export interface ComplianceTransition {
  rule: string;
  at: IsoTime;
  from: ComplianceStatus | null;
  to: ComplianceStatus | null;
}

/** Every change of result, oldest first (then by rule). */
export function complianceTransitions(timeline: ComplianceInterval[]): ComplianceTransition[] {
  const byRule = new Map<string, ComplianceInterval[]>();
  for (const i of timeline) byRule.set(i.rule, [...(byRule.get(i.rule) ?? []), i]);
  const out: ComplianceTransition[] = [];
  for (const [rule, intervals] of byRule) {
    let previous: ComplianceInterval | undefined;
    for (const i of intervals) {
      const from = previous && previous.to === i.from ? previous.status : null;
      if (previous && previous.to !== null && previous.to !== i.from) {
        out.push({ rule, at: previous.to, from: previous.status, to: null });
      }
      out.push({ rule, at: i.from, from, to: i.status });
      previous = i;
    }
    if (previous && previous.to !== null) out.push({ rule, at: previous.to, from: previous.status, to: null });
  }
  return out.sort(
    (a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}

/** The configuration change of the evaluated resource that a transition follows, and who made it (C4). */
export interface TransitionCause {
  captureTime: IsoTime;
  changedBy?: ChangeAttribution[];
}

/**
 * The latest change of the evaluated resource captured at or before the transition: Config evaluates a
 * rule after the change that triggers it, so the change just before is the likely cause.
 */
export function causeOf(transition: ComplianceTransition, targetHistory: HistoryEntry[]): TransitionCause | undefined {
  let cause: HistoryEntry | undefined;
  for (const entry of targetHistory) {
    if (entry.captureTime <= transition.at) cause = entry;
    else break;
  }
  if (!cause) return undefined;
  return cause.changedBy?.length
    ? { captureTime: cause.captureTime, changedBy: cause.changedBy }
    : { captureTime: cause.captureTime };
}
