// The moments the explorer has seen (captures, edges opening and closing, history versions): they
// set the time slider's range and ticks, and the default ends of a comparison.
import type { LoadedGraph } from '../graph/fragments.ts';
import { timeRange, type TimeRange } from './time-range.ts';

export class KnownTimes {
  private readonly times = new Set<string>();

  addGraph(graph: LoadedGraph): void {
    for (const n of graph.nodes.values()) this.times.add(n.captureTime ?? '');
    for (const e of graph.edges.values()) {
      this.times.add(e.validFrom);
      if (e.validTo) this.times.add(e.validTo);
    }
  }

  add(time: string): void {
    this.times.add(time);
  }

  range(now: number): TimeRange {
    return timeRange(this.times, now);
  }
}

/**
 * Sets one end of a comparison (from the history list) to `time`. The other end keeps its value,
 * or else takes its default: "to" the latest known moment, "from" the known moment before `time`
 * (or `time` itself). The ends come back in order, earlier first.
 */
export function compareEnds(
  time: string,
  end: 'from' | 'to',
  current: { compareFrom?: string | undefined; compareTo?: string | undefined },
  moments: readonly number[],
): { from: string; to: string } {
  const last = moments[moments.length - 1];
  const latest = last === undefined ? undefined : new Date(last).toISOString();
  const other = end === 'from' ? (current.compareTo ?? latest) : current.compareFrom;
  let from = end === 'from' ? time : other;
  let to = end === 'to' ? time : other;
  if (from === undefined) {
    const earlier = moments.filter((m) => m < Date.parse(time));
    const prev = earlier[earlier.length - 1];
    from = prev === undefined ? time : new Date(prev).toISOString();
  }
  if (to === undefined) to = time;
  if (from > to) [from, to] = [to, from];
  return { from, to };
}
