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

/** A reference as looked up: trimmed, never empty, and whether it may be a key (else no key is looked up). */
export function parseRef(ref: ResourceRef): { value: string; mayBeKey: boolean } {
  const value = ref.trim();
  if (!value)
    throw new InvalidInputError('empty resource reference', 'a resource id, an ARN or a key account|region|type|id');
  return { value, mayBeKey: looksLikeKey(value) };
}

/** A resource id, an ARN, a key or (when nothing else matches) a name; ambiguity is an error (Q1). */
export async function resolveRef(ref: ResourceRef, lookups: RefLookups): Promise<ResourceKey> {
  const { value, mayBeKey } = parseRef(ref);
  if (mayBeKey && (await lookups.hasKey(value))) return value;
  let found = await lookups.byIdOrArn(value);
  if (!found.length) found = await lookups.byName(value);
  return chooseRef(value, found);
}

/** Every lookup's answer for one reference, for a store that makes them all at once. */
export interface RefLookedUp {
  byKey: RefMatch[];
  byIdOrArn: RefMatch[];
  byName: RefMatch[];
}

/** resolveRef's answer from every lookup made at once: the key, else the ids and ARNs, else the names (Q1). */
export function chooseLookedUp(value: string, l: RefLookedUp): ResourceKey {
  return chooseRef(value, l.byKey.length ? l.byKey : l.byIdOrArn.length ? l.byIdOrArn : l.byName);
}

/** Recorded resources win over placeholders; more than one left is ambiguous. */
export function chooseRef(ref: string, found: RefMatch[]): ResourceKey {
  const recorded = found.filter((r) => r.recorded);
  const candidates = [...new Set((recorded.length ? recorded : found).map((r) => r.key))].sort();
  if (candidates.length === 0) throw new NotFoundError(ref);
  if (candidates.length > 1) throw new AmbiguousRefError(ref, candidates);
  return candidates[0]!;
}
