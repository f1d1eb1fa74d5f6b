// Loading what a view state shows, against a fake API: what is cached and when it is asked again,
// what a partial failure says, and how a comparison and a path are assembled.
import { describe, expect, it } from 'vitest';
import type { GraphDiff, Neighborhood, PathResult, ResourceHistory } from '../../graph/store.ts';
import type { PurposeView } from '../../graph/view-plans.ts';
import { ApiError } from '../../client/src/api.ts';
import { neighbourhoodKey, RequestCache } from '../../client/src/data/request-cache.ts';
import { rootLabel, rootType, ViewData, type GraphSource } from '../../client/src/data/view-data.ts';
import { defaultViewState, type ViewState } from '../../client/src/state/view-state.ts';
import { edge, eni, instance, subnetA, volume, vpc } from './fixtures.ts';

const T1 = '2026-03-02T00:30:00.000Z';
const T2 = '2026-03-05T00:00:00.000Z';
const T3 = '2026-03-07T00:00:00.000Z';

/** A fake API over a fixed world; `calls` records every request, `fail` makes chosen ones fail. */
function fakeSource(opts: { fail?: (what: string, ref: string, at?: string) => boolean; pathFound?: boolean } = {}) {
  const calls: string[] = [];
  /** Compliance requests, apart from `calls` (every load asks one). */
  const reports: string[] = [];
  const failIf = (what: string, ref: string, at?: string) => {
    calls.push(`${what} ${ref}${at ? ` @${at}` : ''}`);
    if (opts.fail?.(what, ref, at)) return Promise.reject(new ApiError(404, `no ${what} for ${ref}`));
    return undefined;
  };
  const hood = (ref: string): Neighborhood =>
    ref === instance.key
      ? {
          root: instance.key,
          nodes: [instance, eni, volume],
          edges: [edge(instance, eni, 'Contains NetworkInterface'), edge(instance, volume, 'Is attached to Volume')],
          truncated: false,
        }
      : { root: ref, nodes: [subnetA, vpc], edges: [edge(subnetA, vpc, 'Is contained in Vpc')], truncated: false };
  const source: GraphSource = {
    neighborhood: (ref, o) => failIf('neighbourhood', ref, o.at) ?? Promise.resolve(hood(ref)),
    view: (ref, o) =>
      failIf(`view:${o.kind}`, ref, o.at) ??
      Promise.resolve({ ...hood(ref), kind: o.kind, folds: [] } satisfies PurposeView),
    history: (ref) =>
      failIf('history', ref) ??
      Promise.resolve({
        resource: instance,
        versions: [
          { captureTime: T1, status: 'OK', inferred: false, source: 'ci-array', changes: {} },
        ] as unknown as ResourceHistory['versions'],
        compliance: [],
      }),
    diff: (from, to) =>
      failIf('diff', `${from}..${to}`) ??
      Promise.resolve({
        from,
        to,
        resources: { added: [volume], removed: [], changed: [] },
        edges: { added: [], removed: [] },
      } satisfies GraphDiff),
    // The volume breaks encrypted-volumes from T3 on (and now); nothing breaks a rule before.
    compliance: (q) => {
      reports.push(`${q.status ?? ''} @${q.at ?? 'now'}`);
      if (opts.fail?.('compliance', '', q.at)) return Promise.reject(new ApiError(500, 'compliance down'));
      const breaks = !q.at || q.at >= T3;
      return Promise.resolve({
        at: q.at ?? null,
        results: breaks
          ? [{ resource: volume, rule: 'encrypted-volumes', status: 'NON_COMPLIANT' as const, since: T3 }]
          : [],
      });
    },
    path: (from, to, at) =>
      failIf('path', `${from}->${to}`, at) ??
      Promise.resolve(
        ((opts.pathFound ?? true)
          ? { found: true, nodes: [instance, subnetA], edges: [edge(instance, subnetA, 'Is contained in Subnet')] }
          : { found: false, nodes: [], edges: [] }) satisfies PathResult,
      ),
  };
  return { source, calls, reports };
}

const state = (patch: Partial<ViewState> = {}): ViewState & { resource: string } => ({
  ...defaultViewState(),
  resource: instance.key,
  ...patch,
});

describe('the request cache', () => {
  it('asks once per key, forgets a failure so the next ask retries, and forgets all on clear', async () => {
    const cache = new RequestCache<number>();
    let asked = 0;
    const ok = () => Promise.resolve(++asked);
    expect(await cache.get('a', ok)).toBe(1);
    expect(await cache.get('a', ok)).toBe(1);
    await expect(cache.get('b', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.has('b')).toBe(false);
    expect(await cache.get('b', ok)).toBe(2);
    cache.clear();
    expect(await cache.get('a', ok)).toBe(3);
  });

  it('a failure from before a clear does not evict the answer asked for after it', async () => {
    const cache = new RequestCache<string>();
    let reject!: (e: Error) => void;
    const old = cache.get('k', () => new Promise<string>((_, r) => (reject = r)));
    cache.clear();
    await cache.get('k', () => Promise.resolve('new'));
    reject(new Error('late'));
    await expect(old).rejects.toThrow('late');
    expect(cache.has('k')).toBe(true);
  });

  it('keys a neighbourhood by resource, depth and time ("now" when absent)', () => {
    const keys = new Set([
      neighbourhoodKey(instance.key, 1, undefined),
      neighbourhoodKey(instance.key, 2, undefined),
      neighbourhoodKey(instance.key, 1, T2),
      neighbourhoodKey(vpc.key, 1, undefined),
    ]);
    expect(keys.size).toBe(4);
    expect(neighbourhoodKey(instance.key, 1, undefined)).toBe(neighbourhoodKey(instance.key, 1, undefined));
  });
});

describe('loading a view', () => {
  it('by hops: the root and one fragment per expanded node, from the cache the second time', async () => {
    const { source, calls } = fakeSource();
    const data = new ViewData(source);
    const loaded = await data.load(state({ expanded: [subnetA.key] }), 'hops');
    expect(loaded.rootKey).toBe(instance.key);
    expect(loaded.fragments.map((f) => f.owner)).toEqual([instance.key, subnetA.key]);
    expect([...loaded.graph.nodes.keys()].sort()).toEqual(
      [instance, eni, volume, subnetA, vpc].map((n) => n.key).sort(),
    );
    expect(loaded.notes).toEqual([]);
    await data.load(state({ expanded: [subnetA.key] }), 'hops');
    expect(calls.filter((c) => c.startsWith('neighbourhood'))).toHaveLength(2);
    expect(calls.filter((c) => c.startsWith('history'))).toHaveLength(1);
    data.clear();
    await data.load(state({ expanded: [subnetA.key] }), 'hops');
    expect(calls.filter((c) => c.startsWith('neighbourhood'))).toHaveLength(4);
  });

  it('a view by purpose asks the view; a failed expansion is a note, not a failure', async () => {
    const { source, calls } = fakeSource({ fail: (what, ref) => what === 'neighbourhood' && ref === vpc.key });
    const loaded = await new ViewData(source).load(state({ expanded: [vpc.key] }), 'attachments');
    expect(calls[0]).toBe(`view:attachments ${instance.key}`);
    expect(loaded.fragments).toHaveLength(1);
    expect(loaded.notes).toHaveLength(1);
    expect(loaded.notes[0]).toMatch(/^Could not expand /);
    expect(loaded.notes[0]).toContain(`: no neighbourhood for ${vpc.key}`);
  });

  it('fails when the start resource itself cannot be loaded', async () => {
    const { source } = fakeSource({ fail: (what) => what === 'neighbourhood' });
    await expect(new ViewData(source).load(state(), 'hops')).rejects.toThrow(ApiError);
  });

  it('compares: both ends by time, the union drawn, marks from the account-wide diff', async () => {
    const { source, calls } = fakeSource();
    const loaded = await new ViewData(source).load(state({ compareFrom: T2, compareTo: T3 }), 'hops');
    expect(calls).toContain(`neighbourhood ${instance.key} @${T2}`);
    expect(calls).toContain(`neighbourhood ${instance.key} @${T3}`);
    expect(calls).toContain(`diff ${T2}..${T3}`);
    expect(loaded.marks?.nodes.get(volume.key)).toBe('added');
    expect(loaded.notes).toEqual([]);
  });

  it('compares: a resource missing at "from", and a failed diff, each say so', async () => {
    const { source } = fakeSource({
      fail: (what, _ref, at) => (what === 'neighbourhood' && at === T2) || what === 'diff',
    });
    const loaded = await new ViewData(source).load(state({ compareFrom: T2, compareTo: T3 }), 'hops');
    expect(loaded.notes).toEqual([
      'The resource did not exist at 2026-03-05 00:00:00 UTC.',
      `Compared the view only (the account-wide diff failed: no diff for ${T2}..${T3}).`,
    ]);
    expect(loaded.marks).toBeDefined();
  });

  it('draws a path found into the graph, at the view time; a path not found is a note', async () => {
    const found = fakeSource();
    const loaded = await new ViewData(found.source).load(state({ pathTo: subnetA.key, at: T2 }), 'hops');
    expect(found.calls).toContain(`path ${instance.key}->${subnetA.key} @${T2}`);
    expect(loaded.graph.nodes.has(subnetA.key)).toBe(true);
    expect(loaded.path?.nodes).toEqual(new Set([instance.key, subnetA.key]));
    const missing = fakeSource({ pathFound: false });
    const none = await new ViewData(missing.source).load(state({ pathTo: subnetA.key }), 'hops');
    expect(none.path?.result.found).toBe(false);
    expect(none.notes).toEqual(['No path between the two resources within the search depth.']);
  });

  it('collects the moments it saw for the time slider, history included, and survives a failed history', async () => {
    const { source } = fakeSource();
    const data = new ViewData(source);
    await data.load(state(), 'hops');
    expect(data.knownTimes.range(Date.parse(T3)).moments).toEqual([Date.parse(T1)]);
    const failing = new ViewData(fakeSource({ fail: (what) => what === 'history' }).source);
    await expect(failing.load(state(), 'hops')).resolves.toBeDefined();
  });

  it('names and types the start resource from what is loaded, else from the reference', async () => {
    const loaded = await new ViewData(fakeSource().source).load(state(), 'hops');
    expect(rootLabel(loaded, instance.key)).toBe('web');
    expect(rootLabel(undefined, 'i-1')).toBe('i-1');
    expect(rootType(undefined, vpc.key)).toBe('AWS::EC2::VPC');
    expect(rootType(loaded, 'web')).toBe('AWS::EC2::Instance');
  });
});

describe('compliance in the loaded view', () => {
  it('asks the non-compliant results once per view time and marks who breaks which rule', async () => {
    const { source, reports } = fakeSource();
    const data = new ViewData(source);
    const loaded = await data.load(state({ at: T3 }), 'hops');
    expect(loaded.compliance?.broken.get(volume.key)).toEqual(['encrypted-volumes']);
    expect(loaded.compliance?.rules).toEqual(['encrypted-volumes']);
    await data.load(state({ at: T3, depth: 2 }), 'hops');
    expect(reports).toEqual([`NON_COMPLIANT @${T3}`]);
    const before = await data.load(state({ at: T2 }), 'hops');
    expect(before.compliance?.broken.size).toBe(0);
    expect(reports).toHaveLength(2);
  });

  it('compares: what became non-compliant between the two ends', async () => {
    const { source } = fakeSource();
    const loaded = await new ViewData(source).load(state({ compareFrom: T2, compareTo: T3 }), 'hops');
    expect(loaded.compliance?.changes).toEqual([
      { key: volume.key, rule: 'encrypted-volumes', change: 'became-non-compliant' },
    ]);
  });

  it('compares: a rule no longer broken became compliant only where its result is COMPLIANT, not NOT_APPLICABLE or INSUFFICIENT_DATA', async () => {
    const { source } = fakeSource();
    // At T2 the volume breaks three rules; at T3 one is COMPLIANT, one NOT_APPLICABLE, one INSUFFICIENT_DATA.
    const results = (at: string) =>
      at < T3
        ? (['encrypted-volumes', 'backup-plan', 'tagged'] as const).map((rule) => ({
            rule,
            status: 'NON_COMPLIANT' as const,
          }))
        : [
            { rule: 'encrypted-volumes', status: 'COMPLIANT' as const },
            { rule: 'backup-plan', status: 'NOT_APPLICABLE' as const },
            { rule: 'tagged', status: 'INSUFFICIENT_DATA' as const },
          ];
    source.compliance = (q) =>
      Promise.resolve({
        at: q.at ?? null,
        results: results(q.at ?? T3)
          .filter((r) => !q.status || r.status === q.status)
          .map((r) => ({ ...r, resource: volume, since: T2 })),
      });
    const loaded = await new ViewData(source).load(state({ compareFrom: T2, compareTo: T3 }), 'hops');
    expect(loaded.compliance?.changes).toEqual([
      { key: volume.key, rule: 'encrypted-volumes', change: 'became-compliant' },
    ]);
  });

  it('a failed compliance request is a note, and the graph still loads', async () => {
    const { source } = fakeSource({ fail: (what) => what === 'compliance' });
    const loaded = await new ViewData(source).load(state(), 'hops');
    expect(loaded.compliance).toBeUndefined();
    expect(loaded.graph.nodes.has(instance.key)).toBe(true);
    expect(loaded.notes.join(' ')).toContain('Compliance is not shown');
  });
});
