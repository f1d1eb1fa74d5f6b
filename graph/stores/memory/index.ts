// The in-memory store: the GraphStore port over plain maps (./state.ts). It answers the ingest plan's reads
// and applies its writes, and shapes queries with the same functions as every store: the smallest
// complete adapter, and the fastest store for tests. Nothing is kept when it is closed.
import { randomUUID } from 'node:crypto';
import { validAt } from '../../edges.ts';
import { edgeIdentity } from '../../graph-diff.ts';
import { ingestPlan } from '../../ingest/plan.ts';
import { runPlanSync } from '../../ingest/reads.ts';
import type {
  DownloadedObject,
  FileDigest,
  GraphEdge,
  IsoTime,
  ListedObject,
  ResourceKey,
  ResourceNode,
  ResourceVersion,
  RunRecord,
  Scope,
} from '../../model.ts';
import { compareNodes, nodeAt, placeholderNode } from '../../nodes.ts';
import { canonicalExportOf } from '../../queries/canonical-export.ts';
import { diffOfChanges, type ChangeReader } from '../../queries/diff-of.ts';
import { graphEdgeOf } from '../../queries/edge-of.ts';
import { graphAtOf, pagesOfSnapshot } from '../../queries/graph-at.ts';
import { historyOf } from '../../queries/history-of.ts';
import { checkDiffRange } from '../../queries/ranges.ts';
import { resolveRef, type RefMatch } from '../../queries/refs.ts';
import { resourceViewOf } from '../../queries/resource-view.ts';
import { rankMatches, searchHits, searchLimit } from '../../queries/search-rank.ts';
import { failedRun } from '../../runs.ts';
import { searchSkips } from '../../search-terms.ts';
import { groupByResource } from '../versions-by-resource.ts';
import type * as Port from '../../store.ts';
import { compareVersions, versionAt } from '../../versions.ts';
import type { PurposeView } from '../../views.ts';
import { neighborhoodByRef, pathByRef, resolvingFirst, viewByRef } from '../../queries/by-reference.ts';
import { MemoryState, type StoredResource } from './state.ts';
import { fileDigestId } from '../../file-digest.ts';

const countBy = (resources: StoredResource[], field: 'accountId' | 'awsRegion' | 'resourceType') => {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.identity[field], (counts.get(r.identity[field]) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
};

export class MemoryStore implements Port.GraphStore, ChangeReader {
  private readonly state = new MemoryState();

  async ingest(run: Port.RunInput): Promise<RunRecord> {
    const id = randomUUID();
    const startedAt = run.startedAt ?? new Date().toISOString();
    try {
      // Every read and decision comes before the first write: a run that fails leaves nothing behind (R1).
      const writes = runPlanSync(ingestPlan(run, id, startedAt), this.state.reads);
      this.state.applyRun(writes);
      return writes.run;
    } catch (e) {
      this.state.runs.push(failedRun(id, run, startedAt, e));
      throw e;
    }
  }

  private versions(key: ResourceKey): ResourceVersion[] {
    return this.state.versionsOf(key).sort(compareVersions);
  }

  private resolveRef(ref: Port.ResourceRef): Promise<ResourceKey> {
    const where = (test: (r: StoredResource) => boolean): RefMatch[] =>
      [...this.state.resources.values()].filter(test).map((r) => ({ key: r.key, recorded: r.recorded }));
    return resolveRef(ref, {
      hasKey: (key) => this.state.resources.has(key),
      byIdOrArn: (v) => where((r) => r.identity.resourceId === v || r.arn === v),
      byName: (v) => where((r) => r.resourceName === v),
    });
  }

  async nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]> {
    const out: ResourceNode[] = [];
    for (const key of new Set(keys)) {
      const r = this.state.resources.get(key);
      if (!r) continue;
      out.push(
        r.recorded
          ? nodeAt(key, r.identity, this.versions(key), at)
          : placeholderNode(key, r.resourceName ?? undefined),
      );
    }
    return out.sort(compareNodes);
  }

  async edgesTouching(keys: ResourceKey[], at?: IsoTime): Promise<GraphEdge[]> {
    const found = new Map<string, GraphEdge>();
    for (const key of new Set(keys))
      for (const ids of [this.state.outgoing.get(key), this.state.incoming.get(key)])
        for (const e of this.state.edgesOf(ids)) if (validAt(e, at)) found.set(e.id, graphEdgeOf(e));
    return [...found.values()];
  }

  async resource(ref: Port.ResourceRef, opts: { at?: IsoTime } = {}): Promise<Port.ResourceView> {
    const key = await this.resolveRef(ref);
    return resourceViewOf(this, key, this.versions(key), opts.at);
  }

  async versionsInForce(keys: ResourceKey[], at?: IsoTime): Promise<ResourceVersion[]> {
    return keys.flatMap((k) => versionAt(this.state.resources.get(k)?.recorded ? this.versions(k) : [], at) ?? []);
  }

  async versionsOf(ref: Port.ResourceRef): Promise<ResourceVersion[]> {
    return this.versions(await this.resolveRef(ref));
  }

  async history(ref: Port.ResourceRef): Promise<Port.ResourceHistory> {
    const key = await this.resolveRef(ref);
    const [node] = await this.nodesAt([key]);
    return historyOf(key, node!, this.versions(key), {
      edgesFrom: (k) =>
        this.state
          .edgesOf(this.state.outgoing.get(k))
          .sort((a, b) => (a.validFrom !== b.validFrom ? (a.validFrom < b.validFrom ? -1 : 1) : a.id < b.id ? -1 : 1)),
      candidates: (lookups) => this.state.candidates(lookups),
      eventsNaming: (names) =>
        [...this.state.events.values()].filter((e) => names.some((n) => e.resources.has(n))).map((e) => e.event),
    });
  }

  /** Neighbourhoods and views: the reference resolved, then the traversal over this store's reads. */
  private readonly byRef = resolvingFirst(this, (r) => this.resolveRef(r));

  async neighborhood(ref: Port.ResourceRef, opts: Port.NeighborhoodOptions = {}): Promise<Port.Neighborhood> {
    return neighborhoodByRef(this.byRef, ref, opts);
  }

  async view(ref: Port.ResourceRef, opts: Port.ViewOptions): Promise<PurposeView> {
    return viewByRef(this.byRef, ref, opts);
  }

  async search(q: string, opts: Port.SearchOptions = {}): Promise<Port.SearchHit[]> {
    const query = q.trim();
    if (!query) return [];
    const wanted = (r: StoredResource | undefined) =>
      r !== undefined &&
      (!opts.type || r.identity.resourceType === opts.type) &&
      (!opts.accountId || r.identity.accountId === opts.accountId) &&
      (!opts.awsRegion || r.identity.awsRegion === opts.awsRegion) &&
      !searchSkips(r.key, opts.type);
    const terms = [...this.state.terms].flatMap(([key, list]) =>
      wanted(this.state.resources.get(key)) ? list.map((term) => ({ key, term })) : [],
    );
    const ranked = rankMatches(terms, query, searchLimit(opts));
    return searchHits(ranked, await this.nodesAt(ranked.map((r) => r.key)));
  }

  async versionsOfType(resourceType: string, scope: Port.TypeScope = {}): Promise<Port.ResourceVersions[]> {
    const matches = [...this.state.resources.values()].filter(
      (r) =>
        r.recorded &&
        r.identity.resourceType === resourceType &&
        (scope.accountId === undefined || r.identity.accountId === scope.accountId) &&
        (scope.awsRegion === undefined || r.identity.awsRegion === scope.awsRegion) &&
        (scope.resourceId === undefined || r.identity.resourceId === scope.resourceId),
    );
    return groupByResource(
      matches.flatMap((r) => this.state.versionsOf(r.key).map((version) => ({ key: r.key, version }))),
    );
  }

  async graphAt(at?: IsoTime, scope: Scope = {}): Promise<Port.GraphSnapshot> {
    const keys = [...this.state.resources.values()]
      .filter(
        (r) =>
          r.recorded &&
          (!scope.accountId || r.identity.accountId === scope.accountId) &&
          (!scope.awsRegion || r.identity.awsRegion === scope.awsRegion),
      )
      .map((r) => r.key);
    return graphAtOf(this, keys, at);
  }

  /** The snapshot as pages: the state is in memory already. */
  async *streamGraphAt(at?: IsoTime, scope: Scope = {}): AsyncGenerator<Port.GraphPage> {
    yield* pagesOfSnapshot(await this.graphAt(at, scope));
  }

  async diff(from: IsoTime, to: IsoTime, scope: Scope = {}): Promise<Port.GraphDiff> {
    checkDiffRange(from, to);
    return diffOfChanges(this, from, to, scope);
  }

  async nodesAtBoth(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<[ResourceNode[], ResourceNode[]]> {
    return [await this.nodesAt(keys, from), await this.nodesAt(keys, to)];
  }

  async resourcesChangedAfter(from: IsoTime): Promise<ResourceKey[]> {
    return [...this.state.resources.values()]
      .filter((r) => r.recorded && this.state.versionsOf(r.key).some((v) => v.captureTime > from))
      .map((r) => r.key);
  }

  async edgesChangedBetween(from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
    const within = (t: IsoTime | null) => t !== null && t > from && t <= to;
    return [...this.state.edges.values()].filter((e) => within(e.validFrom) || within(e.validTo)).map(graphEdgeOf);
  }

  async edgesTouchingBetween(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
    return (await this.edgesTouching(keys, from)).filter((e) => validAt(e, to));
  }

  async twinsInForce(from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
    const changed = await this.edgesChangedBetween(from, to);
    const wanted = new Set(changed.map(edgeIdentity));
    return [...new Set(changed.map((e) => e.source))].flatMap((k) =>
      this.state
        .edgesOf(this.state.outgoing.get(k))
        .filter((e) => validAt(e, from) && validAt(e, to) && wanted.has(edgeIdentity(e)))
        .map(graphEdgeOf),
    );
  }

  async path(a: Port.ResourceRef, b: Port.ResourceRef, opts: Port.PathOptions = {}): Promise<Port.PathResult> {
    return pathByRef(this, (r) => this.resolveRef(r), a, b, opts);
  }

  async stats(): Promise<Port.StoreStats> {
    const all = [...this.state.resources.values()];
    const recorded = all.filter((r) => r.recorded);
    const stats: Port.StoreStats = {
      resources: recorded.length,
      placeholders: all.length - recorded.length,
      versions: [...this.state.versions.values()].reduce((n, m) => n + m.size, 0),
      edges: this.state.edges.size,
      runs: this.state.runs.length,
      byType: countBy(recorded, 'resourceType'),
      byAccount: countBy(recorded, 'accountId'),
      byRegion: countBy(recorded, 'awsRegion'),
    };
    const last = this.state.runs[this.state.runs.length - 1];
    if (last) stats.lastRun = last;
    return stats;
  }

  async runs(): Promise<RunRecord[]> {
    return [...this.state.runs].reverse();
  }

  async canonicalExport(): Promise<Port.CanonicalExport> {
    return canonicalExportOf(
      await this.nodesAt([...this.state.resources.keys()]),
      [...this.state.versions.keys()].flatMap((k) => this.state.versionsOf(k)),
      [...this.state.edges.values()].map(graphEdgeOf),
    );
  }

  async importedFiles(files: FileDigest[]): Promise<FileDigest[]> {
    return files.filter((f) => this.state.files.has(fileDigestId(f)));
  }

  async importedObjects(objects: ListedObject[]): Promise<ListedObject[]> {
    return objects.filter((o) => {
      const had = this.state.objects.get(o.path);
      return (
        had !== undefined &&
        this.state.files.has(fileDigestId(had)) &&
        had.etag === o.etag &&
        had.size === o.size &&
        had.lastModified === o.lastModified
      );
    });
  }

  async recordImportedObjects(objects: DownloadedObject[]): Promise<number> {
    const known = objects.filter((o) => this.state.files.has(fileDigestId(o)));
    for (const o of known) this.state.objects.set(o.path, { ...o });
    return known.length;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

export function openMemoryStore(): MemoryStore {
  return new MemoryStore();
}
