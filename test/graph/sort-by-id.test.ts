import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareEdgeIds } from '../../graph/queries/canonical-export.ts';
import { sortById } from '../../graph/queries/sort-by-id.ts';

const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const byComparator = (ids: string[]) => ids.map((id) => ({ id })).sort(compareEdgeIds);

describe('sortById: the order compareEdgeIds gives, fast for hex digests', () => {
  it('orders digests as the comparator does', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => digest(String(i)));
    expect(
      sortById(
        ids.map((id) => ({ id })),
        (e) => e.id,
      ),
    ).toEqual(byComparator(ids));
  });

  it('orders ids sharing their first eight hex digits by the rest of them', () => {
    const ids = ['0000ffffb', '0000ffffa', 'ffffffff', '0000ffff', '0000fffe9', '0000ffffa0', '00000000'];
    expect(
      sortById(
        ids.map((id) => ({ id })),
        (e) => e.id,
      ),
    ).toEqual(byComparator(ids));
  });

  it('falls back to comparing strings when an id is not a lower-case hex digest', () => {
    for (const odd of ['ABCDEF01', 'edge-1', 'abc', '', 'g0000000', '0123456z']) {
      const ids = [...Array.from({ length: 50 }, (_, i) => digest(String(i))), odd, 'edge-10', 'Edge-2'];
      expect(
        sortById(
          ids.map((id) => ({ id })),
          (e) => e.id,
        ),
      ).toEqual(byComparator(ids));
    }
  });

  it('sorts in place and keeps every item', () => {
    const items = [{ id: 'b' }, { id: 'a' }, { id: 'a' }];
    const out = sortById(items, (e) => e.id);
    expect(out).toBe(items);
    expect(out.map((e) => e.id)).toEqual(['a', 'a', 'b']);
    expect(sortById([], (e: { id: string }) => e.id)).toEqual([]);
  });
});
