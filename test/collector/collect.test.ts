// The collector through the real SDK over real HTTP against the local Config endpoint, serving a
// seeded synthetic environment from the demo generator.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMPLIANCE_RESOURCE_TYPE } from '../../graph/compliance.ts';
import type { GraphStore } from '../../graph/store.ts';
import { formatSummary } from '../../server/collect/summary.ts';
import { CollectionAborted, type CollectSummary } from '../../server/collect/collector.ts';
import {
  ConfigWorld,
  generatorItems,
  startConfigEndpoint,
  worldKey,
  type ConfigEndpoint,
  type EndpointOptions,
  type LoggedRequest,
  type WorldItem,
} from '../support/config-endpoint/index.ts';
import { FAKE_KEY_ID, FAKE_SECRET, harness, readAll, useFakeCredentials, type Harness } from './helpers.ts';

useFakeCredentials();

const REGIONS = ['us-east-1', 'eu-west-1'];
/** Treated by this endpoint as types advanced query does not return. */
const NOT_QUERYABLE = ['AWS::EC2::EIP', 'AWS::RDS::DBSubnetGroup'];
let items: WorldItem[];
let account: string;
let worldStart: string;
let worldEnd: string;

const newWorld = () => new ConfigWorld(items, { notQueryable: NOT_QUERYABLE, globalRegion: 'us-east-1' });

beforeAll(async () => {
  const g = generatorItems({
    seed: 42,
    accounts: 2,
    regions: REGIONS,
    vpcsPerRegion: 2,
    subnetsPerVpc: 3,
    instancesPerSubnet: 4,
    days: 20,
    changeRate: 0.08,
  });
  items = g.items;
  worldStart = g.start;
  worldEnd = g.end;
  account = [...new Set(items.map((i) => i.accountId))].sort()[0]!;
});

const open: { endpoint?: ConfigEndpoint; h?: Harness }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.h?.cleanup();
    await o.endpoint?.close();
  }
});

async function setup(opts: Omit<EndpointOptions, 'world'> = {}, world = newWorld()) {
  const endpoint = await startConfigEndpoint({ world, callerAccount: account, ...opts });
  const h = harness(endpoint.url, { regions: REGIONS, now: new Date(worldEnd) });
  open.push({ endpoint, h });
  return { endpoint, h, world };
}

/** `key|captureTime` of every stored, non-inferred version, with multiplicity. */
async function storedIds(store: GraphStore): Promise<string[]> {
  const ex = await store.canonicalExport();
  return ex.versions.filter((v) => !v.inferred).map((v) => `${v.key}|${v.captureTime}`);
}

const servedIds = (log: LoggedRequest[]) => new Set(log.flatMap((l) => l.served));
const ceil100 = (n: number) => Math.ceil(n / 100);

function expectedCalls(world: ConfigWorld) {
  let calls = 0;
  const unsupported = new Set<string>();
  for (const region of REGIONS) {
    const cur = world.current({ accountId: account, region });
    const queryable = cur.filter((i) => !NOT_QUERYABLE.includes(i.resourceType));
    calls += 1 + Math.max(1, ceil100(queryable.length)); // counts + Select pages
    for (const t of NOT_QUERYABLE) {
      const m = cur.filter((i) => i.resourceType === t).length;
      if (m === 0) continue;
      unsupported.add(`${region} ${t}`);
      calls += ceil100(m) * 2; // ListDiscoveredResources pages + BatchGet calls
    }
  }
  return { calls, unsupportedTypes: unsupported.size };
}

describe('collect (account mode, synthetic environment)', () => {
  it('stores every CI served exactly once, within the call budget for a full snapshot', async () => {
    const { endpoint, h, world } = await setup();
    const summary = await h.run();
    const stored = await storedIds(h.store);
    expect(new Set(stored).size).toBe(stored.length);
    expect(new Set(stored)).toEqual(servedIds(endpoint.log));

    const n = REGIONS.reduce((a, r) => a + world.current({ accountId: account, region: r }).length, 0);
    expect(summary.resources).toBe(n);
    const budget = expectedCalls(world);
    expect(n).toBeGreaterThan(100); // more than one page per region somewhere
    // Budget: ceil(N/100) per region for Select, one counts call per region, and per unsupported
    // type one ListDiscoveredResources page and one BatchGet call per 100 of its resources.
    expect(endpoint.calls()).toBe(budget.calls);
    expect(endpoint.calls()).toBeLessThanOrEqual(ceil100(n) + REGIONS.length * 2 + budget.unsupportedTypes * 2);
    expect(summary.totalCalls).toBe(endpoint.calls());
    expect(summary.snapshots).toBe(3); // two regions plus the global scope served from us-east-1
    expect(summary.status).toBe('succeeded');

    // Every Select named the nested documents explicitly and stayed within Config's limits.
    for (const l of endpoint.log.filter((x) => x.operation === 'SelectResourceConfig')) {
      const expr = String(l.params.Expression);
      expect(expr.length).toBeLessThanOrEqual(4096);
      for (const f of [
        'configuration',
        'relationships',
        'tags',
        'configurationItemStatus',
        'supplementaryConfiguration',
        'configurationStateId',
        'arn',
      ])
        expect(expr).toContain(f);
      expect(l.params.Limit).toBe(100);
    }
    for (const l of endpoint.log.filter((x) => x.operation === 'BatchGetResourceConfig'))
      expect((l.params.resourceKeys as unknown[]).length).toBeLessThanOrEqual(100);

    // Compliance items are collected with everything else, and the run counts them.
    const compliance = stored.filter((id) => id.split('|')[2] === COMPLIANCE_RESOURCE_TYPE).length;
    expect(compliance).toBeGreaterThan(0);
    expect(summary.run.counts.compliance).toBe(compliance);
    expect(formatSummary(summary)).toContain(`(${compliance} compliance items)`);
  });

  it('pages through small pages and BatchGet keys left unprocessed', async () => {
    const { endpoint, h, world } = await setup({
      pageSize: { SelectResourceConfig: 7, ListDiscoveredResources: 2 },
      unprocessedPerBatch: 1,
    });
    const summary = await h.run();
    const stored = await storedIds(h.store);
    expect(new Set(stored)).toEqual(servedIds(endpoint.log));
    expect(summary.resources).toBe(
      REGIONS.reduce((a, r) => a + world.current({ accountId: account, region: r }).length, 0),
    );
    expect(
      endpoint.log.filter((l) => l.operation === 'SelectResourceConfig' && l.params.NextToken).length,
    ).toBeGreaterThan(5);
  });

  it('completes with every item when 30% of calls are throttled', async () => {
    const clean = await setup();
    await clean.h.run();
    const baseline = await clean.h.store.canonicalExport();

    const { endpoint, h } = await setup({ throttleRate: 0.3, throttleSeed: 7, pageSize: { SelectResourceConfig: 20 } });
    const summary = await h.run({ maxAttempts: 3, pageRetries: 8 });
    expect(summary.throttles).toBeGreaterThan(3);
    expect(summary.throttles).toBe(endpoint.log.filter((l) => l.outcome === 'ThrottlingException').length);
    expect(await h.store.canonicalExport()).toEqual(baseline);
    expect(summary.status).toBe('succeeded');
  }, 120_000);

  it('survives 500s and a malformed body', async () => {
    const clean = await setup();
    await clean.h.run();
    const baseline = await clean.h.store.canonicalExport();

    const { endpoint, h } = await setup({
      pageSize: { SelectResourceConfig: 30 },
      faults: [
        { kind: 'internal', operation: 'SelectResourceConfig', after: 1, times: 2 },
        { kind: 'malformed', operation: 'SelectResourceConfig', after: 3 },
        { kind: 'unavailable', operation: 'BatchGetResourceConfig' },
      ],
    });
    const summary = await h.run();
    expect(endpoint.log.some((l) => l.outcome === 'malformed')).toBe(true);
    expect(summary.serverErrors).toBeGreaterThanOrEqual(4);
    expect(await h.store.canonicalExport()).toEqual(baseline);
  });

  it('reports AccessDenied on one region and stores the others', async () => {
    const { h, world } = await setup({ accessDenied: [{ regions: ['eu-west-1'] }] });
    const summary = await h.run();
    expect(summary.status).toBe('partial');
    expect(summary.skipped.map((s) => s.reason).join('\n')).toMatch(
      /eu-west-1: advanced query failed \(AccessDeniedException/,
    );
    expect(summary.scopes.find((s) => s.scope === 'eu-west-1')?.complete).toBe(false);
    const stored = new Set((await h.store.canonicalExport()).versions.map((v) => v.key));
    const east = world.current({ accountId: account, region: 'us-east-1' }).map(worldKey);
    expect(east.every((k) => stored.has(k))).toBe(true);
    expect([...stored].some((k) => k.includes('|eu-west-1|'))).toBe(false);
    expect(summary.snapshots).toBe(2); // us-east-1 and global only: nothing inferred for the denied region
    const runs = await h.store.runs();
    expect(runs[0]?.skipped.some((s) => /AccessDenied/.test(s.reason))).toBe(true);
  });

  it('reports AccessDenied on one type and keeps the rest of the region', async () => {
    const { h } = await setup({
      accessDenied: [{ operations: ['BatchGetResourceConfig'], resourceTypes: ['AWS::EC2::EIP'] }],
    });
    const summary = await h.run();
    expect(summary.skipped.map((s) => s.reason).join('\n')).toMatch(
      /AWS::EC2::EIP not collected \(AccessDeniedException/,
    );
    expect(summary.resources).toBeGreaterThan(100);
    // Both regions are incomplete (the type is denied in each), so no deletions are inferred anywhere.
    expect(summary.snapshots).toBe(0);
    expect(summary.scopes.every((s) => !s.complete)).toBe(true);
  });
});

describe('history', () => {
  it('fetches history in 7-day windows through empty pages and stores each CI once', async () => {
    const { endpoint, h, world } = await setup({ emptyHistoryPages: 1, pageSize: { GetResourceConfigHistory: 4 } });
    const summary = await h.run({ regions: ['eu-west-1'], history: worldStart, concurrency: 6 });
    const hist = endpoint.log.filter((l) => l.operation === 'GetResourceConfigHistory');
    for (const l of hist) {
      expect(Number(l.params.laterTime) - Number(l.params.earlierTime)).toBeLessThanOrEqual(7 * 24 * 3600);
      expect(Number(l.params.limit)).toBeLessThanOrEqual(100);
    }
    expect(summary.history?.emptyPages).toBeGreaterThan(0);
    const stored = await storedIds(h.store);
    expect(new Set(stored).size).toBe(stored.length);
    expect(new Set(stored)).toEqual(servedIds(endpoint.log));
    // Every CI of every current resource in the account is now stored.
    const current = new Set(world.current({ accountId: account, region: 'eu-west-1' }).map(worldKey));
    const expected = items
      .filter((i) => current.has(worldKey(i)))
      .map((i) => `${worldKey(i)}|${i.configurationItemCaptureTime}`);
    expect(new Set(stored)).toEqual(new Set(expected));
    // Compliance items' history too: several versions of one evaluated resource's results.
    const complianceVersions = stored.filter((id) => id.split('|')[2] === COMPLIANCE_RESOURCE_TYPE);
    expect(complianceVersions.length).toBeGreaterThan(
      new Set(complianceVersions.map((id) => id.split('|').slice(0, 4).join('|'))).size,
    );
  }, 120_000);

  it('makes no history call for a resource whose current CI predates the span, and keeps the rest complete', async () => {
    const { endpoint, h, world } = await setup();
    const summary = await h.run({ regions: ['eu-west-1'], history: '7d' });
    const since = new Date(Date.parse(worldEnd) - 7 * 24 * 3600_000).toISOString();
    const current = world.current({ accountId: account, region: 'eu-west-1' });
    const changed = current.filter((c) => c.configurationItemCaptureTime >= since);
    // The estate has both kinds, or the test proves nothing.
    expect(changed.length).toBeGreaterThan(0);
    expect(current.length - changed.length).toBeGreaterThan(changed.length);

    const hist = endpoint.log.filter((l) => l.operation === 'GetResourceConfigHistory');
    expect(new Set(hist.map((l) => l.params.resourceId))).toEqual(new Set(changed.map((c) => c.resourceId)));
    expect(summary.history?.resources).toBe(changed.length);
    expect(summary.history?.unchangedInSpan).toBe(current.length - changed.length);
    // Every CI of a changed resource inside the span is stored, as before.
    const stored = new Set(await storedIds(h.store));
    const changedKeys = new Set(changed.map(worldKey));
    const inSpan = items
      .filter((i) => changedKeys.has(worldKey(i)) && i.configurationItemCaptureTime >= since)
      .map((i) => `${worldKey(i)}|${i.configurationItemCaptureTime}`);
    expect(inSpan.length).toBeGreaterThan(changed.length);
    for (const id of inSpan) expect(stored).toContain(id);
    // And every current resource is stored at its current CI.
    for (const c of current) expect(stored).toContain(`${worldKey(c)}|${c.configurationItemCaptureTime}`);
    expect(summary.callsPerThousandResources).toBeCloseTo((summary.totalCalls * 1000) / summary.resources, 6);
  }, 120_000);

  it('an incremental run fetches history only for resources that changed', async () => {
    const { endpoint, h, world } = await setup();
    await h.run({ history: '7d' });
    const before = endpoint.log.length;

    // Two resources change after the first run.
    const changed = world.current({ accountId: account, region: 'eu-west-1' }).slice(0, 2);
    const later = new Date(Date.parse(worldEnd) + 3600_000).toISOString();
    world.add(
      changed.map((c, i) => ({
        ...c,
        configurationItemCaptureTime: later,
        configurationStateId: `${c.configurationStateId}9${i}`,
        tags: { ...c.tags, changed: 'yes' },
      })),
    );
    const summary = await h.run({ history: '7d', now: new Date(Date.parse(later) + 60_000) });
    const hist = endpoint.log.slice(before).filter((l) => l.operation === 'GetResourceConfigHistory');
    expect(new Set(hist.map((l) => l.params.resourceId))).toEqual(new Set(changed.map((c) => c.resourceId)));
    expect(summary.history?.unchanged).toBeGreaterThan(100);
    for (const c of changed) {
      const v = await h.store.resource(worldKey(c));
      expect({ key: worldKey(c), tags: v.version?.tags, at: v.version?.captureTime }).toEqual({
        key: worldKey(c),
        tags: { ...c.tags, changed: 'yes' },
        at: later,
      });
    }
  }, 120_000);
});

describe('interruption and resume', () => {
  it('a run killed midway resumes to the same graph without refetching completed pages', async () => {
    const clean = await setup({ pageSize: { SelectResourceConfig: 10, GetResourceConfigHistory: 5 } });
    await clean.h.run({ history: '10d', concurrency: 1 });
    const baseline = await clean.h.store.canonicalExport();

    const { endpoint, h } = await setup({ pageSize: { SelectResourceConfig: 10, GetResourceConfigHistory: 5 } });
    const abort = new AbortController();
    let pages = 0;
    await expect(
      h.run({ history: '10d', concurrency: 1, signal: abort.signal, onPage: () => ++pages === 40 && abort.abort() }),
    ).rejects.toBeInstanceOf(CollectionAborted);
    expect((await h.store.canonicalExport()).versions).toHaveLength(0); // nothing half-written
    const firstRun = endpoint.log.filter((l) => l.outcome === 'ok');
    // 40 pages were completed; at most a request already in flight when the run stopped may also have been answered.
    expect(firstRun.length).toBeGreaterThanOrEqual(40);
    expect(firstRun.length).toBeLessThanOrEqual(41);
    const seen = endpoint.log.length;

    const summary: CollectSummary = await h.run({ history: '10d', concurrency: 1, resume: true });
    expect(summary.resumed).toBe(true);
    expect(summary.pagesReplayed).toBeGreaterThanOrEqual(40);
    const sig = (l: LoggedRequest) => `${l.operation} ${l.region} ${JSON.stringify(l.params)}`;
    const done = new Set(firstRun.map(sig));
    const refetched = endpoint.log.slice(seen).filter((l) => done.has(sig(l)));
    // Only a page answered after the interruption (never recorded) may be fetched again.
    expect(refetched.length).toBeLessThanOrEqual(firstRun.length - summary.pagesReplayed);
    expect(await h.store.canonicalExport()).toEqual(baseline);
    expect(readAll(h.checkpointDir)).toBe(''); // the journal is discarded once stored
  }, 120_000);

  it('without --resume a new run starts over', async () => {
    const { h } = await setup();
    const abort = new AbortController();
    await expect(h.run({ signal: abort.signal, onPage: () => abort.abort() })).rejects.toBeInstanceOf(
      CollectionAborted,
    );
    const summary = await h.run();
    expect(summary.resumed).toBe(false);
    expect(summary.pagesReplayed).toBe(0);
  });
});

describe('credentials', () => {
  it('never appear in logs, errors, summaries, checkpoints or the store', async () => {
    const { h } = await setup({ accessDenied: [{ regions: ['eu-west-1'] }], throttleRate: 0.2 });
    const progress: unknown[] = [];
    const abort = new AbortController();
    let error: unknown;
    try {
      await h.run({
        history: '3d',
        signal: abort.signal,
        onPage: (t) => t.startsWith('history') && abort.abort(),
        onProgress: (p) => progress.push(p),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CollectionAborted);
    const checkpoint = readAll(h.checkpointDir);
    expect(checkpoint.length).toBeGreaterThan(0);
    const summary = await h.run({ history: '3d', resume: true, onProgress: (p) => progress.push(p) });
    const everything = JSON.stringify({
      logs: h.logs,
      error: String(error),
      stack: (error as Error).stack,
      summary,
      progress,
      export: await h.store.canonicalExport(),
      runs: await h.store.runs(),
      checkpoint,
    });
    for (const secret of [FAKE_KEY_ID, FAKE_SECRET]) expect(everything).not.toContain(secret);
  }, 120_000);
});
