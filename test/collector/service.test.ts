// CollectionService: one collection at a time, live status, schedule, cancel and resume.
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { InvalidInputError } from '../../graph/errors.ts';
import { CollectionService, parseCollectEvery, type CollectionStatus } from '../../server/collect/service.ts';
import { ConfigWorld, placeboHistoryItems, startConfigEndpoint } from '../support/config-endpoint/index.ts';
import { tempDir, useFakeCredentials } from './helpers.ts';

useFakeCredentials();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(latencyMs = 0) {
  const endpoint = await startConfigEndpoint({
    world: new ConfigWorld(placeboHistoryItems()),
    pageSize: { SelectResourceConfig: 1 },
    latencyMs,
  });
  const store = openSqliteStore(':memory:');
  const dir = tempDir();
  const service = new CollectionService(store, {
    regions: ['us-east-1', 'us-east-2'],
    endpointUrl: endpoint.url,
    checkpointDir: dir.path,
    retryBaseMs: 5,
    rateLimits: { default: { perSecond: 1000, burst: 100 } },
  });
  cleanups.push(
    () => endpoint.close(),
    () => store.close(),
    () => dir.remove(),
    () => service.close(),
  );
  return { endpoint, store, service };
}

describe('CollectionService', () => {
  it('runs one collection at a time and reports progress and a summary', async () => {
    const { service, store, endpoint } = await setup(10);
    const seen: CollectionStatus[] = [];
    service.subscribe((s) => seen.push(s));
    const first = service.start();
    expect(first.started).toBe(true);
    const second = service.start();
    expect(second).toEqual({ started: false, reason: 'busy', id: first.started ? first.id : '' });
    expect(service.status().state).toBe('running');
    const done = await service.wait();
    expect(done.state).toBe('succeeded');
    expect(done.summary?.resources).toBe(9);
    expect(seen.some((s) => s.state === 'running' && (s.progress?.resources ?? 0) > 0)).toBe(true);
    expect((await store.runs()).length).toBe(1);
    expect(endpoint.calls('SelectResourceConfig')).toBeGreaterThan(1);
  });

  it('a cancelled collection is interrupted and the next one resumes it', async () => {
    const { service, endpoint } = await setup(20);
    service.start();
    while (endpoint.calls('SelectResourceConfig') < 3) await new Promise((r) => setTimeout(r, 5));
    expect(service.cancel()).toBe(true);
    expect((await service.wait()).state).toBe('interrupted');
    service.start();
    const done = await service.wait();
    expect(done.state).toBe('succeeded');
    expect(done.summary?.resumed).toBe(true);
    expect(done.summary?.pagesReplayed).toBeGreaterThan(0);
  });

  it('collects on a schedule', async () => {
    const { service, store } = await setup();
    service.schedule(150, 100);
    expect(service.status().intervalMs).toBe(150);
    while ((await store.runs()).length < 2) await new Promise((r) => setTimeout(r, 20));
    expect(service.status().nextRunAt).toBeDefined();
    service.unschedule();
    expect(() => service.schedule(10)).toThrow(InvalidInputError);
    expect(parseCollectEvery('15m')).toBe(900_000);
    expect(() => parseCollectEvery('5s')).toThrow(InvalidInputError);
  });

  it('validates request bodies and rejects what a request may not set', () => {
    expect(CollectionService.parseRequest({ regions: ['eu-west-1'], history: '7d' })).toEqual({
      regions: ['eu-west-1'],
      history: '7d',
    });
    expect(() => CollectionService.parseRequest({ endpointUrl: 'http://evil' })).toThrow(/unknown field/);
    expect(() => CollectionService.parseRequest({ regions: 'eu-west-1' })).toThrow(InvalidInputError);
    expect(() => CollectionService.parseRequest([1])).toThrow(InvalidInputError);
  });

  it('refuses invalid overrides before starting', async () => {
    const { service } = await setup();
    expect(() => service.start({ regions: ['not a region'] })).toThrow(InvalidInputError);
    expect(service.status().state).toBe('idle');
  });
});
