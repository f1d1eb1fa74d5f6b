// Rows derived from a resource's versions (edges E1–E6 and T2 with placeholders I4, state T3, search
// terms Q5), as a run or a schema step (S5) rewrites them. Old rows of `stale` resources go first.
import { edgeId, edgeValidity, type EdgeInterval } from '../edges.ts';
import { parseKey } from '../identity.ts';
import type { ResourceIdentity, ResourceKey, ResourceVersion } from '../model.ts';
import { searchTermsOf, type SearchTerm } from '../search-terms.ts';
import { compareVersions, isDeletedStatus } from '../versions.ts';
import { ask, type Plan, type StoredDerived } from './reads.ts';
import { resolverFor, RunResources } from './targets.ts';
import {
  storedEdgeColumns,
  type DerivedState,
  type DerivedWrites,
  type PlaceholderWrite,
  type StoredEdge,
} from './writes.ts';

/** What a resource's derived rows come from: its recorded versions and all of them (inferred too), in order. */
export interface DerivedInput {
  key: ResourceKey;
  identity: ResourceIdentity;
  recorded: ResourceVersion[];
  all: ResourceVersion[];
}

function stateOf({ key, identity, recorded, all }: DerivedInput): DerivedState {
  const latest = all[all.length - 1];
  // Search describes the resource as it last existed: a deletion carries no configuration.
  const described = [...recorded].reverse().find((v) => !isDeletedStatus(v.status)) ?? recorded[recorded.length - 1];
  return {
    key,
    status: latest?.status ?? null,
    captureTime: latest?.captureTime ?? null,
    deleted: latest ? isDeletedStatus(latest.status) : false,
    terms: searchTermsOf(identity.resourceId, described),
  };
}

/** An edge's stored content, all of it, as one string. */
const edgeContent = (e: StoredEdge) => JSON.stringify(storedEdgeColumns(e));

const sameTerms = (stored: StoredDerived['terms'], now: SearchTerm[]) =>
  stored.length === now.length && stored.every((t, i) => t.kind === now[i]!.kind && t.value === now[i]!.value);

/**
 * Only what changed of the stale resources' derived rows, for those whose rows the store answered: edges stored
 * as they come out again stay (the others are removed, and new or changed ones written), and so do search terms
 * that come out the same. A resource a streamed import brings back in a later run mostly keeps what it had.
 */
export function* keepUnchanged(w: DerivedWrites): Plan<DerivedWrites> {
  if (!w.stale.length) return w;
  const stored = yield* ask('storedDerived', w.stale);
  if (!stored.size) return w;
  const termsOf = new Map(w.states.map((s) => [s.key, s.terms]));
  const storedEdges = new Map<string, string>();
  const sources: ResourceKey[] = [];
  const terms: ResourceKey[] = [];
  for (const key of w.stale) {
    const was = stored.get(key);
    if (!was) continue;
    sources.push(key);
    for (const e of was.edges) storedEdges.set(edgeContent(e), e.id);
    if (sameTerms(was.terms, termsOf.get(key) ?? [])) terms.push(key);
  }
  const diffed = new Set(sources);
  const edges: StoredEdge[] = [];
  for (const e of w.edges) {
    // An edge of a compared resource that is stored exactly so stays; what remains stored afterwards goes.
    if (diffed.has(e.source) && storedEdges.delete(edgeContent(e))) continue;
    edges.push(e);
  }
  return { ...w, edges, kept: { sources, removedEdges: [...storedEdges.values()], terms } };
}

/** Derived rows of `inputs`; targets resolve against recorded resources as they stand after the run. */
export function* planDerived(inputs: DerivedInput[], stale: ResourceKey[], run: RunResources): Plan<DerivedWrites> {
  const intervals = new Map<ResourceKey, EdgeInterval[]>();
  for (const d of inputs) intervals.set(d.key, edgeValidity(d.identity.resourceType, d.all));
  const resolve = yield* resolverFor(
    inputs.flatMap((d) => intervals.get(d.key)!.map((i) => ({ source: d.identity, relationship: i.relationship }))),
    run,
  );
  const placeholders = new Map<ResourceKey, PlaceholderWrite>();
  const edges: StoredEdge[] = [];
  for (const { key, identity } of inputs) {
    for (const interval of intervals.get(key)!) {
      const r = interval.relationship;
      const target = resolve(identity, r);
      const t = run.has(target) || placeholders.has(target) ? undefined : parseKey(target);
      // The first relationship naming a placeholder gives its name; the store keeps a node it already has.
      if (t) placeholders.set(target, { key: target, identity: t, resourceName: r.resourceName ?? null });
      const edge: StoredEdge = {
        id: edgeId(key, r, interval.validFrom),
        source: key,
        target,
        name: r.name,
        type: interval.type,
        origin: r.origin,
        validFrom: interval.validFrom,
        validTo: interval.validTo,
        targetType: r.resourceType,
        targetId: r.resourceId ?? null,
        targetName: r.resourceName ?? null,
      };
      if (r.rule) edge.rule = r.rule;
      edges.push(edge);
    }
  }
  return { stale, states: inputs.map(stateOf), placeholders: [...placeholders.values()], edges };
}

/**
 * Rewrites the derived rows of these recorded resources from their stored versions (inferred deletions
 * included, as stored), as an import would write them today (S5). Idempotent.
 */
export function* rebuildPlan(keys: ResourceKey[]): Plan<DerivedWrites> {
  const versions = keys.length ? yield* ask('allVersions', keys) : new Map<ResourceKey, ResourceVersion[]>();
  const inputs: DerivedInput[] = [];
  for (const key of keys) {
    const identity = parseKey(key);
    const all = versions.get(key)?.sort(compareVersions);
    if (!identity || !all) continue;
    inputs.push({ key, identity, all, recorded: all.filter((v) => !v.inferred) });
  }
  return yield* planDerived(inputs, keys, new RunResources());
}
