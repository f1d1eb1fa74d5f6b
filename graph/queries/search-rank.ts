// Search ranking (SPEC Q5) for every store: each resource's best matching term, best resources first.
import type { ResourceKey, ResourceNode } from '../model.ts';
import { searchHit, termScore, type SearchTerm, type TermKind } from '../search-terms.ts';
import type { SearchHit, SearchOptions } from '../store.ts';
import { SEARCH_LIMIT } from '../query-limits.ts';

/** How many hits a search returns: SEARCH_LIMIT (graph/query-limits.ts), clamped rather than refused. */
export function searchLimit(opts: SearchOptions): number {
  return Math.min(Math.max(opts.limit ?? SEARCH_LIMIT.default, SEARCH_LIMIT.min), SEARCH_LIMIT.max);
}

export interface RankedMatch {
  key: ResourceKey;
  match: { kind: TermKind; value: string; score: number };
}

/** The best term of each resource (ties to the smaller value), resources by score then key, `limit` of them. */
export function rankMatches(
  terms: Iterable<{ key: ResourceKey; term: SearchTerm }>,
  query: string,
  limit: number,
): RankedMatch[] {
  const best = new Map<ResourceKey, { kind: TermKind; value: string; score: number }>();
  for (const { key, term } of terms) {
    const score = termScore(term, query);
    const cur = best.get(key);
    if (score > 0 && (!cur || score > cur.score || (score === cur.score && term.value < cur.value)))
      best.set(key, { kind: term.kind, value: term.value, score });
  }
  return [...best]
    .sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([key, match]) => ({ key, match }));
}

/** Hits for ranked matches, given their nodes. */
export function searchHits(ranked: RankedMatch[], nodes: ResourceNode[]): SearchHit[] {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  return ranked.map((r) => searchHit(byKey.get(r.key)!, r.match));
}
