// A small in-process token bucket per client address for the expensive routes (export, diff, path,
// depth-3 neighbourhoods): enough to stop one script from starving a laptop-sized store.
import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests a client may burst. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 20, perSecond: 1 };

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `client`; returns 0 when allowed, else the seconds to wait. */
  take(client: string): number {
    const t = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.opts.burst, updated: t };
    bucket.tokens = Math.min(this.opts.burst, bucket.tokens + ((t - bucket.updated) / 1000) * this.opts.perSecond);
    bucket.updated = t;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 10_000) this.forgetFull(t);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.opts.perSecond);
  }

  /** Buckets that have refilled carry no information: drop them so memory stays bounded. */
  private forgetFull(t: number): void {
    for (const [client, b] of this.buckets) {
      if (b.tokens + ((t - b.updated) / 1000) * this.opts.perSecond >= this.opts.burst) this.buckets.delete(client);
    }
  }
}

/** Middleware limiting the requests for which `isExpensive` says yes. */
export function rateLimit(
  limiter: RateLimiter,
  isExpensive: (req: Parameters<RequestHandler>[0]) => boolean = () => true,
): RequestHandler {
  return (req, _res, next) => {
    if (!isExpensive(req)) {
      next();
      return;
    }
    const wait = limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (wait === 0) {
      next();
      return;
    }
    next(
      new HttpError(429, 'rate_limited', `too many expensive requests; retry in ${wait} s`, undefined, {
        'Retry-After': String(wait),
      }),
    );
  };
}
