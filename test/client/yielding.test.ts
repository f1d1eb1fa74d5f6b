// Work spread over tasks (client/src/views/yielding.ts): the page answers between the steps of shaping a view
// and between the slices of a big view's elements, and a newer draw stops the older one's work.
import { describe, expect, it } from 'vitest';
import { inSteps, inTimedSlices } from '../../client/src/views/yielding.ts';

/** Records, in order, the steps run and the timers that fired between them. */
function* counting(log: string[], steps: number): Generator<void, string, void> {
  for (let i = 0; i < steps; i++) {
    log.push(`step ${i}`);
    if (i < steps - 1) yield;
  }
  return 'done';
}

describe('inSteps', () => {
  it('runs a generator to its end, a step per task: a timer set before it fires between its steps', async () => {
    const log: string[] = [];
    setTimeout(() => log.push('timer'), 0);
    await expect(inSteps(counting(log, 3), () => false)).resolves.toBe('done');
    expect(log).toEqual(['step 0', 'timer', 'step 1', 'step 2']);
  });

  it('leaves the rest when stale between two steps', async () => {
    const log: string[] = [];
    let stale = false;
    setTimeout(() => (stale = true), 0);
    await expect(inSteps(counting(log, 3), () => stale)).resolves.toBeUndefined();
    expect(log).toEqual(['step 0']);
  });
});

describe('inTimedSlices', () => {
  /** A clock that work advances: `perItem` ms for each item it is given. */
  function pacedWork(perItem: (item: number) => number) {
    let now = 0;
    const slices: number[][] = [];
    return {
      slices,
      now: () => now,
      work: (slice: readonly number[]) => {
        slices.push([...slice]);
        for (const item of slice) now += perItem(item);
      },
    };
  }
  const items = Array.from({ length: 1000 }, (_, i) => i);

  it('does every item once, in order, each slice sized to the budget at the pace of the last', async () => {
    const paced = pacedWork(() => 0.5);
    await expect(inTimedSlices(items, { first: 10, ms: 40 }, () => false, paced.work, paced.now)).resolves.toBe(true);
    expect(paced.slices.flat()).toEqual(items);
    // 20 at least, then doubling (never more than twice the last) up to the 80 items that fit in 40 ms.
    expect(paced.slices.map((s) => s.length).slice(0, 5)).toEqual([20, 40, 80, 80, 80]);
  });

  it('shrinks the slices when the items get dearer, never below 20', async () => {
    const paced = pacedWork((i) => (i < 100 ? 0.1 : 10));
    await inTimedSlices(items, { first: 100, ms: 50 }, () => false, paced.work, paced.now);
    expect(paced.slices.flat()).toEqual(items);
    const sizes = paced.slices.map((s) => s.length);
    // 100 cheap items fit 500 a slice (at most 200, twice the last); 10 ms items fit 5, so 20 a slice.
    expect(sizes.slice(0, 3)).toEqual([100, 200, 20]);
    expect(Math.min(...sizes)).toBe(20);
  });

  it('stops before a slice once stale, leaving the rest', async () => {
    const paced = pacedWork(() => 1);
    let calls = 0;
    const done = await inTimedSlices(items, { first: 50, ms: 50 }, () => ++calls > 2, paced.work, paced.now);
    expect(done).toBe(false);
    expect(paced.slices.flat()).toEqual(items.slice(0, 100));
  });
});
