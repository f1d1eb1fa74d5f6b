// What the in-memory store holds, how it answers the ingest plan's reads and how it applies its writes.
// Plain maps: this store is the reference for how little a new adapter has to write.
import type { SnapshotMembership } from '../../deletions.ts';
import type { IngestReads, PlaceholderEdge, TargetLookup } from '../../ingest/reads.ts';
import type { DerivedWrites, IngestWrites, StoredEdge } from '../../ingest/writes.ts';
import type {
  ChangeEvent,
  DownloadedObject,
  ImportedFile,
  ResourceIdentity,
  ResourceKey,
  ResourceVersion,
  RunRecord,
} from '../../model.ts';
import type { SearchTerm } from '../../search-terms.ts';
import { versionHead, versionIdentity } from '../../versions.ts';
import { fileDigestId, listedObjectsOf } from '../../file-digest.ts';

export interface StoredResource {
  key: ResourceKey;
  identity: ResourceIdentity;
  resourceName: string | null;
  arn: string | null;
  recorded: boolean;
}

/** How the imported-files record (R7) names a file's content. */

const scopeOf = (r: { accountId: string; awsRegion: string }) => `${r.accountId}|${r.awsRegion}`;
const lookupOf = (accountId: string, resourceType: string, value: string) =>
  JSON.stringify([accountId, resourceType, value]);

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

export class MemoryState {
  readonly resources = new Map<ResourceKey, StoredResource>();
  /** Versions of each resource by version identity. */
  readonly versions = new Map<ResourceKey, Map<string, ResourceVersion>>();
  readonly edges = new Map<string, StoredEdge>();
  readonly terms = new Map<ResourceKey, SearchTerm[]>();
  readonly snapshots: (SnapshotMembership & { accountId: string; awsRegion: string })[] = [];
  readonly events = new Map<string, { event: ChangeEvent; resources: Set<string> }>();
  /** Oldest first. */
  readonly runs: RunRecord[] = [];
  /** The imported-files record (R7), by `fileDigestId`, with the run that stored each. */
  readonly files = new Map<string, ImportedFile & { runId: string }>();
  /** The listing each downloaded object had when its content was recorded (R7), by path. */
  readonly objects = new Map<string, DownloadedObject>();
  /** Edge ids by source and by target key. */
  readonly outgoing = new Map<ResourceKey, Set<string>>();
  readonly incoming = new Map<ResourceKey, Set<string>>();

  versionsOf(key: ResourceKey, which: 'all' | 'recorded' | 'inferred' = 'all'): ResourceVersion[] {
    const all = [...(this.versions.get(key)?.values() ?? [])];
    return which === 'all' ? all : all.filter((v) => v.inferred === (which === 'inferred'));
  }

  edgesOf(ids: Set<string> | undefined): StoredEdge[] {
    return [...(ids ?? [])].map((id) => this.edges.get(id)!);
  }

  /** Recorded resources by (account, type, resource id) and by (account, type, name), built when asked. */
  private index(recorded: boolean): {
    byId: Map<string, Set<StoredResource>>;
    byName: Map<string, Set<StoredResource>>;
  } {
    const byId = new Map<string, Set<StoredResource>>();
    const byName = new Map<string, Set<StoredResource>>();
    for (const r of this.resources.values()) {
      if (r.recorded !== recorded) continue;
      add(byId, lookupOf(r.identity.accountId, r.identity.resourceType, r.identity.resourceId), r);
      if (r.resourceName !== null)
        add(byName, lookupOf(r.identity.accountId, r.identity.resourceType, r.resourceName), r);
    }
    return { byId, byName };
  }

  candidates(lookups: TargetLookup[]): { key: ResourceKey; awsRegion: string }[][] {
    const { byId, byName } = this.index(true);
    return lookups.map((q) => {
      const found = new Set<StoredResource>();
      const take = (set: Set<StoredResource> | undefined) => set?.forEach((r) => found.add(r));
      if (q.id !== undefined) take(byId.get(lookupOf(q.accountId, q.resourceType, q.id)));
      else if (q.name !== undefined) {
        take(byName.get(lookupOf(q.accountId, q.resourceType, q.name)));
        take(byId.get(lookupOf(q.accountId, q.resourceType, q.name)));
      }
      return [...found].map((r) => ({ key: r.key, awsRegion: r.identity.awsRegion }));
    });
  }

  readonly reads: IngestReads = {
    resourcesState: (keys) => {
      const out = new Map<ResourceKey, { recorded: boolean }>();
      for (const k of keys) {
        const r = this.resources.get(k);
        if (r) out.set(k, { recorded: r.recorded });
      }
      return out;
    },
    recordedVersions: (keys) => new Map(keys.map((k) => [k, this.versionsOf(k, 'recorded')])),
    allVersions: (keys) => new Map(keys.map((k) => [k, this.versionsOf(k)])),
    recordedHeads: (keys) => new Map(keys.map((k) => [k, this.versionsOf(k, 'recorded').map(versionHead)])),
    recordedMoments: (keys) => new Map(keys.map((k) => [k, this.versionsOf(k, 'recorded')])),
    storedDerived: (keys) =>
      new Map(
        keys.map((k) => [
          k,
          {
            edges: [...(this.outgoing.get(k) ?? [])].map((id) => this.edges.get(id)!),
            terms: this.terms.get(k) ?? [],
          },
        ]),
      ),
    inferredIdentities: (keys) =>
      new Map(keys.map((k) => [k, new Set(this.versionsOf(k, 'inferred').map(versionIdentity))])),
    recordedKeysIn: (scopes, range) => {
      const wanted = new Set(scopes.map(scopeOf));
      const keys = [...this.resources.values()]
        .filter((r) => r.recorded && wanted.has(scopeOf(r.identity)))
        .map((r) => r.key);
      if (!range) return keys;
      const after = range.after;
      return keys
        .filter((k) => after === undefined || k > after)
        .sort()
        .slice(0, range.limit);
    },
    snapshotsOf: (scopes) => {
      const out = new Map<string, SnapshotMembership[]>(scopes.map((s) => [scopeOf(s), []]));
      for (const s of this.snapshots) out.get(scopeOf(s))?.push(s);
      return out;
    },
    candidates: (lookups) => this.candidates(lookups),
    placeholderEdges: (queries) => {
      const { byId, byName } = this.index(false);
      const out: PlaceholderEdge[] = [];
      for (const q of queries) {
        const found = new Set<StoredResource>();
        for (const id of q.ids) byId.get(lookupOf(q.accountId, q.resourceType, id))?.forEach((r) => found.add(r));
        byName.get(lookupOf(q.accountId, q.resourceType, q.name))?.forEach((r) => found.add(r));
        for (const p of found)
          for (const e of this.edgesOf(this.incoming.get(p.key))) out.push({ ...e, placeholder: p.key });
      }
      return out;
    },
    knownEvents: (ids) => new Set(ids.filter((id) => this.events.has(id))),
  };

  private putVersion(v: ResourceVersion): void {
    let map = this.versions.get(v.key);
    if (!map) this.versions.set(v.key, (map = new Map<string, ResourceVersion>()));
    map.set(versionIdentity(v), v);
  }

  private removeEdge(id: string): void {
    const e = this.edges.get(id);
    if (!e) return;
    this.edges.delete(id);
    this.outgoing.get(e.source)?.delete(id);
    this.incoming.get(e.target)?.delete(id);
  }

  private putEdge(e: StoredEdge): void {
    this.removeEdge(e.id);
    this.edges.set(e.id, e);
    add(this.outgoing, e.source, e.id);
    add(this.incoming, e.target, e.id);
  }

  applyDerived(w: DerivedWrites): void {
    const compared = new Set(w.kept?.sources);
    const keptTerms = new Set(w.kept?.terms);
    for (const key of w.stale) {
      if (!compared.has(key)) for (const id of [...(this.outgoing.get(key) ?? [])]) this.removeEdge(id);
      if (!keptTerms.has(key)) this.terms.delete(key);
    }
    for (const id of w.kept?.removedEdges ?? []) this.removeEdge(id);
    for (const s of w.states) if (!keptTerms.has(s.key)) this.terms.set(s.key, s.terms);
    for (const p of w.placeholders)
      if (!this.resources.has(p.key)) this.resources.set(p.key, { ...p, arn: null, recorded: false });
    for (const e of w.edges) this.putEdge(e);
  }

  /** Placeholders (I4) exist only while an edge names them. */
  removeUnusedPlaceholders(): void {
    for (const r of [...this.resources.values()])
      if (!r.recorded && !this.incoming.get(r.key)?.size && !this.outgoing.get(r.key)?.size)
        this.resources.delete(r.key);
  }

  /** Applies a run's writes in the plan's order. Nothing here can fail half way: the plan decided everything. */
  applyRun(w: IngestWrites): void {
    for (const r of w.resources) {
      const cur = this.resources.get(r.key);
      this.resources.set(r.key, {
        key: r.key,
        identity: cur?.identity ?? r.identity,
        resourceName: r.resourceName,
        arn: r.arn,
        recorded: true,
      });
    }
    for (const v of [...w.versions, ...w.betterCopies]) this.putVersion(v);
    for (const s of w.snapshots) this.snapshots.push({ ...s, members: new Set(s.members) });
    for (const key of w.stale)
      for (const v of this.versionsOf(key, 'inferred')) this.versions.get(key)!.delete(versionIdentity(v));
    for (const v of w.inferred) this.putVersion(v);
    this.applyDerived(w);
    for (const e of w.events) this.events.set(e.eventId, { event: e, resources: new Set() });
    for (const e of w.eventResources) for (const r of e.resources) this.events.get(e.eventId)?.resources.add(r);
    for (const m of w.moves) {
      const e = this.edges.get(m.id);
      if (e) this.putEdge({ ...e, target: m.to });
    }
    this.removeUnusedPlaceholders();
    for (const f of w.files) this.files.set(fileDigestId(f), { ...f, runId: w.run.id });
    for (const o of listedObjectsOf(w.files)) this.objects.set(o.path, o);
    this.runs.push(w.run);
  }
}
