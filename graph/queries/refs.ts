// Resolving what a user typed to one resource (SPEC Q1), for every store: the store only looks keys up.
import { AmbiguousRefError, InvalidInputError, NotFoundError } from '../errors.ts';
import { looksLikeKey } from '../identity.ts';
import type { ResourceKey } from '../model.ts';
import type { ResourceRef } from '../store.ts';

type Awaitable<T> = T | Promise<T>;

/** Resources found for a reference: their keys and whether each is recorded (else a placeholder). */
export type RefMatch = { key: ResourceKey; recorded: boolean };

/** The lookups a store answers for a reference. */
export interface RefLookups {
  hasKey(key: ResourceKey): Awaitable<boolean>;
  /** Resources whose resource id or ARN is `value`. */
  byIdOrArn(value: string): Awaitable<RefMatch[]>;
  /** Resources whose name is `value`. */
  byName(value: string): Awaitable<RefMatch[]>;
}

/** A resource id, an ARN, a key or (when nothing else matches) a name; ambiguity is an error (Q1). */
export async function resolveRef(ref: ResourceRef, lookups: RefLookups): Promise<ResourceKey> {
  const trimmed = ref.trim();
  if (!trimmed)
    throw new InvalidInputError('empty resource reference', 'a resource id, an ARN or a key account|region|type|id');
  if (looksLikeKey(trimmed) && (await lookups.hasKey(trimmed))) return trimmed;
  let found = await lookups.byIdOrArn(trimmed);
  if (!found.length) found = await lookups.byName(trimmed);
  return chooseRef(trimmed, found);
}

/** Recorded resources win over placeholders; more than one left is ambiguous. */
export function chooseRef(ref: string, found: RefMatch[]): ResourceKey {
  const recorded = found.filter((r) => r.recorded);
  const candidates = [...new Set((recorded.length ? recorded : found).map((r) => r.key))].sort();
  if (candidates.length === 0) throw new NotFoundError(ref);
  if (candidates.length > 1) throw new AmbiguousRefError(ref, candidates);
  return candidates[0]!;
}
