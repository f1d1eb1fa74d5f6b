// Small pieces of an import, and a look at whether a promise has settled, for tests of how a streamed
// import hands its runs to a store.
import { items, T } from './ci-builder.ts';

/** A piece of one file: `n` buckets, named from `from`, enough to fill a run of 2 items. */
export const piece = (from: number, n = 3) => ({
  items: items(...Array.from({ length: n }, (_, i) => ({ type: 'AWS::S3::Bucket', id: `b${from + i}`, time: T(1) }))),
  snapshots: [],
  skipped: [],
  notes: [],
});

/** Whether `p` has settled once everything queued so far has run. */
export async function settledNow(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}
