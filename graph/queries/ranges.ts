// Range checks of query arguments, the same in every store.
import { InvalidInputError } from '../errors.ts';
import type { IsoTime } from '../model.ts';

/** Q4: a path is searched 1 to 10 hops deep, 6 unless asked. */
export function pathDepth(maxDepth: number | undefined): number {
  const d = maxDepth ?? 6;
  if (!Number.isInteger(d) || d < 1 || d > 10)
    throw new InvalidInputError(`maxDepth ${d} is out of range`, 'an integer from 1 to 10');
  return d;
}

/** A diff runs forwards in time. */
export function checkDiffRange(from: IsoTime, to: IsoTime): void {
  if (from > to) throw new InvalidInputError(`"from" (${from}) is after "to" (${to})`, 'from ≤ to');
}
