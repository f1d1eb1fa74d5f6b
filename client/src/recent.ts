// Recent searches, newest first, kept in localStorage (per browser, never sent anywhere).

export interface RecentEntry {
  ref: string;
  label: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'configgraph.recent';
export const RECENT_LIMIT = 8;

export function readRecent(store: KeyValueStore): RecentEntry[] {
  try {
    const parsed: unknown = JSON.parse(store.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(
        (e: unknown): e is RecentEntry =>
          typeof e === 'object' &&
          e !== null &&
          'ref' in e &&
          typeof e.ref === 'string' &&
          'label' in e &&
          typeof e.label === 'string',
      )
      .slice(0, RECENT_LIMIT);
  } catch {
    return [];
  }
}

export function rememberRecent(store: KeyValueStore, entry: RecentEntry): RecentEntry[] {
  const next = [entry, ...readRecent(store).filter((e) => e.ref !== entry.ref)].slice(0, RECENT_LIMIT);
  try {
    store.setItem(KEY, JSON.stringify(next));
  } catch {
    // Private mode or a full quota: recent searches are a convenience, not worth an error.
  }
  return next;
}
