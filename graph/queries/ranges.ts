// Range checks of query arguments, the same in every store.
import { InvalidInputError } from '../errors.ts';
import type { IsoTime } from '../model.ts';
import { inRange, PATH_MAX_DEPTH } from '../query-limits.ts';

/** Q4: how deep a path is searched (PATH_MAX_DEPTH in graph/query-limits.ts). */
export function pathDepth(maxDepth: number | undefined): number {
  return inRange('maxDepth', maxDepth, PATH_MAX_DEPTH);
}

/** A diff runs forwards in time. */
export function checkDiffRange(from: IsoTime, to: IsoTime): void {
  if (from > to) throw new InvalidInputError(`"from" (${from}) is after "to" (${to})`, 'from ≤ to');
}
