// The explorer's decisions that need no browser: drawing settings and when to ask before drawing,
// what a failed load says and whether the view stays, the notes above the graph, the default ends
// of a comparison, what an export asks for, and the steps of a path.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/src/api.ts';
import { describeLoadFailure, keptViewNotice } from '../../client/src/data/load-failure.ts';
import {
  exportFailureMessage,
  exportQuery,
  neutralLabels,
  pictureAsOf,
  pictureFileName,
} from '../../client/src/export/export-request.ts';
import { mergeFragments, fragmentOf } from '../../client/src/graph/fragments.ts';
import type { KeyValueStore } from '../../client/src/recent.ts';
import {
  defaultSettings,
  largeGraphSignature,
  mustAskBeforeDrawing,
  readSettings,
  saveSettings,
} from '../../client/src/state/settings.ts';
import { defaultViewState } from '../../client/src/state/view-state.ts';
import { compareEnds } from '../../client/src/time/known-times.ts';
import { pathSteps } from '../../client/src/views/path-panel.ts';
import { nameWithType, viewNotes } from '../../client/src/views/view-notes.ts';
import { edge, eni, instance, subnetA, vpc } from './fixtures.ts';

function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('drawing settings', () => {
  it('round-trip through the store, and fall back to the defaults for anything else', () => {
    const store = memoryStore();
    expect(readSettings(store)).toEqual(defaultSettings());
    saveSettings(store, { maxElements: 1200, webgl: true });
    expect(readSettings(store)).toEqual({ maxElements: 1200, webgl: true });
    for (const junk of ['{', '[]', '{"maxElements":10,"webgl":"yes"}', '{"maxElements":"900"}'])
      expect(readSettings(memoryStore({ 'configgraph.settings': junk }))).toEqual(defaultSettings());
  });

  it('ask before drawing above the limit, once per resource and size', () => {
    const s = { maxElements: 100, webgl: false };
    const sig = largeGraphSignature('i-1', 150);
    expect(mustAskBeforeDrawing(100, s, largeGraphSignature('i-1', 100), '')).toBe(false);
    expect(mustAskBeforeDrawing(150, s, sig, '')).toBe(true);
    expect(mustAskBeforeDrawing(150, s, sig, sig)).toBe(false);
    expect(mustAskBeforeDrawing(151, s, largeGraphSignature('i-1', 151), sig)).toBe(true);
    expect(mustAskBeforeDrawing(150, s, largeGraphSignature('i-2', 150), sig)).toBe(true);
  });
});

describe('a failed load', () => {
  it('keeps the drawn view when the server went away or failed, and replaces it otherwise', () => {
    expect(describeLoadFailure('i-1', new TypeError('Failed to fetch'), true).keepView).toBe(true);
    expect(describeLoadFailure('i-1', new ApiError(0, 'offline'), true).keepView).toBe(true);
    expect(describeLoadFailure('i-1', new ApiError(502, 'bad gateway'), true).keepView).toBe(true);
    expect(describeLoadFailure('i-1', new ApiError(502, 'bad gateway'), false).keepView).toBe(false);
    expect(describeLoadFailure('i-1', new ApiError(404, 'not found'), true).keepView).toBe(false);
  });

  it('says what failed and what to do about it', () => {
    const notFound = describeLoadFailure('i-1', new ApiError(404, 'not found'), false);
    expect(notFound.failure).toBe('Could not load i-1: not found');
    expect(notFound.hint).toMatch(/^Nothing matches that reference/);
    const ambiguous = describeLoadFailure(
      'web',
      new ApiError(400, 'ambiguous', undefined, ['a', 'b', 'c', 'd', 'e', 'f']),
      false,
    );
    expect(ambiguous.hint).toBe('It matches several resources; choose one: a, b, c, d, e');
    const token = describeLoadFailure('i-1', new ApiError(401, 'unauthorised'), false);
    expect(token.askToken).toBe(true);
    expect(token.hint).toMatch(/CONFIGGRAPH_TOKEN/);
    expect(describeLoadFailure('i-1', new ApiError(503, 'down'), false).hint).toMatch(/graph store is unavailable/);
    expect(describeLoadFailure('i-1', new ApiError(400, 'bad at', 'ISO-8601'), false).hint).toBe('Accepted: ISO-8601');
    expect(describeLoadFailure('i-1', new Error('boom'), false)).toMatchObject({
      askToken: false,
      hint: 'Check that the server is running, then try again.',
    });
    expect(keptViewNotice('Could not load i-1: offline', 'web')[1]).toMatch(
      /^Still showing the last view that loaded \(web\)/,
    );
  });
});

describe('the notes above the graph', () => {
  const graph = mergeFragments([
    fragmentOf(instance.key, {
      root: instance.key,
      nodes: [instance, eni],
      edges: [edge(instance, eni, 'Contains NetworkInterface')],
      truncated: true,
    }),
  ]);

  it('put the time first, then what failed, what was cut and what filters hide', () => {
    const state = {
      ...defaultViewState(),
      compareFrom: '2026-03-05T00:00:00.000Z',
      compareTo: '2026-03-07T00:00:00.000Z',
    };
    const notes = viewNotes({ graph, fragments: [], notes: ['Could not open a fold.'] }, 1, state);
    expect(notes).toEqual([
      'Comparing 2026-03-05 00:00:00 UTC → 2026-03-07 00:00:00 UTC.',
      'Showing the graph as of 2026-03-07 00:00:00 UTC.',
      'Could not open a fold.',
      'Some neighbours were left out (the neighbourhood is truncated): lower the depth or expand nodes one by one.',
      '1 resource hidden by filters.',
    ]);
  });

  it('name each cut hub instead of the general truncation note', () => {
    const fragments = [
      {
        ...fragmentOf(instance.key, { root: instance.key, nodes: [instance], edges: [], truncated: true }),
        omitted: [{ key: instance.key, count: 40 }],
      },
    ];
    const notes = viewNotes({ graph, fragments, notes: [] }, 2, defaultViewState());
    expect(notes).toEqual([
      'web (EC2 Instance) was cut: 40 of its neighbours left out. Open it, or expand it, to see them.',
      '2 resources hidden by filters.',
    ]);
    expect(nameWithType(graph, vpc.key)).toBe(vpc.key);
  });
});

describe('comparison ends picked from the history list', () => {
  const moments = ['2026-03-02T00:00:00.000Z', '2026-03-05T00:00:00.000Z', '2026-03-07T00:00:00.000Z'].map(Date.parse);

  it('"from" alone compares to the latest known moment', () => {
    expect(compareEnds('2026-03-02T00:00:00.000Z', 'from', {}, moments)).toEqual({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-07T00:00:00.000Z',
    });
  });

  it('"to" alone compares from the known moment before it, or from itself when there is none', () => {
    expect(compareEnds('2026-03-05T00:00:00.000Z', 'to', {}, moments)).toEqual({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-05T00:00:00.000Z',
    });
    expect(compareEnds('2026-03-02T00:00:00.000Z', 'to', {}, moments).from).toBe('2026-03-02T00:00:00.000Z');
  });

  it('keeps the other end already chosen, and puts the earlier end first', () => {
    expect(
      compareEnds(
        '2026-03-07T00:00:00.000Z',
        'from',
        { compareFrom: 'x', compareTo: '2026-03-05T00:00:00.000Z' },
        moments,
      ),
    ).toEqual({ from: '2026-03-05T00:00:00.000Z', to: '2026-03-07T00:00:00.000Z' });
  });
});

describe('exports', () => {
  it('ask for this neighbourhood, or the whole account and region, as of the view time', () => {
    const view = { rootKey: instance.key, depth: 2, viewTime: '2026-03-05T00:00:00.000Z' };
    expect(exportQuery({ ...view, whole: false, redact: false })).toEqual({
      ref: instance.key,
      depth: 2,
      at: '2026-03-05T00:00:00.000Z',
    });
    expect(exportQuery({ ...view, viewTime: undefined, whole: true, redact: true })).toEqual({
      scope: '111122223333/us-east-1',
      redact: 'true',
    });
  });

  it('explain a server that cannot redact, and pass other failures on', () => {
    const refused = new ApiError(400, 'unknown parameter redact');
    expect(exportFailureMessage(refused, true)).toMatch(/^This server cannot redact data exports yet/);
    expect(exportFailureMessage(refused, false)).toBe('Export failed: unknown parameter redact');
  });

  it('name pictures by the time they show, and say it on them', () => {
    const now = new Date('2026-03-09T10:11:12.345Z');
    expect(pictureFileName('svg', undefined, now)).toBe('configgraph-view-2026-03-09T10-11-12-345Z.svg');
    expect(pictureFileName('png', '2026-03-05T00:00:00.000Z', now)).toBe(
      'configgraph-view-2026-03-05T00-00-00-000Z.png',
    );
    expect(pictureAsOf(defaultViewState(), now)).toBe('2026-03-09 10:11:12 UTC (latest)');
    expect(pictureAsOf({ ...defaultViewState(), at: '2026-03-05T00:00:00.000Z' }, now)).toBe('2026-03-05 00:00:00 UTC');
    expect(
      pictureAsOf(
        { ...defaultViewState(), compareFrom: '2026-03-05T00:00:00.000Z', compareTo: '2026-03-07T00:00:00.000Z' },
        now,
      ),
    ).toBe('2026-03-05 00:00:00 UTC → 2026-03-07 00:00:00 UTC (compared)');
  });

  it('number neutral labels per kind, in drawing order', () => {
    const labels = neutralLabels([
      { id: 'a', kind: 'EC2 Instance' },
      { id: 'b', kind: 'subnet' },
      { id: 'c', kind: 'EC2 Instance' },
    ]);
    expect([...labels]).toEqual([
      ['a', 'EC2 Instance 1'],
      ['b', 'subnet 1'],
      ['c', 'EC2 Instance 2'],
    ]);
  });
});

describe('path steps', () => {
  it('read from the start, each relationship with its direction, whatever order the edges come in', () => {
    const steps = pathSteps({
      found: true,
      nodes: [instance, subnetA, vpc],
      edges: [
        edge(subnetA, vpc, 'Is contained in Vpc'),
        edge(subnetA, instance, 'Contains Instance', { origin: 'derived' }),
      ],
    });
    expect(steps).toEqual([
      { text: 'web (EC2 Instance i-1)', edge: false },
      { text: '← "Contains Instance" (derived)', edge: true },
      { text: 'subnet-a (EC2 Subnet)', edge: false },
      { text: '→ "Is contained in Vpc"', edge: true },
      { text: 'main (EC2 VPC vpc-1)', edge: false },
    ]);
  });
});
