// Resolving relationship targets inside a plan (I3–I5): the store answers which recorded resources it
// held before the run; the run's own resources are added here, as the store will hold them after it.
import type { RawRelationship, ResourceIdentity, ResourceKey } from '../model.ts';
import { chooseTarget, targetLookup, type TargetCandidate } from '../resolve.ts';
import { ask, type Plan, type TargetLookup } from './reads.ts';
import type { ResourceWrite } from './writes.ts';

const lookupId = (q: TargetLookup) => JSON.stringify([q.accountId, q.resourceType, q.id ?? null, q.name ?? null]);
const indexId = (accountId: string, resourceType: string, value: string) =>
  JSON.stringify([accountId, resourceType, value]);

/** The resources a run records, indexed as target lookups search them: by resource id and by name. */
export class RunResources {
  private readonly byId = new Map<string, TargetCandidate[]>();
  private readonly byName = new Map<string, TargetCandidate[]>();
  private readonly keys = new Set<ResourceKey>();

  constructor(written: ResourceWrite[] = []) {
    for (const r of written) {
      const c = { key: r.key, awsRegion: r.identity.awsRegion };
      this.keys.add(r.key);
      push(this.byId, indexId(r.identity.accountId, r.identity.resourceType, r.identity.resourceId), c);
      if (r.resourceName !== null)
        push(this.byName, indexId(r.identity.accountId, r.identity.resourceType, r.resourceName), c);
    }
  }

  has(key: ResourceKey): boolean {
    return this.keys.has(key);
  }

  /** Candidates after the run: the stored ones (as the run renames them) and the run's own. */
  candidates(q: TargetLookup, stored: TargetCandidate[]): TargetCandidate[] {
    const out = new Map<ResourceKey, TargetCandidate>();
    for (const c of stored) if (!this.keys.has(c.key)) out.set(c.key, c);
    const own =
      q.id !== undefined
        ? (this.byId.get(indexId(q.accountId, q.resourceType, q.id)) ?? [])
        : q.name !== undefined
          ? [
              ...(this.byName.get(indexId(q.accountId, q.resourceType, q.name)) ?? []),
              ...(this.byId.get(indexId(q.accountId, q.resourceType, q.name)) ?? []),
            ]
          : [];
    for (const c of own) out.set(c.key, c);
    return [...out.values()];
  }
}

function push<T>(map: Map<string, T[]>, id: string, value: T): void {
  const list = map.get(id);
  if (list) list.push(value);
  else map.set(id, [value]);
}

export type Resolve = (source: ResourceIdentity, r: RawRelationship) => ResourceKey;

/** Reads the candidates of every target at once and returns the resolver that chooses among them. */
export function* resolverFor(
  targets: { source: ResourceIdentity; relationship: RawRelationship }[],
  run: RunResources,
): Plan<Resolve> {
  const unique = new Map<string, TargetLookup>();
  // Each target's lookup is worked out once: the resolver is asked about the same relationships.
  const asked = new Map<RawRelationship, { source: ResourceIdentity; id: string }>();
  for (const t of targets) {
    const q = targetLookup(t.source, t.relationship);
    const id = lookupId(q);
    unique.set(id, q);
    asked.set(t.relationship, { source: t.source, id });
  }
  const lookups = [...unique.values()];
  const answers = lookups.length ? yield* ask('candidates', lookups) : [];
  const found = new Map<string, TargetCandidate[]>();
  lookups.forEach((q, i) => found.set(lookupId(q), run.candidates(q, answers[i] ?? [])));
  return (source, r) => {
    const known = asked.get(r);
    const candidates = known?.source === source ? found.get(known.id) : undefined;
    if (candidates) return chooseTarget(source, r, candidates);
    const q = targetLookup(source, r);
    return chooseTarget(source, r, found.get(lookupId(q)) ?? run.candidates(q, []));
  };
}
