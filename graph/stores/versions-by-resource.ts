// Rows of (resource, version) as a store reads them, grouped into ResourceVersions: versions ordered (V4),
// resources by key. Shared by the adapters' versionsOfType.
import { parseKey } from '../identity.ts';
import type { ResourceKey, ResourceVersion } from '../model.ts';
import type { ResourceVersions } from '../store.ts';
import { compareVersions } from '../versions.ts';

export function groupByResource(rows: Iterable<{ key: ResourceKey; version: ResourceVersion }>): ResourceVersions[] {
  const byKey = new Map<ResourceKey, ResourceVersions>();
  for (const { key, version } of rows) {
    let entry = byKey.get(key);
    if (!entry) {
      // The key is the identity written out (I1): every store reads it back the same way.
      const identity = parseKey(key);
      if (!identity) continue;
      byKey.set(key, (entry = { key, identity, versions: [] }));
    }
    entry.versions.push(version);
  }
  for (const entry of byKey.values()) entry.versions.sort(compareVersions);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
