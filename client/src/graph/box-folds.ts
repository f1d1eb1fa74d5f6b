// G11: in a big view, the many resources of one type directly in a box (a subnet's hundreds of instances)
// are drawn as one counted node ("312 instances") until the user opens it, so the overview draws
// hundreds of elements rather than thousands (docs/benchmarks.md, "Explorer at scale").
import type { Grouping } from '../../../graph/grouping.ts';
import type { ResourceKey, ResourceNode } from '../../../graph/model.ts';

/**
 * Resources a folded view draws at most, where it can: more than this and the crowded boxes are folded.
 * Cytoscape redraws every resource on the first frame after a zoom; 500 keeps that frame well within
 * 200 ms on a 2-core machine (docs/benchmarks.md, "Explorer at scale").
 */
export const FOLD_BUDGET = 500;
/** The fewest resources of one type in one box that are ever folded (a fold of two says little). */
export const FOLD_MIN = 5;

export interface BoxFold {
  /** `fold:in:<box id>:<type>`: stable, so an opened fold stays open in the address bar. */
  id: string;
  /** The box the counted node is drawn in, where its members would be. */
  box: string;
  resourceType: string;
  /** The resources it stands for, in key order. */
  members: ResourceKey[];
}

export const boxFoldId = (box: string, resourceType: string): string => `fold:in:${box}:${resourceType}`;
export const isBoxFoldKey = (key: string): boolean => key.startsWith('fold:in:');

/**
 * The folds of a view of more than FOLD_BUDGET resources: for each box, the resources of one type drawn
 * directly in it, when there are more than a size. The size is the largest that brings the drawing to
 * FOLD_BUDGET resources or fewer (but folds are never smaller than FOLD_MIN), the same for every box, so
 * boxes alike are drawn alike; it ignores what is opened, so opening one fold never folds another. A fold
 * whose id is in `open` is drawn as its members. Resources in `keep` (the start, expanded ones, a path's,
 * compare's marked ones) are never folded. `opened`: the folds drawn as their members because they are in
 * `open` (each can be closed again).
 */
export function boxFolds(
  visible: readonly ResourceNode[],
  grouping: Grouping,
  open: readonly string[],
  keep: ReadonlySet<ResourceKey>,
  budget = FOLD_BUDGET,
): { folds: BoxFold[]; foldOf: Map<ResourceKey, string>; opened: BoxFold[] } {
  const folds: BoxFold[] = [];
  const opened: BoxFold[] = [];
  const foldOf = new Map<ResourceKey, string>();
  if (visible.length <= budget) return { folds, foldOf, opened };
  // Each bucket's size counts its kept resources too, so boxes alike are folded alike.
  const buckets = new Map<string, BoxFold & { size: number }>();
  for (const n of visible) {
    const box = grouping.parentOf.get(n.key);
    if (box === undefined) continue;
    const id = boxFoldId(box, n.resourceType);
    let fold = buckets.get(id);
    if (!fold) buckets.set(id, (fold = { id, box, resourceType: n.resourceType, members: [], size: 0 }));
    fold.size++;
    if (!keep.has(n.key)) fold.members.push(n.key);
  }
  const over = foldSize(
    [...buckets.values()].map((b) => b.size),
    visible.length,
    budget,
  );
  const isOpen = new Set(open);
  for (const { size, ...fold } of [...buckets.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (size <= over || fold.members.length < 2) continue;
    // An opened fold is drawn as its members, and can be closed again (G12).
    if (isOpen.has(fold.id)) {
      opened.push(fold);
      continue;
    }
    folds.push(fold);
    for (const k of fold.members) foldOf.set(k, fold.id);
  }
  return { folds, foldOf, opened };
}

/** The largest size above which folding every bucket leaves at most `budget` resources drawn. */
function foldSize(sizes: number[], total: number, budget: number): number {
  const sorted = sizes.filter((n) => n >= FOLD_MIN).sort((a, b) => b - a);
  let drawn = total;
  for (let i = 0; i < sorted.length; i++) {
    // Folding this bucket: its members become one counted node.
    drawn -= sorted[i]! - 1;
    const next = sorted[i + 1];
    // Buckets of equal size are folded alike: decide only where the size changes.
    if (next !== sorted[i] && drawn <= budget) return next === undefined ? FOLD_MIN - 1 : sorted[i]! - 1;
  }
  return FOLD_MIN - 1;
}
