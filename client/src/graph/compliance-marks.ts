// Compliance as the explorer shows it: which drawn resources break which Config rule at the view's
// time (from GET /api/compliance), the rules present, and in compare mode which resources became
// non-compliant or compliant between the two ends. Pure, so the rules are tested without a browser.
import type { ComplianceReport } from '../../../api/schemas.ts';

/** The label suffix that says "non-compliant" without colour. */
export const NON_COMPLIANT_BADGE = '⚠ non-compliant';

/** Per resource key, the rules it breaks (sorted); only NON_COMPLIANT results count. */
export type BrokenRules = Map<string, string[]>;

export function brokenRules(report: ComplianceReport): BrokenRules {
  return rulesWithResult(report, 'NON_COMPLIANT');
}

/** Per resource key, the rules whose result is `status` (sorted). */
export function rulesWithResult(
  report: ComplianceReport,
  status: ComplianceReport['results'][number]['status'],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of report.results) {
    if (r.status !== status) continue;
    const rules = out.get(r.resource.key) ?? [];
    if (!rules.includes(r.rule)) rules.push(r.rule);
    out.set(r.resource.key, rules);
  }
  for (const rules of out.values()) rules.sort();
  return out;
}

/** The legend's compliance lines: how many drawn resources break a rule (when any do), and the picked rule. */
export interface ComplianceLegend {
  nonCompliant?: number;
  rule?: { name: string; breakers: number };
}

/**
 * What the legend says about compliance for the resources drawn: the non-compliant line only when at
 * least one breaks a rule (data without compliance items has nothing to explain), the picked rule always.
 */
export function complianceLegend(
  broken: BrokenRules | undefined,
  drawn: readonly string[],
  rule: string | undefined,
): ComplianceLegend | undefined {
  if (!broken) return undefined;
  const breaking = drawn.filter((k) => broken.has(k));
  const out: ComplianceLegend = {};
  if (breaking.length > 0) out.nonCompliant = breaking.length;
  if (rule) out.rule = { name: rule, breakers: breaking.filter((k) => broken.get(k)?.includes(rule)).length };
  return out.nonCompliant === undefined && out.rule === undefined ? undefined : out;
}

/** The rules named in a report, for the rule picker. */
export function rulesIn(report: ComplianceReport): string[] {
  return [...new Set(report.results.map((r) => r.rule))].sort();
}

export interface ComplianceChange {
  key: string;
  rule: string;
  change: 'became-non-compliant' | 'became-compliant';
}

/**
 * Between two ends of a comparison: a rule a resource breaks at the later end but not the earlier
 * became non-compliant; one it broke at the earlier end and satisfies at the later one (COMPLIANT in
 * `compliantAfter`) became compliant. A result of NOT_APPLICABLE or INSUFFICIENT_DATA, or none, is neither.
 */
export function complianceChanges(
  before: BrokenRules,
  after: BrokenRules,
  compliantAfter: Map<string, string[]>,
): ComplianceChange[] {
  const changes: ComplianceChange[] = [];
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const key of keys) {
    const was = new Set(before.get(key) ?? []);
    const is = new Set(after.get(key) ?? []);
    for (const rule of [...is].filter((r) => !was.has(r)).sort())
      changes.push({ key, rule, change: 'became-non-compliant' });
    const satisfied = new Set(compliantAfter.get(key) ?? []);
    for (const rule of [...was].filter((r) => !is.has(r) && satisfied.has(r)).sort())
      changes.push({ key, rule, change: 'became-compliant' });
  }
  return changes;
}

/** The words for a change, as the compare list and the history panel say them. */
export function complianceChangeText(change: ComplianceChange['change'], rule: string): string {
  return change === 'became-non-compliant' ? `became non-compliant with ${rule}` : `became compliant with ${rule}`;
}
