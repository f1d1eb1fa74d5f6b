// Token buckets keyed by account + region + operation. AWS publishes no rate limits for Config,
// so the rate adapts: a ThrottlingException halves the key's rate, each success creeps it back.

export interface RateLimit {
  /** Requests per second when nothing throttles. */
  perSecond: number;
  /** Calls allowed back to back before the rate applies. */
  burst: number;
}

interface Bucket {
  tokens: number;
  updated: number;
  rate: number;
  max: number;
  queue: Promise<void>;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limitFor: (operation: string) => RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private bucket(key: string, operation: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      const l = this.limitFor(operation);
      b = { tokens: l.burst, updated: this.now(), rate: l.perSecond, max: l.perSecond, queue: Promise.resolve() };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Resolves when a call under this key may go; calls under one key leave in arrival order. */
  take(account: string, region: string, operation: string, signal?: AbortSignal): Promise<void> {
    const key = `${account}|${region}|${operation}`;
    const b = this.bucket(key, operation);
    const burst = this.limitFor(operation).burst;
    const turn = b.queue.then(async () => {
      for (;;) {
        signal?.throwIfAborted();
        const t = this.now();
        b.tokens = Math.min(burst, b.tokens + ((t - b.updated) / 1000) * b.rate);
        b.updated = t;
        if (b.tokens >= 1) {
          b.tokens -= 1;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - b.tokens) / b.rate) * 1000)));
      }
    });
    b.queue = turn.catch(() => undefined);
    return turn;
  }

  throttled(account: string, region: string, operation: string): void {
    const b = this.bucket(`${account}|${region}|${operation}`, operation);
    b.rate = Math.max(b.max / 16, b.rate / 2);
    b.tokens = Math.min(b.tokens, 0);
  }

  succeeded(account: string, region: string, operation: string): void {
    const b = this.bucket(`${account}|${region}|${operation}`, operation);
    b.rate = Math.min(b.max, b.rate + b.max / 20);
  }

  /** Current rate per key (for the summary). */
  rates(): Record<string, number> {
    return Object.fromEntries([...this.buckets.entries()].map(([k, b]) => [k, Math.round(b.rate * 100) / 100]));
  }
}
