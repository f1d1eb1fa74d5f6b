// Every query a store answers, in one value, for tests that check two stores hold the same data
// (a migrated store against a fresh import, SPEC S3).
import type { GraphStore } from '../../graph/store.ts';

/**
 * stats, runs, canonicalExport, search, neighborhood (now and at the first capture time), history, graphAt
 * at every capture time, and diff, with what legitimately differs between two imports of the same data made
 * at different moments (run ids, run start and end times) replaced by the run's position.
 */
export async function answers(store: GraphStore): Promise<unknown> {
  const runs = await store.runs();
  const canonical = await store.canonicalExport();
  const keys = canonical.resources.map((r) => r.key);
  const recorded = canonical.resources.filter((r) => r.recorded).map((r) => r.key);
  const times = [...new Set(canonical.versions.map((v) => v.captureTime))].sort();
  const out = {
    stats: await store.stats(),
    runs,
    canonical,
    search: await Promise.all(['i-', 'sg-', 'vol', 'arn:aws', 'default', 'efs'].map((q) => store.search(q))),
    neighborhoods: await Promise.all(keys.map((k) => store.neighborhood(k, { depth: 2 }))),
    neighborhoodsAt: await Promise.all(recorded.map((k) => store.neighborhood(k, { depth: 1, at: times[0]! }))),
    history: await Promise.all(recorded.map((k) => store.history(k))),
    graphAt: await Promise.all([undefined, ...times].map((t) => store.graphAt(t))),
    diff: await store.diff(times[0]!, times[times.length - 1]!),
  };
  let text = JSON.stringify(out);
  runs.forEach((r, i) => {
    text = text.replaceAll(r.id, `run-${runs.length - i}`);
    for (const t of [r.startedAt, r.endedAt])
      if (t) text = text.replaceAll(`"${t}"`, `"time of run ${runs.length - i}"`);
  });
  return JSON.parse(text);
}
