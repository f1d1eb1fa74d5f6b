// How much one query may ask for, and the export formats: the one place these are written. The
// stores, the CLI, the HTTP schema (api/) and the explorer read them, so every door gives the same
// answer to the same request (docs/api.md lists them).
import { InvalidInputError } from './errors.ts';

export interface IntRange {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** Hops from the start of a neighbourhood (and of a neighbourhood export). */
export const NEIGHBORHOOD_DEPTH: IntRange = { min: 1, max: 3, default: 1 };

/** Nodes in a neighbourhood or a view before it is cut (`truncated`); the explorer draws this many. */
export const NEIGHBORHOOD_LIMIT: IntRange = { min: 1, max: 5000, default: 2000 };

/** Longest path searched between two resources. */
export const PATH_MAX_DEPTH: IntRange = { min: 1, max: 8, default: 4 };

/** Search hits returned. */
export const SEARCH_LIMIT: IntRange = { min: 1, max: 200, default: 20 };

/** Characters of search text. */
export const SEARCH_TEXT_MAX = 200;

/** Characters of a resource reference (id, ARN or key). */
export const REF_MAX = 2048;

export const EXPORT_FORMATS = ['json', 'graphml', 'csv', 'drawio'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function describeRange(range: IntRange): string {
  return `an integer from ${range.min} to ${range.max}`;
}

/** The value, or the range's default when absent; anything outside the range is refused by `name`. */
export function inRange(name: string, value: number | undefined, range: IntRange): number {
  if (value === undefined) return range.default;
  if (!Number.isInteger(value) || value < range.min || value > range.max)
    throw new InvalidInputError(`${name} ${value} is out of range`, describeRange(range));
  return value;
}
