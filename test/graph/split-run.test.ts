// R5: how an import is cut into runs (the equivalence of the result is in the store contract suite).
import { describe, expect, it } from 'vitest';
import { keyOf } from '../../graph/identity.ts';
import { continuation, ImportBatches, splitRun, type ImportPiece } from '../../graph/split-run.ts';
import type { ChangeEvent, RunRecord } from '../../graph/model.ts';
import type { RunInput } from '../../graph/store.ts';
import { items, T } from '../support/ci-builder.ts';

const input = (): RunInput => ({
  source: 'files',
  scope: 'estate/',
  items: items(
    ...['a', 'b', 'c', 'd', 'e'].flatMap((id, n) =>
      [1, 2, 3].slice(0, (n % 3) + 1).map((day) => ({ type: 'AWS::EC2::Volume', id: `vol-${id}`, time: T(day) })),
    ),
  ),
  snapshots: [{ accountId: '111122223333', awsRegion: 'eu-west-1', time: T(9), members: ['vol-a'] }],
  events: [
    {
      eventId: 'e1',
      eventTime: T(2),
      eventName: 'CreateVolume',
      eventSource: 'ec2.amazonaws.com',
      principal: 'arn:aws:iam::111122223333:user/alice',
      resources: ['vol-a'],
    },
  ],
  skipped: [{ file: 'bad.json', reason: 'invalid JSON' }],
  notes: ['files by shape: history 1'],
  startedAt: T(10),
});

describe('splitRun (R5)', () => {
  it('R5: parts hold at most the limit, cut between resources, in first-seen order', () => {
    const whole = input();
    const parts = splitRun(whole, 4);
    // Resources bring 1, 2, 3, 1, 2 items: [a b] [c d] [e].
    expect(parts.map((p) => p.items.length)).toEqual([3, 4, 2]);
    expect(parts.flatMap((p) => p.items)).toEqual(whole.items);
    const partsOf = new Map<string, Set<number>>();
    parts.forEach((p, i) =>
      p.items.forEach((item) => partsOf.set(keyOf(item), (partsOf.get(keyOf(item)) ?? new Set()).add(i))),
    );
    expect([...partsOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(parts.map((p) => p.scope)).toEqual([
      'estate/ (part 1 of 3)',
      'estate/ (part 2 of 3)',
      'estate/ (part 3 of 3)',
    ]);
  });

  it('R5: skips, notes and snapshots go with the first part, events in parts of at most the limit', () => {
    const whole = input();
    const [first, middle, last] = splitRun(whole, 4);
    expect([first!.skipped, first!.notes, first!.snapshots, first!.events]).toEqual([
      whole.skipped,
      whole.notes,
      whole.snapshots,
      whole.events,
    ]);
    for (const later of [middle!, last!])
      expect([later.skipped, later.notes, later.snapshots, later.events]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    expect(new Set([first, middle, last].map((p) => p!.startedAt))).toEqual(new Set([T(10)]));
    // The first part judges only its own resources; the last re-examines the stored ones, 4 at a time.
    expect([first!.reexamine, middle!.reexamine, last!.reexamine]).toEqual([
      { scopes: [], limit: 4 },
      undefined,
      { scopes: [{ accountId: '111122223333', awsRegion: 'eu-west-1' }], limit: 4 },
    ]);

    const events = Array.from({ length: 7 }, (_, i) => ({ ...whole.events![0]!, eventId: `e${i}` }));
    const parts = splitRun({ ...whole, events }, 2);
    expect(parts.map((p) => p.events?.map((e) => e.eventId))).toEqual([
      ['e0', 'e1'],
      ['e2', 'e3'],
      ['e4', 'e5'],
      ['e6'],
      undefined,
    ]);
    expect(parts.map((p) => p.items.length)).toEqual([1, 2, 3, 1, 2]);
  });

  it('R5: a resource with more CIs than the limit is never cut; an input within the limit is one run', () => {
    const whole = input();
    expect(splitRun(whole, 2).map((p) => p.items.length)).toEqual([1, 2, 3, 1, 2]);
    const { snapshots: _snapshots, ...withoutSnapshots } = whole;
    expect(splitRun(withoutSnapshots, 100)).toEqual([withoutSnapshots]);
    // With snapshots, one part still re-examines a bounded slice.
    expect(splitRun(whole, 100)).toEqual([
      { ...whole, reexamine: { scopes: [{ accountId: '111122223333', awsRegion: 'eu-west-1' }], limit: 100 } },
    ]);
    expect(() => splitRun(whole, 0)).toThrow(RangeError);
    expect(() => splitRun(whole, 1.5)).toThrow(RangeError);
  });

  it('R5: re-examination continues after the last key a run re-examined, until its record says none remain', () => {
    const last = splitRun(input(), 4).at(-1)!;
    const record = (reexamined: RunRecord['reexamined']): RunRecord => ({
      id: 'r',
      source: 'files',
      scope: last.scope,
      startedAt: T(10),
      status: 'succeeded',
      counts: { items: 0, resources: 0, versions: 0, edges: 0, skipped: 0, duplicates: 0, inferredDeletions: 0 },
      skipped: [],
      notes: [],
      ...(reexamined ? { reexamined } : {}),
    });
    expect(continuation(last, record({ resources: 4, through: 'k4', more: true }), 2)).toEqual({
      source: 'files',
      scope: 'estate/ (part 3 of 3), re-examination 2',
      items: [],
      reexamine: { scopes: [{ accountId: '111122223333', awsRegion: 'eu-west-1' }], limit: 4, after: 'k4' },
      startedAt: T(10),
    });
    expect(continuation(last, record({ resources: 2, through: 'k6', more: false }), 3)).toBeUndefined();
    expect(continuation(last, record(undefined), 2)).toBeUndefined();
  });
});

describe('ImportBatches (R6, R7)', () => {
  const file = (name: string) => ({ sha256: name.repeat(64).slice(0, 64), bytes: 10, path: name });
  const piece = (n: number, from: number): ImportPiece => ({
    items: items(
      ...Array.from({ length: n }, (_, i) => ({ type: 'AWS::EC2::Volume', id: `vol-${from + i}`, time: T(1) })),
    ),
    snapshots: [],
    skipped: [],
    notes: [],
  });

  it('R7: a file is recorded by the run that takes its last item, not held until a run leaves nothing pending', () => {
    const batches = new ImportBatches({ source: 'files', scope: 'estate/' }, 4);
    // Files of 3 items each: runs of 4 are cut at items 4, 8 and 12, each leaving some of a file pending.
    const runs = ['a', 'b', 'c', 'd', 'e'].flatMap((name, i) => batches.add(piece(3, i * 3), file(name)));
    const last = batches.finish()!;
    expect([...runs, last].map((r) => r.items.length)).toEqual([4, 4, 4, 3]);
    // a ends in run 1; b (items 3–5) and c (6–8) end in run 2 and 3; d (9–11) in run 3; e in the last.
    expect([...runs, last].map((r) => (r.files ?? []).map((f) => f.path))).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
  });

  it('R7: a file of events only is recorded by the run that takes its last event', () => {
    const batches = new ImportBatches({ source: 'files', scope: 'trail/' }, 2);
    const event = (id: string): ChangeEvent => ({
      eventId: id,
      eventTime: T(2),
      eventName: 'CreateVolume',
      eventSource: 'ec2.amazonaws.com',
      principal: 'arn:aws:iam::111122223333:user/alice',
      resources: ['vol-a'],
    });
    const events = (...ids: string[]): ImportPiece => ({
      items: [],
      snapshots: [],
      skipped: [],
      notes: [],
      events: ids.map(event),
    });
    const runs = [
      ...batches.add(events('e1', 'e2'), file('a')),
      ...batches.add(events('e3', 'e4'), file('b')),
      ...batches.add(events('e5'), file('c')),
    ];
    const last = batches.finish()!;
    expect([...runs, last].map((r) => (r.events ?? []).length)).toEqual([2, 2, 1]);
    expect([...runs, last].map((r) => (r.files ?? []).map((f) => f.path))).toEqual([['a'], ['b'], ['c']]);
  });
});
