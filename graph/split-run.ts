// An import cut into several runs (R5): the model makes the result independent of how items are grouped
// into runs (E2, I5, R3), so a store whose transactions cannot hold a whole import can take it in parts.
// Every part is bounded: at most N items (whole resources), N CloudTrail events, and N stored resources
// re-examined against the import's snapshots; re-examination continues over as many runs as it needs.
import { keyOf } from './identity.ts';
import { scopeId, type ScopeRef } from './ingest/reads.ts';
import type { ChangeEvent, ConfigItem, ResourceKey, RunRecord } from './model.ts';
import type { RunInput } from './store.ts';

/** Lists of at most `size` elements, in order. */
function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Items grouped into lists of at most `maxItems`, cut between resources, in the order resources first appear. */
function itemGroups(items: ConfigItem[], maxItems: number): ConfigItem[][] {
  const byResource = new Map<ResourceKey, ConfigItem[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = byResource.get(key);
    if (list) list.push(item);
    else byResource.set(key, [item]);
  }
  const groups: ConfigItem[][] = [];
  let current: ConfigItem[] = [];
  for (const list of byResource.values()) {
    if (current.length > 0 && current.length + list.length > maxItems) {
      groups.push(current);
      current = [];
    }
    current.push(...list);
  }
  if (current.length) groups.push(current);
  return groups;
}

/**
 * Parts of at most `maxItems` items each, cut between resources (all CIs of a resource stay in one part,
 * which may then exceed the limit), in the order resources first appear; CloudTrail events in parts of
 * at most `maxItems` too. Skipped items, notes and the snapshots go with the first part, so that every
 * resource a part brings is judged against them at once (R2); the last part then re-examines the stored
 * resources of the snapshots' scopes `maxItems` at a time (`continuation` says what follows it). An input
 * within the limits and without snapshots is one part: the input itself.
 */
export function splitRun(input: RunInput, maxItems: number): RunInput[] {
  if (!Number.isInteger(maxItems) || maxItems < 1)
    throw new RangeError(`items per run must be a positive integer, got ${maxItems}`);
  const groups = itemGroups(input.items, maxItems);
  const events = chunks<ChangeEvent>(input.events ?? [], maxItems);
  const n = Math.max(groups.length, events.length, 1);
  const snapshots = input.snapshots ?? [];
  if (n === 1 && !snapshots.length) return [input];
  const scopes = new Map<string, ScopeRef>();
  for (const s of snapshots) scopes.set(scopeId(s), { accountId: s.accountId, awsRegion: s.awsRegion });

  return Array.from({ length: n }, (_, i) => {
    const part: RunInput = {
      source: input.source,
      scope: n === 1 ? input.scope : `${input.scope} (part ${i + 1} of ${n})`,
      items: groups[i] ?? [],
    };
    if (i === 0) {
      if (input.skipped) part.skipped = input.skipped;
      if (input.notes) part.notes = input.notes;
      // The stored resources are re-examined from the last part on, after every part brought its own.
      if (snapshots.length) part.snapshots = snapshots;
      if (snapshots.length && n > 1) part.reexamine = { scopes: [], limit: maxItems };
    }
    if (events[i]) part.events = events[i];
    if (i === n - 1 && snapshots.length) part.reexamine = { scopes: [...scopes.values()], limit: maxItems };
    if (input.startedAt) part.startedAt = input.startedAt;
    return part;
  });
}

/**
 * The run that continues re-examining after the run before it (`stored`), if its record says resources
 * remain (R5): the scopes and limit of `part` (the part that brought the snapshots), after the last key
 * re-examined, with no items and no snapshots (they are stored). `slice` numbers it in the run's scope.
 */
export function continuation(part: RunInput, stored: RunRecord, slice: number): RunInput | undefined {
  const done = stored.reexamined;
  if (!part.reexamine || !done?.more || done.through === undefined) return undefined;
  const next: RunInput = {
    source: part.source,
    scope: `${part.scope}, re-examination ${slice}`,
    items: [],
    reexamine: { ...part.reexamine, after: done.through },
  };
  if (part.startedAt) next.startedAt = part.startedAt;
  return next;
}
