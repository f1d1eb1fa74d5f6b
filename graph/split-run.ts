// An import cut into several runs (R5): the model makes the result independent of how items are grouped
// into runs (E2, I5, R3), so a store whose transactions cannot hold a whole import can take it in parts.
import { keyOf } from './identity.ts';
import type { ConfigItem, ResourceKey } from './model.ts';
import type { RunInput } from './store.ts';

/**
 * Parts of at most `maxItems` items each, cut between resources (all CIs of a resource stay in one part,
 * which may then exceed the limit), in the order resources first appear. Skipped items and notes go with
 * the first part, snapshots and events with the last; one part is the input itself.
 */
export function splitRun(input: RunInput, maxItems: number): RunInput[] {
  if (!Number.isInteger(maxItems) || maxItems < 1)
    throw new RangeError(`items per run must be a positive integer, got ${maxItems}`);
  if (input.items.length <= maxItems) return [input];
  const byResource = new Map<ResourceKey, ConfigItem[]>();
  for (const item of input.items) {
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
  if (groups.length === 1) return [input];

  return groups.map((items, i) => {
    const part: RunInput = { source: input.source, scope: `${input.scope} (part ${i + 1} of ${groups.length})`, items };
    if (i === 0) {
      if (input.skipped) part.skipped = input.skipped;
      if (input.notes) part.notes = input.notes;
    }
    if (i === groups.length - 1) {
      if (input.snapshots) part.snapshots = input.snapshots;
      if (input.events) part.events = input.events;
    }
    if (input.startedAt) part.startedAt = input.startedAt;
    return part;
  });
}
