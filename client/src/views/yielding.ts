// Work spread over tasks, yielding between them so the page answers (input, frames) whatever the machine's
// speed: a generator run a step per task, and work on many elements done a slice per task, each slice sized
// from what the last one took. On a slow state of the benchmark's VM, a fixed 600 elements a slice took
// 290–390 ms and shaping a view of 10,000 elements 250–320 ms (docs/benchmarks.md, "fifteenth session").

/** Resolves in a task of its own: what follows runs after the page has had its turn (input, frames). */
export const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs `steps` to its end, a step per task (what it yields between them is ignored). Resolves undefined,
 * leaving the rest, when `stale()` says so between two steps.
 */
export async function inSteps<R>(steps: Generator<unknown, R, void>, stale: () => boolean): Promise<R | undefined> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTask();
    if (stale()) return undefined;
  }
}

/** How a run is sliced: the first slice's size, and the time each later slice is sized to take. */
export interface SliceBudget {
  first: number;
  ms: number;
}

/** Never fewer than this a slice: a yield costs a task (4 ms once timeouts nest), whatever the slice's size. */
const MIN_SLICE = 20;

/**
 * Runs `work` over `items` in order, a slice per task (the first after a yield too). Each slice after the
 * first holds as many items as the last one's pace fits in `budget.ms`, at most twice as many as the last
 * (the next items may cost more). Resolves false, leaving the rest, when `stale()` says so before a slice.
 */
export async function inTimedSlices<T>(
  items: readonly T[],
  budget: SliceBudget,
  stale: () => boolean,
  work: (slice: T[]) => void,
  now: () => number = () => performance.now(),
): Promise<boolean> {
  let size = Math.max(MIN_SLICE, budget.first);
  for (let i = 0; i < items.length;) {
    await nextTask();
    if (stale()) return false;
    const slice = items.slice(i, i + size);
    const start = now();
    work(slice);
    const took = now() - start;
    i += slice.length;
    const fits = took > 0 ? Math.floor((slice.length * budget.ms) / took) : size * 2;
    size = Math.max(MIN_SLICE, Math.min(size * 2, fits));
  }
  return true;
}
