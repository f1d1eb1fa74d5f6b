// Views by purpose (SPEC W1–W3): the plans of graph/view-plans.ts, executed over the same one-hop
// read (GraphReader) that the neighbourhood uses, so every store gives the same answer. Edges are followed in both directions
// and matched on the neighbour's resource type, never on one spelling of Config's relationship name:
// real Config records most EC2 networking relationships from both ends, the generator from one.
import { InvalidInputError } from './errors.ts';
import type { IsoTime, ResourceKey, ResourceNode } from './model.ts';
import { NEIGHBORHOOD_LIMIT } from './query-limits.ts';
import { isDeletedNode } from './nodes.ts';
import { typeOfKey } from './identity.ts';
import { byKey, edgesAmong, HUB_FANOUT, liveEndsTouching, otherEnd, type GraphReader } from './traverse.ts';
import {
  foldId,
  VIEW_KINDS,
  VIEW_PLANS,
  type Fold,
  type PurposeView,
  type ViewKind,
  type ViewStep,
} from './view-plans.ts';

export * from './view-plans.ts';

export function parseViewKind(kind: string | undefined): ViewKind {
  if (kind !== undefined && (VIEW_KINDS as readonly string[]).includes(kind)) return kind as ViewKind;
  throw new InvalidInputError(`unknown view ${String(kind)}`, VIEW_KINDS.join(' or '));
}

function matches(step: ViewStep, type: string): boolean {
  if (step.to === '*') return !(step.except ?? []).includes(type);
  return step.to.includes(type);
}

/**
 * Runs a view's plan from `root` (W1–W3). Steps run in order over everything the view holds so
 * far; a node other than the root with more than HUB_FANOUT matching neighbours in a step is a hub
 * and is not followed (it is named in `omitted` with the count left out), and so is anything past
 * the node limit.
 */
/** What a view of `kind` reads at most: one hop per step, to the types its steps follow (folds add no node). */
export function viewReach(kind: ViewKind): { depth: number; types?: string[] } {
  const steps = VIEW_PLANS[kind].steps;
  const followed = steps.filter((s) => !s.fold).map((s) => s.to);
  if (followed.includes('*')) return { depth: steps.length };
  return { depth: steps.length, types: [...new Set(followed.flat())].sort() };
}

export async function purposeViewOf(
  reader: GraphReader,
  root: ResourceKey,
  opts: { kind: ViewKind; at?: IsoTime; limit?: number },
): Promise<PurposeView> {
  const plan = VIEW_PLANS[opts.kind];
  const rootType = typeOfKey(root);
  if (!plan.startTypes.includes(rootType))
    throw new InvalidInputError(
      `the ${plan.kind} view starts from ${plan.startTypes.join(' or ')}, not ${rootType}`,
      'the hop-depth neighbourhood for other resources',
    );
  const limit = opts.limit ?? NEIGHBORHOOD_LIMIT.default;
  const included = new Set<ResourceKey>([root]);
  const omitted = new Map<ResourceKey, number>();
  const folds = new Map<string, Fold>();
  let truncated = false;
  // Edges to a resource deleted at `at` are not followed (as in the neighbourhood).
  const known = new Map<ResourceKey, ResourceNode>();

  for (const step of plan.steps) {
    const frontier = [...included].filter((k) => step.from.includes(typeOfKey(k))).sort(byKey);
    if (!frontier.length) continue;
    const frontierSet = new Set(frontier);
    const edges = await liveEndsTouching(reader, frontier, opts.at, known);
    const neighbours = new Map<ResourceKey, Set<ResourceKey>>();
    for (const e of edges) {
      for (const f of [e.source, e.target]) {
        if (!frontierSet.has(f)) continue;
        const n = otherEnd(e, f);
        if (n === f || !matches(step, typeOfKey(n))) continue;
        let set = neighbours.get(f);
        if (!set) neighbours.set(f, (set = new Set()));
        set.add(n);
      }
    }
    for (const f of frontier) {
      const found = [...(neighbours.get(f) ?? [])].sort(byKey);
      if (step.fold) {
        for (const n of found) {
          if (included.has(n)) continue;
          const id = foldId(f, typeOfKey(n));
          const fold = folds.get(id) ?? { id, parent: f, resourceType: typeOfKey(n), count: 0 };
          fold.count++;
          folds.set(id, fold);
        }
        continue;
      }
      const fresh = found.filter((n) => !included.has(n));
      if (f !== root && found.length > HUB_FANOUT) {
        if (fresh.length) omitted.set(f, (omitted.get(f) ?? 0) + fresh.length);
        truncated ||= fresh.length > 0;
        continue;
      }
      for (const n of fresh) {
        if (included.size >= limit) {
          omitted.set(f, (omitted.get(f) ?? 0) + 1);
          truncated = true;
          continue;
        }
        included.add(n);
      }
    }
  }

  const keys = [...included].sort(byKey);
  const nodes = (await reader.nodesAt(keys, opts.at)).sort((a, b) => byKey(a.key, b.key));
  const state = new Map(nodes.map((n) => [n.key, n]));
  const edges = (await edgesAmong(reader, keys, opts.at))
    .filter((e) => !isDeletedNode(state.get(e.source)) && !isDeletedNode(state.get(e.target)))
    .sort((a, b) => byKey(a.id, b.id));
  const result: PurposeView = {
    kind: plan.kind,
    root,
    nodes,
    edges,
    truncated,
    folds: [...folds.values()].sort((a, b) => byKey(a.id, b.id)),
  };
  if (omitted.size)
    result.omitted = [...omitted].map(([key, count]) => ({ key, count })).sort((a, b) => byKey(a.key, b.key));
  return result;
}
