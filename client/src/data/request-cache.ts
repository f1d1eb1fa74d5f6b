// Answers the API gave, kept while the view lives so that moving back and forth in time or
// re-expanding a node does not fetch again. A failed request is forgotten at once (the next ask
// retries); `clear` forgets everything (new data was collected, or the user retries).

export class RequestCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  /** The cached answer for `key`, or `fetch()`'s, remembered unless it fails. */
  get(key: string, fetch: () => Promise<T>): Promise<T> {
    let p = this.entries.get(key);
    if (!p) {
      p = fetch();
      const entry = p;
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
      this.entries.set(key, entry);
    }
    return p;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** One neighbourhood request: the same resource, depth and time give the same answer. */
export function neighbourhoodKey(ref: string, depth: number, at: string | undefined): string {
  return `${ref}\n${depth}\n${at ?? 'now'}`;
}
