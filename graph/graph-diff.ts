// The difference between the graph at two times (SPEC Q7), as a pure function of two snapshots.
import type { GraphEdge, IsoTime } from './model.ts';
import type { GraphDiff, GraphSnapshot } from './store.ts';

/** An edge's identity across time: the same relationship, whatever interval it is in. */
export const edgeIdentity = (e: GraphEdge) => [e.source, e.target, e.name, e.origin, e.rule ?? ''].join('\u0000');

/** `identity` is edgeIdentity, or a lookup of it computed before (diff-of.ts reuses the ones it compared). */
export function diffSnapshots(
  from: IsoTime,
  to: IsoTime,
  before: GraphSnapshot,
  after: GraphSnapshot,
  identity: (e: GraphEdge) => string = edgeIdentity,
): GraphDiff {
  const b = new Map(before.nodes.filter((n) => n.recorded).map((n) => [n.key, n]));
  const a = new Map(after.nodes.filter((n) => n.recorded).map((n) => [n.key, n]));
  const diff: GraphDiff = {
    from,
    to,
    resources: { added: [], removed: [], changed: [] },
    edges: { added: [], removed: [] },
  };
  for (const [k, n] of a) {
    const old = b.get(k);
    if (!old) diff.resources.added.push(n);
    else if (old.captureTime !== n.captureTime) {
      const c: GraphDiff['resources']['changed'][number] = { node: n };
      if (old.captureTime) c.fromCaptureTime = old.captureTime;
      if (n.captureTime) c.toCaptureTime = n.captureTime;
      diff.resources.changed.push(c);
    }
  }
  for (const [k, n] of b) if (!a.has(k)) diff.resources.removed.push(n);
  const be = new Map(before.edges.map((e) => [identity(e), e]));
  const ae = new Map(after.edges.map((e) => [identity(e), e]));
  for (const [id, e] of ae) if (!be.has(id)) diff.edges.added.push(e);
  for (const [id, e] of be) if (!ae.has(id)) diff.edges.removed.push(e);
  return diff;
}
