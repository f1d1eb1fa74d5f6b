// What a resource can be found by (SPEC Q5): id, name, ARN, tags, IP addresses and DNS names in its configuration.
import { COMPLIANCE_RESOURCE_TYPE, isComplianceKey } from './compliance.ts';
import type { ResourceKey, ResourceNode, ResourceVersion } from './model.ts';
import type { SearchHit } from './store.ts';

export type TermKind = 'id' | 'name' | 'arn' | 'tag' | 'ip' | 'dns';

export interface SearchTerm {
  kind: TermKind;
  value: string;
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?:\/\d{1,2})?$/;
const IPV6 = /^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\/\d{1,3})?$/i;
const DNS_KEY = /dns|hostname|endpoint|domainname|address$/i;
const DNS_NAME = /^(?=.{4,253}$)[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?$/i;

/** Kind weight: an id match ranks above a tag match of the same quality. */
export const TERM_WEIGHT: Record<TermKind, number> = { id: 10, arn: 8, name: 8, ip: 6, dns: 5, tag: 4 };

function walk(value: unknown, key: string, out: SearchTerm[], depth: number): void {
  if (depth > 12 || out.length > 400) return;
  if (typeof value === 'string') {
    if (IPV4.test(value) || (value.includes(':') && IPV6.test(value)))
      out.push({ kind: 'ip', value: value.replace(/\/\d+$/, '') });
    else if (DNS_KEY.test(key) && DNS_NAME.test(value) && !/^\d+(\.\d+)+$/.test(value))
      out.push({ kind: 'dns', value: value.replace(/\.$/, '') });
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) walk(v, key, out, depth + 1);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, k, out, depth + 1);
  }
}

export function searchTermsOf(
  resourceId: string,
  v: Pick<ResourceVersion, 'arn' | 'resourceName' | 'tags' | 'configuration'> | undefined,
): SearchTerm[] {
  const terms: SearchTerm[] = [{ kind: 'id', value: resourceId }];
  if (v?.arn) terms.push({ kind: 'arn', value: v.arn });
  if (v?.resourceName) terms.push({ kind: 'name', value: v.resourceName });
  for (const [k, val] of Object.entries(v?.tags ?? {})) {
    terms.push({ kind: 'tag', value: k });
    if (val) terms.push({ kind: 'tag', value: val });
    if (k === 'Name' && val) terms.push({ kind: 'name', value: val });
  }
  if (v) walk(v.configuration, '', terms, 0);
  const seen = new Set<string>();
  return terms.filter((t) => {
    const id = `${t.kind}|${t.value}`;
    if (seen.has(id) || t.value.length > 512) return false;
    seen.add(id);
    return true;
  });
}

/** Score of a term for a query: exact beats prefix beats substring; weighted by kind. 0 = no match. */
export function termScore(term: SearchTerm, query: string): number {
  const v = term.value.toLowerCase();
  const q = query.toLowerCase();
  const quality = v === q ? 100 : v.startsWith(q) ? 60 : v.includes(q) ? 30 : 0;
  return quality === 0 ? 0 : quality + TERM_WEIGHT[term.kind];
}

/** A search hit for a node and its best term; deleted resources are marked (T3). */
export function searchHit(node: ResourceNode, m: { kind: TermKind; value: string; score: number }): SearchHit {
  return { node, matchedOn: m.kind, matchedValue: m.value, score: m.score, deleted: node.deletedAt !== undefined };
}

/**
 * C5: compliance items are found only when their type is asked for; their results show on what they
 * evaluate. The resource type a search leaves out, if any: a store filters it out in the query that
 * reads candidates, before any cap on their number, so that they never crowd out other hits.
 */
export function searchExcludedType(type: string | undefined): string | undefined {
  return type === undefined ? COMPLIANCE_RESOURCE_TYPE : undefined;
}

/** Whether a search leaves this resource out (C5), for stores that filter resources in code. */
export function searchSkips(key: ResourceKey, type: string | undefined): boolean {
  return type === undefined && isComplianceKey(key);
}
