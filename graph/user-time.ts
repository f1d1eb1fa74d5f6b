// The one reader of times a person types, for the CLI and HTTP alike: ISO-8601 with a zone offset or
// Z, or a date alone (00:00 UTC). Where a span back from now is meant (`--history 7d`), also 7d, 12h,
// 30m or 2w. A time of day without a zone is refused: "local time" differs between the CLI's machine
// and the server, so the same text would name two moments.
import { InvalidInputError } from './errors.ts';
import type { IsoTime } from './model.ts';

export const TIME_ACCEPTED =
  'an ISO-8601 time with a zone offset or Z, e.g. 2024-03-01T12:00:00Z or 2024-03-01T13:00:00+01:00, or a date 2024-03-01 (00:00 UTC)';
export const TIME_OR_SPAN_ACCEPTED = `${TIME_ACCEPTED}, or a span back from now: 30m, 12h, 7d or 2w`;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const SPAN = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** 9999-12-31T23:59:59.999Z: later times no longer sort as strings (see graph/time.ts). */
const LATEST_MS = 253402300799999;

const quoted = (s: string) => `"${s.length > 60 ? `${s.slice(0, 57)}...` : s}"`;

/** A user's time as ISO-8601 UTC with milliseconds; `name` is how the user wrote the option (`--at`, `at`). */
export function parseTime(value: string, name: string): IsoTime {
  const text = value.trim();
  const m = ISO.exec(text);
  if (m === null) throw new InvalidInputError(`${name} ${quoted(value)} is not a time`, TIME_ACCEPTED);
  const [, y, mo, d, hh, mm, ss, frac, zone] = m;
  if (hh !== undefined && zone === undefined)
    throw new InvalidInputError(
      `${name} ${quoted(value)} has no zone offset (add Z for UTC, or e.g. +01:00)`,
      TIME_ACCEPTED,
    );
  const date = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const probe = new Date(date);
  // Date.UTC rolls 2024-02-30 over into March: the calendar date must survive the round trip.
  if (
    probe.getUTCFullYear() !== Number(y) ||
    probe.getUTCMonth() !== Number(mo) - 1 ||
    probe.getUTCDate() !== Number(d)
  )
    throw new InvalidInputError(`${name} ${quoted(value)} is not a calendar date`, TIME_ACCEPTED);
  let ms = date;
  if (hh !== undefined) {
    const [h, mi, s] = [Number(hh), Number(mm), Number(ss ?? 0)];
    if (h > 23 || mi > 59 || s > 59)
      throw new InvalidInputError(`${name} ${quoted(value)} is not a time of day`, TIME_ACCEPTED);
    ms += ((h * 60 + mi) * 60 + s) * 1000 + Math.floor(Number(`0${frac ?? ''}`) * 1000);
    ms -= offsetMinutes(zone!) * 60_000;
  }
  if (ms < 0 || ms > LATEST_MS)
    throw new InvalidInputError(`${name} ${quoted(value)} is outside 1970–9999`, TIME_ACCEPTED);
  return new Date(ms).toISOString();
}

function offsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

/** "30m", "12h", "7d", "2w" in milliseconds; undefined when the text is not a span. */
export function parseSpan(text: string): number | undefined {
  const m = SPAN.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]! : undefined;
}

/** A time, or a span meaning that long before `now`; it must lie in the past. */
export function parseTimeOrSpan(value: string, name: string, now: Date): IsoTime {
  const span = parseSpan(value);
  if (span !== undefined) {
    if (span <= 0)
      throw new InvalidInputError(`${name} ${quoted(value)} is not a positive span`, TIME_OR_SPAN_ACCEPTED);
    return new Date(now.getTime() - span).toISOString();
  }
  if (!/^\d{4}-/.test(value.trim()))
    throw new InvalidInputError(`${name} ${quoted(value)} is neither a time nor a span`, TIME_OR_SPAN_ACCEPTED);
  let time: IsoTime;
  try {
    time = parseTime(value, name);
  } catch (err) {
    // Keep the precise complaint (no zone, no such date), but list every accepted form.
    if (err instanceof InvalidInputError) throw new InvalidInputError(err.message, TIME_OR_SPAN_ACCEPTED);
    throw err;
  }
  if (time >= now.toISOString())
    throw new InvalidInputError(`${name} ${quoted(value)} is not in the past`, TIME_OR_SPAN_ACCEPTED);
  return time;
}
