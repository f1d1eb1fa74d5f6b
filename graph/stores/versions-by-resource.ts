// Rows of (resource, version) as a store reads them, grouped into ResourceVersions: versions ordered (V4),
// resources by key. Shared by the adapters' versionsOfType.
import type { ResourceIdentity, ResourceKey, ResourceVersion } from '../model.ts';
import type { ResourceVersions } from '../store.ts';
import { compareVersions } from '../versions.ts';

export function groupByResource(
  rows: Iterable<{ key: ResourceKey; identity: ResourceIdentity; version: ResourceVersion }>,
): ResourceVersions[] {
  const byKey = new Map<ResourceKey, ResourceVersions>();
  for (const { key, identity, version } of rows) {
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { key, identity, versions: [] }));
    entry.versions.push(version);
  }
  for (const entry of byKey.values()) entry.versions.sort(compareVersions);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
