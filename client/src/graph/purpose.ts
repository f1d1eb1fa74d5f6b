// Views by purpose in the explorer (SPEC W1–W3): which view a resource opens in, the counted nodes
// that stand for a subnet's folded members until they are opened, and what a cut hub left out.
import type { GraphEdge, ResourceKey, ResourceNode } from '../../../graph/model.ts';
import type { Neighborhood } from '../../../graph/store.ts';
import { defaultViewFor, VIEW_PLANS, type Fold, type PurposeView } from '../../../graph/view-plans.ts';
import type { ViewChoice } from '../state/view-state.ts';
import type { Fragment } from './fragments.ts';
import { countedLabel, identityOfKey, shortType } from './keys.ts';

/** The resource type a reference names, when the reference says (a key, an instance or VPC id or ARN). */
export function typeOfRef(ref: string): string | undefined {
  const id = identityOfKey(ref);
  if (id) return id.resourceType;
  const last = ref.split(/[/:]/).pop() ?? ref;
  if (/^i-[0-9a-f]+$/.test(last)) return 'AWS::EC2::Instance';
  if (/^vpc-[0-9a-f]+$/.test(last)) return 'AWS::EC2::VPC';
  return undefined;
}

/** Whether a view can start from a resource of this type (hop depth always can). */
export function viewApplies(choice: ViewChoice, resourceType: string | undefined): boolean {
  return choice === 'hops' || (resourceType !== undefined && VIEW_PLANS[choice].startTypes.includes(resourceType));
}

/** The view in force: the one chosen when it applies, else the start type's default (W3), else hops. */
export function effectiveView(choice: ViewChoice | undefined, resourceType: string | undefined): ViewChoice {
  if (choice && viewApplies(choice, resourceType)) return choice;
  return (resourceType && defaultViewFor(resourceType)) || 'hops';
}

export const isFoldKey = (key: string): boolean => key.startsWith('fold:');

/** The node that stands for a fold: in its parent's box, labelled with its count. */
function foldNode(fold: Fold, parent: ResourceNode | undefined): ResourceNode {
  const id = identityOfKey(fold.parent);
  const label = countedLabel(fold.resourceType, fold.count);
  const node: ResourceNode = {
    key: fold.id,
    accountId: id?.accountId ?? '',
    awsRegion: id?.awsRegion ?? '',
    resourceType: fold.resourceType,
    resourceId: label,
    resourceName: label,
    status: 'Folded',
    recorded: true,
    tags: {},
  };
  if (parent?.availabilityZone) node.availabilityZone = parent.availabilityZone;
  return node;
}

function foldEdge(fold: Fold, validFrom: string): GraphEdge {
  const parentType =
    shortType(identityOfKey(fold.parent)?.resourceType ?? '')
      .split(' ')
      .pop() ?? '';
  return {
    id: `${fold.id}>contained`,
    source: fold.id,
    target: fold.parent,
    name: `Is contained in ${parentType}`,
    type: 'IS_CONTAINED_IN',
    origin: 'config',
    validFrom,
    validTo: null,
  };
}

/** The view as a fragment: its nodes and edges, plus one counted node per fold that is not open. */
export function viewFragment(view: PurposeView, openFolds: readonly string[]): Fragment {
  const byKey = new Map(view.nodes.map((n) => [n.key, n]));
  const closed = view.folds.filter((f) => !openFolds.includes(f.id) && byKey.has(f.parent));
  const since = view.edges.reduce((min, e) => (e.validFrom < min ? e.validFrom : min), '9999');
  return {
    owner: view.root,
    nodes: [...view.nodes, ...closed.map((f) => foldNode(f, byKey.get(f.parent)))],
    edges: [...view.edges, ...closed.map((f) => foldEdge(f, since === '9999' ? '1970-01-01T00:00:00.000Z' : since))],
    truncated: view.truncated,
    omitted: view.omitted ?? [],
  };
}

/** The folds of a view that are open, with what to load for each: the parent's members of that type. */
export function openedFolds(view: PurposeView, openFolds: readonly string[]): Fold[] {
  return view.folds.filter((f) => openFolds.includes(f.id));
}

/** An opened fold's members as a fragment owned by the fold's parent. */
export function foldMembersFragment(fold: Fold, n: Neighborhood): Fragment {
  return { owner: fold.parent, nodes: n.nodes, edges: n.edges, truncated: n.truncated, omitted: n.omitted ?? [] };
}

/** What was cut, for the notice: each hub named, with the neighbours it left out (W3, Q3). */
export function cutNotes(
  fragments: readonly Fragment[],
  nameOf: (key: ResourceKey) => string,
): { key: ResourceKey; count: number; text: string }[] {
  const counts = new Map<ResourceKey, number>();
  for (const f of fragments) for (const o of f.omitted) counts.set(o.key, Math.max(counts.get(o.key) ?? 0, o.count));
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, count]) => ({
      key,
      count,
      text: `${nameOf(key)} was cut: ${count} of its neighbour${count === 1 ? '' : 's'} left out. Open it, or expand it, to see them.`,
    }));
}
