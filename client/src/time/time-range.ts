// The "as of" slider: a continuous range from the earliest known moment to now, with the moments
// where something changed as ticks the user can step between.

export interface TimeRange {
  min: number;
  max: number;
  /** Sorted distinct change moments (ms) within the range. */
  moments: number[];
}

export const SLIDER_STEPS = 1000;

/**
 * The slider spans the known change moments with a little room on both sides; its right end
 * means "now" (nothing known changes after the last moment, so the view there is the latest).
 */
export function timeRange(times: Iterable<string | null | undefined>, now: number): TimeRange {
  const moments = new Set<number>();
  for (const t of times) {
    if (!t) continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms) && ms <= now) moments.add(ms);
  }
  const sorted = [...moments].sort((a, b) => a - b);
  const first = sorted[0] ?? now - 86_400_000;
  const last = sorted[sorted.length - 1] ?? now;
  const margin = Math.round(Math.max(last - first, 3_600_000) * 0.02);
  return { min: first - margin, max: Math.min(last + margin, now), moments: sorted };
}

export function sliderToTime(range: TimeRange, value: number): number {
  const v = Math.min(Math.max(value, 0), SLIDER_STEPS);
  return Math.round(range.min + ((range.max - range.min) * v) / SLIDER_STEPS);
}

export function timeToSlider(range: TimeRange, ms: number): number {
  if (range.max <= range.min) return SLIDER_STEPS;
  const v = ((ms - range.min) / (range.max - range.min)) * SLIDER_STEPS;
  return Math.min(Math.max(Math.round(v), 0), SLIDER_STEPS);
}

/** The change moment strictly before/after `ms` (for ◀ ▶ stepping); undefined at the ends. */
export function adjacentMoment(range: TimeRange, ms: number, direction: -1 | 1): number | undefined {
  if (direction < 0) {
    for (let i = range.moments.length - 1; i >= 0; i--) {
      const m = range.moments[i]!;
      if (m < ms) return m;
    }
    return undefined;
  }
  return range.moments.find((m) => m > ms);
}
