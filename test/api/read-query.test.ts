// The one interpreter of the API's parameter schemas (api/read-query.ts), as HTTP and the CLI use it.
import { describe, expect, it } from 'vitest';
import { DiffQuery, ExportQuery, NeighborhoodQuery, SearchQuery } from '../../api/operations.ts';
import { readQuery } from '../../api/read-query.ts';
import { InvalidInputError } from '../../graph/errors.ts';
import { EXPORT_FORMATS, NEIGHBORHOOD_LIMIT } from '../../graph/query-limits.ts';

function refusal(run: () => unknown): { message: string; accepted?: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidInputError) return { message: err.message, accepted: err.accepted };
    throw err;
  }
  throw new Error('accepted');
}

describe('readQuery', () => {
  it('returns typed values: integers as numbers, times normalised, absent optional ones left out', () => {
    expect(readQuery(NeighborhoodQuery, { depth: '2', at: '2024-03-01', limit: '5000' })).toEqual({
      depth: 2,
      at: '2024-03-01T00:00:00.000Z',
      limit: 5000,
    });
    expect(readQuery(SearchQuery, { q: 'web', type: '' })).toEqual({ q: 'web' });
  });

  it('refuses with a message naming the parameter and what is accepted', () => {
    const cases: [unknown, RegExp, RegExp][] = [
      [{ q: 'x', qq: '1' }, /^unknown query parameter: qq$/, /parameters: q, type, account, region, limit/],
      [{ q: ['a', 'b'] }, /"q" is given more than once/, /one q=/],
      [{}, /the query parameter "q" is required/, /q=<text>/],
      [{ q: 'x'.repeat(201) }, /"q" is too long \(201 characters\)/, /at most 200 characters/],
      [{ q: 'x', limit: '' }, /"limit" is empty/, /an integer from 1 to 200/],
      [{ q: 'x', limit: '1e2' }, /^limit "1e2" is out of range$/, /an integer from 1 to 200/],
      [{ q: 'x', account: 'not an account' }, /^account "not an account" is not an account id$/, /12-digit/],
      [{ q: 'x', region: 'EU WEST' }, /^region "EU WEST" is not a region$/, /eu-west-1/],
    ];
    for (const [query, message, accepted] of cases) {
      const err = refusal(() => readQuery(SearchQuery, query));
      expect(err.message, JSON.stringify(query)).toMatch(message);
      expect(err.accepted, JSON.stringify(query)).toMatch(accepted);
    }
    const format = refusal(() => readQuery(ExportQuery, { format: 'pdf' }));
    expect(format).toEqual({
      message: 'format "pdf" is not supported',
      accepted: `one of: ${EXPORT_FORMATS.join(', ')}`,
    });
    expect(refusal(() => readQuery(ExportQuery, {})).accepted).toBe(`format=${EXPORT_FORMATS.join('|')}`);
    expect(refusal(() => readQuery(DiffQuery, { from: '2024-03-01T10:00', to: '2024-03-02' })).message).toBe(
      'from "2024-03-01T10:00" has no zone offset (add Z for UTC, or e.g. +01:00)',
    );
  });

  it('names CLI flags as flags', () => {
    const err = refusal(() =>
      readQuery(NeighborhoodQuery, { limit: String(NEIGHBORHOOD_LIMIT.max + 1) }, { flags: true }),
    );
    expect(err.message).toBe(`--limit "${NEIGHBORHOOD_LIMIT.max + 1}" is out of range`);
    expect(refusal(() => readQuery(ExportQuery, { at: 'soon' }, { flags: true }))).toEqual({
      message: '--format is required',
      accepted: `--format ${EXPORT_FORMATS.join('|')}`,
    });
    expect(refusal(() => readQuery(ExportQuery, { format: 'json', at: 'soon' }, { flags: true })).message).toBe(
      '--at "soon" is not a time',
    );
  });
});
