// Capture times arrive as ISO strings, epoch seconds (CLI output) or placebo datetime objects;
// everything is normalised to ISO-8601 UTC with milliseconds so times compare as strings (V3).
import type { IsoTime } from './model.ts';

export function toIsoTime(value: unknown): IsoTime | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Seconds since the epoch (the CLI prints 1414708529.922); milliseconds when clearly larger.
    const ms = value > 1e11 ? value : value * 1000;
    return new Date(Math.round(ms)).toISOString();
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return toIsoTime(Number(s));
    // Python's repr leaks into some samples: "datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=…)".
    const py = /^datetime\.datetime\((\d+), (\d+), (\d+)(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?/.exec(s);
    if (py) {
      const n = (i: number) => Number(py[i] ?? 0);
      return new Date(Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), Math.floor(n(7) / 1000))).toISOString();
    }
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof value === 'object') {
    // botocore/placebo serialisation: {"__class__":"datetime","year":…,"microsecond":…}
    const o = value as Record<string, unknown>;
    if (o.__class__ === 'datetime' && typeof o.year === 'number') {
      const n = (k: string) => (typeof o[k] === 'number' ? o[k] : 0);
      const ms = Date.UTC(
        n('year'),
        n('month') - 1,
        n('day') || 1,
        n('hour'),
        n('minute'),
        n('second'),
        Math.floor(n('microsecond') / 1000),
      );
      return new Date(ms).toISOString();
    }
  }
  return undefined;
}

/** Parses a user-supplied time (CLI/HTTP); throws with what is accepted. */
export function parseUserTime(value: string, what = 'time'): IsoTime {
  const iso = toIsoTime(value);
  if (!iso) throw new RangeError(`${what} "${value}" is not a valid time; use ISO-8601, e.g. 2024-03-01T00:00:00Z`);
  return iso;
}
