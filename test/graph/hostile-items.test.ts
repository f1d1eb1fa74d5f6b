// Hostile or broken items are skipped one by one, with file, position and reason; the good items
// around them are kept and the parser never throws (SPEC P3, P7, P8).
import { describe, expect, it } from 'vitest';
import { parseDocument, parseFileContent } from '../../graph/parse/index.ts';
import { toIsoTime } from '../../graph/time.ts';
import { keyOf } from '../../graph/identity.ts';
import { rawCi } from '../support/ci-builder.ts';

const good = rawCi({ type: 'AWS::EC2::Instance', id: 'i-good', time: '2024-03-01T00:00:00Z' });
const withField = (field: string, value: unknown) => ({
  ...rawCi({ type: 'AWS::EC2::Instance', id: 'i-bad', time: '2024-03-01T00:00:00Z' }),
  [field]: value,
});
const page = (...cis: unknown[]) => parseDocument({ configurationItems: cis }, 'page.json');

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('times out of range (P3, P7)', () => {
  it.each([
    ['epoch 1e20', 1e20],
    ['a 17-digit string', '99999999999999999'],
    ['a Python datetime of year 999999', 'datetime.datetime(999999, 1, 1, 0, 0)'],
    ['epoch microseconds (past year 9999 as milliseconds)', 1704067200000000],
    ['an ISO time past year 9999', '+055969-01-01T00:00:00.000Z'],
  ])('P7: a capture time given as %s skips that item only, naming file, position and field', (_what, value) => {
    const r = page(good, withField('configurationItemCaptureTime', value));
    expect(r.items.map((i) => i.resourceId)).toEqual(['i-good']);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatchObject({ file: 'page.json', item: 'configurationItems[1]' });
    expect(r.skipped[0]!.reason).toMatch(/configurationItemCaptureTime/);
  });

  it('P7: a resourceCreationTime out of range keeps the item, without the time, and says so', () => {
    const r = page(good, withField('resourceCreationTime', 1e20));
    expect(r.items.map((i) => i.resourceId)).toEqual(['i-good', 'i-bad']);
    expect(r.items[1]!.resourceCreationTime).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/configurationItems\[1\].*resourceCreationTime/);
  });

  it('P7: toIsoTime never throws and keeps times between 1970 and 9999', () => {
    for (const v of [1e20, -1e20, 8.64e15 + 1, '99999999999999999', 'datetime.datetime(999999, 1, 1)'])
      expect(toIsoTime(v)).toBeUndefined();
    expect(toIsoTime('9999-12-31T23:59:59Z')).toBe('9999-12-31T23:59:59.000Z');
    expect(toIsoTime(1414708529.922)).toBe('2014-10-30T22:35:29.922Z');
  });
});

describe('size limits (P8)', () => {
  it('P8: a configuration nested deeper than the limit skips that item only', () => {
    const r = page(good, withField('configuration', `${'{"a":'.repeat(4500)}"leaf"${'}'.repeat(4500)}`));
    expect(r.items.map((i) => i.resourceId)).toEqual(['i-good']);
    expect(r.skipped[0]).toMatchObject({ file: 'page.json', item: 'configurationItems[1]' });
    expect(r.skipped[0]!.reason).toMatch(/nest/);
  });

  it('P8: a tag value nested deeper than the limit skips that item only', () => {
    const r = page(good, withField('tags', { deep: nested(4500) }));
    expect(r.items.map((i) => i.resourceId)).toEqual(['i-good']);
    expect(r.skipped[0]!.reason).toMatch(/nest/);
  });

  it('P8: the nesting limit is configurable and real configurations pass the default', () => {
    const r = parseDocument({ configurationItems: [withField('configuration', nested(20))] }, 'p.json', {
      limits: { maxNesting: 10 },
    });
    expect(r.items).toHaveLength(0);
    expect(r.skipped[0]!.reason).toMatch(/10 levels/);
    expect(page(withField('configuration', nested(20))).items).toHaveLength(1);
  });

  it('P8: a string longer than the limit skips that item only', () => {
    const r = parseDocument(
      { configurationItems: [good, withField('configuration', { policy: 'x'.repeat(2000) })] },
      'p.json',
      { limits: { maxStringLength: 1000 } },
    );
    expect(r.items.map((i) => i.resourceId)).toEqual(['i-good']);
    expect(r.skipped[0]!.reason).toMatch(/longer than 1000 characters/);
  });

  it('P8: a gzip file that decompresses past the limit is skipped without reading past it', async () => {
    const { gzipSync } = await import('node:zlib');
    const big = gzipSync(Buffer.from(JSON.stringify({ configurationItems: [good], pad: 'x'.repeat(3_000_000) })));
    const r = parseFileContent(big, 'bomb.json.gz', { limits: { maxFileBytes: 1_000_000 } });
    expect(r.items).toHaveLength(0);
    expect(r.skipped).toEqual([{ file: 'bomb.json.gz', reason: expect.stringMatching(/more than 1000000 bytes/) }]);
  });
});

describe('identity fields that could forge a key (I1, P9)', () => {
  it('P9: an account, region or type holding the key delimiter is skipped, so two resources never share a key', () => {
    const forged = {
      ...rawCi({ type: 'i-a', id: 'b', time: '2024-03-01T00:00:00Z', account: '111111111111|us-east-1' }),
      awsRegion: 'AWS::EC2::Instance',
    };
    const honest = rawCi({
      type: 'AWS::EC2::Instance',
      id: 'i-a|b',
      time: '2024-03-01T00:00:00Z',
      account: '111111111111',
      region: 'us-east-1',
    });
    const r = page(forged, honest);
    expect(r.items.map((i) => keyOf(i))).toEqual(['111111111111|us-east-1|AWS::EC2::Instance|i-a|b']);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]!.item).toBe('configurationItems[0]');
  });

  it.each([
    ['accountId', '12345|6789012'],
    ['awsRegion', 'eu|west-1'],
    ['resourceType', 'AWS::EC2|Instance'],
    ['awsRegion', 'eu-west-1\u001b[31m'],
  ])('P9: %s %j is refused with a reason naming the field', (field, value) => {
    const r = page(withField(field, value));
    expect(r.items).toHaveLength(0);
    expect(r.skipped[0]!.reason).toContain(field);
  });
});
