// Capture times arrive as ISO strings, epoch seconds (CLI output) or placebo datetime objects;
// everything is normalised to ISO-8601 UTC with milliseconds so times compare as strings (V3).
import type { IsoTime } from './model.ts';

/** 9999-12-31T23:59:59.999Z: past it ISO strings grow a sign and six digits and no longer sort as
 * strings; before 1970 nothing AWS recorded exists. Times outside are not valid times (P7). */
const LATEST_MS = 253402300799999;

function isoOfMs(ms: number): IsoTime | undefined {
  return Number.isFinite(ms) && ms >= 0 && ms <= LATEST_MS ? new Date(ms).toISOString() : undefined;
}

export function toIsoTime(value: unknown): IsoTime | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return isoOfMs(value.getTime());
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Seconds since the epoch (the CLI prints 1414708529.922); milliseconds when clearly larger.
    const ms = value > 1e11 ? value : value * 1000;
    return isoOfMs(Math.round(ms));
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return toIsoTime(Number(s));
    // Python's repr leaks into some samples: "datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=…)".
    const py = /^datetime\.datetime\((\d+), (\d+), (\d+)(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?/.exec(s);
    if (py) {
      const n = (i: number) => Number(py[i] ?? 0);
      return isoOfMs(Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), Math.floor(n(7) / 1000)));
    }
    return isoOfMs(new Date(s).getTime());
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
      return isoOfMs(ms);
    }
  }
  return undefined;
}
