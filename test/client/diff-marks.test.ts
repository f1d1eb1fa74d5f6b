import { describe, expect, it } from 'vitest';
import type { GraphDiff } from '../../graph/store.ts';
import {
  combineMarks,
  countMarks,
  marksFromDiff,
  marksFromGraphs,
  unionGraphs,
} from '../../client/src/graph/diff-marks.ts';
import { mergeFragments } from '../../client/src/graph/fragments.ts';
import { edge, eni, instance, node, sg, volume } from './fixtures.ts';

const g = (nodes: (typeof instance)[], edges: ReturnType<typeof edge>[] = []) =>
  mergeFragments([{ owner: 'x', nodes, edges, truncated: false, omitted: [] }]);

describe('compare colouring', () => {
  const attach = edge(instance, volume, 'Is attached to Volume');
  const before = g([instance, volume, sg], [attach]);
  const sgChanged = { ...sg, captureTime: '2026-03-05T10:15:00.000Z' };
  const newEni = eni;
  const after = g([instance, sgChanged, newEni], [edge(instance, newEni, 'Contains NetworkInterface')]);

  it('marks what the view lost, gained and what changed version', () => {
    const m = marksFromGraphs(before, after);
    expect(m.nodes.get(volume.key)).toBe('removed');
    expect(m.nodes.get(eni.key)).toBe('added');
    expect(m.nodes.get(sg.key)).toBe('changed');
    expect(m.nodes.has(instance.key)).toBe(false);
    expect(m.edges.get(attach.id)).toBe('removed');
  });

  it('treats a resource that turned deleted as removed, and one that came back as added', () => {
    const deleted = { ...volume, status: 'ResourceDeleted', captureTime: '2026-03-09T08:30:00.000Z' };
    expect(marksFromGraphs(g([volume]), g([deleted])).nodes.get(volume.key)).toBe('removed');
    expect(marksFromGraphs(g([deleted]), g([volume])).nodes.get(volume.key)).toBe('added');
  });

  it('reads the API diff and lets it win over the view comparison', () => {
    const diff: GraphDiff = {
      from: '2026-03-05T00:00:00.000Z',
      to: '2026-03-07T00:00:00.000Z',
      resources: { added: [eni], removed: [], changed: [{ node: volume }] },
      edges: { added: [], removed: [attach] },
    };
    const fromApi = marksFromDiff(diff);
    expect(fromApi.nodes.get(volume.key)).toBe('changed');
    const combined = combineMarks(fromApi, marksFromGraphs(before, after));
    expect(combined.nodes.get(volume.key)).toBe('changed');
    expect(combined.nodes.get(sg.key)).toBe('changed');
    expect(combined.edges.get(attach.id)).toBe('removed');
  });

  it('shows both sides together and counts marks among visible nodes', () => {
    const u = unionGraphs(before, after);
    expect(u.nodes.has(volume.key)).toBe(true);
    expect(u.nodes.has(eni.key)).toBe(true);
    const m = marksFromGraphs(before, after);
    expect(countMarks(m, [volume.key, eni.key, sg.key, instance.key])).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(countMarks(m, [instance.key, node('AWS::S3::Bucket', 'b').key])).toEqual({
      added: 0,
      removed: 0,
      changed: 0,
    });
  });
});
