// Loading the data a view state shows: the start resource's neighbourhood (by hops) or its view by
// purpose with the opened folds, one fragment per expanded node, both ends of a comparison with
// their marks, and the path when one is asked for. What fails in part becomes a note, not an error;
// only the start resource's own request failing fails the load.
import type { PathResult } from '../../../graph/store.ts';
import type * as api from '../api.ts';
import { messageOf } from '../errors.ts';
import {
  brokenRules,
  complianceChanges,
  rulesIn,
  rulesWithResult,
  type BrokenRules,
  type ComplianceChange,
} from '../graph/compliance-marks.ts';
import { combineMarks, marksFromDiff, marksFromGraphs, unionGraphs, type DiffMarks } from '../graph/diff-marks.ts';
import { fragmentOf, mergeFragments, type Fragment, type LoadedGraph } from '../graph/fragments.ts';
import { identityOfKey } from '../graph/keys.ts';
import { foldMembersFragment, openedFolds, typeOfRef, viewFragment } from '../graph/purpose.ts';
import { displayName } from '../graph/shape.ts';
import type { ViewChoice, ViewState } from '../state/view-state.ts';
import { isCompare } from '../state/view-state.ts';
import { viewTime } from '../state/transitions.ts';
import { formatTime } from '../time/format.ts';
import { KnownTimes } from '../time/known-times.ts';
import { neighbourhoodKey, RequestCache } from './request-cache.ts';
import { NEIGHBORHOOD_LIMIT } from '../../../graph/query-limits.ts';

/** The most nodes one request brings (the API's default); more and the answer says it is truncated. */
export const NEIGHBOURHOOD_LIMIT = NEIGHBORHOOD_LIMIT.default;

/** The API calls loading needs (the api module; a fake in the unit tests). */
export type GraphSource = Pick<typeof api, 'neighborhood' | 'view' | 'diff' | 'path' | 'history' | 'compliance'>;

type Neighbourhood = Awaited<ReturnType<GraphSource['neighborhood']>>;
type History = Awaited<ReturnType<GraphSource['history']>>;
type Report = Awaited<ReturnType<GraphSource['compliance']>>;

/** Config rule results at the view's time: who breaks which rule, the rules named, and (compare) what changed. */
export interface ViewCompliance {
  broken: BrokenRules;
  rules: string[];
  changes?: ComplianceChange[];
}

export interface Loaded {
  rootKey: string;
  graph: LoadedGraph;
  fragments: Fragment[];
  marks?: DiffMarks;
  path?: { result: PathResult; nodes: Set<string>; edges: Set<string> };
  /** Absent when the compliance request failed (a note says so). */
  compliance?: ViewCompliance;
  /** What could not be loaded or shown, in the user's words. */
  notes: string[];
}

export class ViewData {
  private readonly neighbourhoods = new RequestCache<Neighbourhood>();
  private readonly histories = new RequestCache<History>();
  private readonly reports = new RequestCache<Report>();
  /** Every moment seen in what was loaded: the time slider's range and ticks. */
  readonly knownTimes = new KnownTimes();

  constructor(private readonly source: GraphSource) {}

  /** Forgets every cached answer (new data was collected). */
  clear(): void {
    this.neighbourhoods.clear();
    this.histories.clear();
    this.reports.clear();
  }

  /** The non-compliant results at `at` (absent: now): one request per time. */
  nonCompliantAt(at: string | undefined): Promise<Report> {
    return this.resultsAt(at, 'NON_COMPLIANT');
  }

  private resultsAt(at: string | undefined, status: 'NON_COMPLIANT' | 'COMPLIANT'): Promise<Report> {
    return this.reports.get(`${status} ${at ?? 'now'}`, () => this.source.compliance({ status, ...(at ? { at } : {}) }));
  }

  historyOf(key: string): Promise<History> {
    return this.histories.get(key, () => this.source.history(key));
  }

  /** Loads what `state` shows; `view` is the effective view choice for its start resource. */
  async load(state: ViewState & { resource: string }, view: ViewChoice): Promise<Loaded> {
    const notes: string[] = [];
    let loaded: Loaded;
    if (isCompare(state)) {
      const [before, after] = await Promise.all([
        this.fragmentsAt(state, view, state.compareFrom, notes).catch(() => undefined),
        this.fragmentsAt(state, view, state.compareTo, notes),
      ]);
      const afterGraph = mergeFragments(after.fragments);
      const beforeGraph = before
        ? mergeFragments(before.fragments)
        : { nodes: new Map(), edges: new Map(), truncated: false };
      if (!before) notes.push(`The resource did not exist at ${formatTime(state.compareFrom)}.`);
      const local = marksFromGraphs(beforeGraph, afterGraph);
      let marks: DiffMarks;
      const id = identityOfKey(after.rootKey);
      try {
        const d = await this.source.diff(
          state.compareFrom,
          state.compareTo,
          id ? { account: id.accountId, region: id.awsRegion } : {},
        );
        marks = combineMarks(marksFromDiff(d), local);
      } catch (err) {
        notes.push(`Compared the view only (the account-wide diff failed: ${messageOf(err)}).`);
        marks = local;
      }
      loaded = { ...after, graph: unionGraphs(beforeGraph, afterGraph), marks, notes };
    } else {
      const at = await this.fragmentsAt(state, view, state.at, notes);
      loaded = { ...at, graph: mergeFragments(at.fragments), notes };
    }
    if (state.pathTo) await this.addPath(loaded, state.pathTo, viewTime(state));
    await this.addCompliance(loaded, state);
    this.knownTimes.addGraph(loaded.graph);
    try {
      const hist = await this.historyOf(loaded.rootKey);
      for (const v of hist.versions) this.knownTimes.add(v.captureTime);
    } catch {
      // The slider still works from the graph's own times.
    }
    return loaded;
  }

  /** Who breaks which rule at the view's time; in compare mode also at the earlier end, and what changed. */
  private async addCompliance(loaded: Loaded, state: ViewState): Promise<void> {
    try {
      const after = await this.nonCompliantAt(viewTime(state));
      const compliance: ViewCompliance = { broken: brokenRules(after), rules: rulesIn(after) };
      if (isCompare(state))
        compliance.changes = complianceChanges(
          brokenRules(await this.nonCompliantAt(state.compareFrom)),
          compliance.broken,
          rulesWithResult(await this.resultsAt(viewTime(state), 'COMPLIANT'), 'COMPLIANT'),
        );
      loaded.compliance = compliance;
    } catch (err) {
      loaded.notes.push(`Compliance is not shown (the request failed: ${messageOf(err)}).`);
    }
  }

  /** The path to `pathTo`, drawn into the graph when found; not found or failed, a note. */
  private async addPath(loaded: Loaded, pathTo: string, at: string | undefined): Promise<void> {
    const { graph, notes } = loaded;
    try {
      const result = await this.source.path(loaded.rootKey, pathTo, at);
      if (result.found) {
        for (const n of result.nodes) if (!graph.nodes.has(n.key)) graph.nodes.set(n.key, n);
        for (const e of result.edges) if (!graph.edges.has(e.id)) graph.edges.set(e.id, e);
        loaded.path = {
          result,
          nodes: new Set(result.nodes.map((n) => n.key)),
          edges: new Set(result.edges.map((e) => e.id)),
        };
      } else {
        loaded.path = { result, nodes: new Set(), edges: new Set() };
        notes.push('No path between the two resources within the search depth.');
      }
    } catch (err) {
      notes.push(`Path search failed: ${messageOf(err)}`);
    }
  }

  private neighbourhood(ref: string, depth: number, at: string | undefined): Promise<Neighbourhood> {
    return this.neighbourhoods.get(neighbourhoodKey(ref, depth, at), () =>
      this.source.neighborhood(ref, { depth, limit: NEIGHBOURHOOD_LIMIT, ...(at ? { at } : {}) }),
    );
  }

  /** The root's neighbourhood (or view) plus one fragment per expanded node, all as of `at`. */
  private async fragmentsAt(
    state: ViewState & { resource: string },
    view: ViewChoice,
    at: string | undefined,
    notes: string[],
  ): Promise<{ rootKey: string; fragments: Fragment[] }> {
    if (view === 'hops') {
      const rootN = await this.neighbourhood(state.resource, state.depth, at);
      const fragments = [fragmentOf(rootN.root, rootN)];
      await this.addExpansions(state.expanded, fragments, at, notes);
      return { rootKey: rootN.root, fragments };
    }
    const v = await this.source.view(state.resource, { kind: view, limit: NEIGHBOURHOOD_LIMIT, ...(at ? { at } : {}) });
    const fragments = [viewFragment(v, state.openFolds)];
    const folds = openedFolds(v, state.openFolds);
    const members = await Promise.allSettled(
      folds.map((f) =>
        this.source.neighborhood(f.parent, {
          depth: 1,
          types: [f.resourceType],
          limit: NEIGHBOURHOOD_LIMIT,
          ...(at ? { at } : {}),
        }),
      ),
    );
    members.forEach((r, i) => {
      if (r.status === 'fulfilled') fragments.push(foldMembersFragment(folds[i]!, r.value));
      else notes.push(`Could not open ${folds[i]!.id}: ${messageOf(r.reason)}`);
    });
    await this.addExpansions(state.expanded, fragments, at, notes);
    return { rootKey: v.root, fragments };
  }

  /** One depth-1 fragment per expanded node, in every view. */
  private async addExpansions(
    expanded: string[],
    fragments: Fragment[],
    at: string | undefined,
    notes: string[],
  ): Promise<void> {
    const expansions = await Promise.allSettled(expanded.map((k) => this.neighbourhood(k, 1, at)));
    expansions.forEach((r, i) => {
      if (r.status === 'fulfilled') fragments.push(fragmentOf(expanded[i]!, r.value));
      else
        notes.push(
          `Could not expand ${expanded[i]} ${at ? `at ${formatTime(at)}` : ''}: ${messageOf(r.reason)}`,
        );
    });
  }
}

/** The start resource's name: from what is loaded, else the reference the state asks for. */
export function rootLabel(loaded: Loaded | undefined, resource: string | undefined): string {
  const root = loaded ? loaded.graph.nodes.get(loaded.rootKey) : undefined;
  return root ? displayName(root) : (resource ?? '');
}

/** The start resource's type: from the reference itself, else from what is loaded. */
export function rootType(loaded: Loaded | undefined, resource: string | undefined): string | undefined {
  const loadedType = loaded ? identityOfKey(loaded.rootKey)?.resourceType : undefined;
  return typeOfRef(resource ?? '') ?? loadedType;
}
