// Fault injection for the test endpoint: a seeded throttle rate and scripted one-off faults, so a
// test can say "30% of calls throttle" or "the 3rd Select call returns a malformed body" and get
// the same sequence on every run.

/** `unrecognized-client`: what an opt-in region that is not enabled answers (any signed call). */
export type FaultKind = 'throttle' | 'internal' | 'unavailable' | 'malformed' | 'access-denied' | 'unrecognized-client';

export interface ScriptedFault {
  kind: FaultKind;
  /** Only calls of this operation (e.g. "SelectResourceConfig"). */
  operation?: string;
  /** Only calls signed for this region. */
  region?: string;
  /** Let this many matching calls through first. */
  after?: number;
  /** How many matching calls fail (default 1). */
  times?: number;
}

export interface AccessRule {
  /** Regions whose every call is denied. */
  regions?: string[];
  /** Only these operations are denied (default: all). */
  operations?: string[];
  /** Only calls naming one of these resource types (ListDiscoveredResources, BatchGet, history). */
  resourceTypes?: string[];
}

/** mulberry32: small, seedable, good enough to spread faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private random: () => number;
  private seen = new Map<ScriptedFault, number>();

  constructor(
    private readonly throttleRate = 0,
    seed = 1,
    private readonly throttleOperations: string[] | undefined = undefined,
    private readonly scripted: ScriptedFault[] = [],
  ) {
    this.random = seededRandom(seed);
  }

  /** The fault to answer this call with, if any. */
  next(operation: string, region: string): FaultKind | undefined {
    for (const f of this.scripted) {
      if (f.operation && f.operation !== operation) continue;
      if (f.region && f.region !== region) continue;
      const n = (this.seen.get(f) ?? 0) + 1;
      this.seen.set(f, n);
      const after = f.after ?? 0;
      if (n > after && n <= after + (f.times ?? 1)) return f.kind;
    }
    if (this.throttleRate > 0 && (!this.throttleOperations || this.throttleOperations.includes(operation))) {
      if (this.random() < this.throttleRate) return 'throttle';
    }
    return undefined;
  }
}
