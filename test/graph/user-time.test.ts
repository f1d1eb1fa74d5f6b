// The one parser of times people type (CLI flags and HTTP parameters alike).
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../graph/errors.ts';
import { parseSpan, parseTime, parseTimeOrSpan, TIME_ACCEPTED } from '../../graph/user-time.ts';

function refusal(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('parseTime', () => {
  it('reads ISO-8601 with Z or an offset as that instant, in UTC with milliseconds', () => {
    expect(parseTime('2024-03-01T12:00:00Z', 'at')).toBe('2024-03-01T12:00:00.000Z');
    expect(parseTime('2024-03-01T13:00:00+01:00', 'at')).toBe('2024-03-01T12:00:00.000Z');
    expect(parseTime('2024-03-01T07:30-0430', 'at')).toBe('2024-03-01T12:00:00.000Z');
    expect(parseTime('2024-03-01T12:00:00.1234z', 'at')).toBe('2024-03-01T12:00:00.123Z');
    expect(parseTime(' 2024-03-01T12:00:00Z ', 'at')).toBe('2024-03-01T12:00:00.000Z');
  });

  it('reads a date alone as 00:00 UTC, whatever the machine’s zone', () => {
    expect(parseTime('2024-03-01', 'at')).toBe('2024-03-01T00:00:00.000Z');
    expect(parseTime('2024-02-29', 'at')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('refuses a time of day without a zone, rather than guessing local time', () => {
    const err = refusal(() => parseTime('2024-03-01T12:00', '--at'));
    expect(err.message).toBe('--at "2024-03-01T12:00" has no zone offset (add Z for UTC, or e.g. +01:00)');
    expect(err.accepted).toBe(TIME_ACCEPTED);
  });

  it('refuses anything else, naming the option and the accepted forms', () => {
    for (const [text, why] of [
      ['last tuesday', /is not a time/],
      ['1709294400', /is not a time/],
      ['2024-02-30', /is not a calendar date/],
      ['2023-02-29', /is not a calendar date/],
      ['2024-03-01T24:00:00Z', /is not a time of day/],
      ['2024-03-01 12:00:00Z', /is not a time/],
      ['7d', /is not a time/],
      ['', /is not a time/],
    ] as const) {
      const err = refusal(() => parseTime(text, 'at'));
      expect(err.message, text).toMatch(why);
      expect(err.message, text).toMatch(/^at "/);
      expect(err.accepted, text).toBe(TIME_ACCEPTED);
    }
    expect(refusal(() => parseTime('x'.repeat(200), 'at')).message.length).toBeLessThan(100);
  });
});

describe('spans (where a span back from now is meant)', () => {
  const now = new Date('2024-03-10T12:00:00Z');

  it('reads 30m, 12h, 7d and 2w', () => {
    expect(parseSpan('30m')).toBe(30 * 60_000);
    expect(parseSpan('12h')).toBe(12 * 3_600_000);
    expect(parseSpan('7d')).toBe(7 * 86_400_000);
    expect(parseSpan('2w')).toBe(14 * 86_400_000);
    expect(parseSpan('2024-03-01')).toBeUndefined();
    expect(parseTimeOrSpan('7d', '--history', now)).toBe('2024-03-03T12:00:00.000Z');
    expect(parseTimeOrSpan('36h', '--history', now)).toBe('2024-03-09T00:00:00.000Z');
  });

  it('also takes a time, through the same rules as parseTime', () => {
    expect(parseTimeOrSpan('2024-03-01', '--history', now)).toBe('2024-03-01T00:00:00.000Z');
    expect(refusal(() => parseTimeOrSpan('2024-03-01T12:00', '--history', now)).message).toMatch(/no zone offset/);
  });

  it('refuses a span of zero, a time not in the past and other text, listing every accepted form', () => {
    for (const [text, why] of [
      ['0d', /not a positive span/],
      ['2024-03-11', /not in the past/],
      ['yesterday', /neither a time nor a span/],
    ] as const) {
      const err = refusal(() => parseTimeOrSpan(text, '--history', now));
      expect(err.message, text).toMatch(why);
      expect(err.accepted, text).toMatch(/ISO-8601.*7d/);
    }
  });
});
