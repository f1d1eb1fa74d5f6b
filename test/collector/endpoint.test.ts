// The test endpoint must be honest: it parses what the collector sends and rejects what Config
// would reject, through the real SDK. Also the collector's query building against it.
import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXPRESSION, SELECT_FIELDS, selectExpressions } from '../../server/collect/query.ts';
import { historyWindows } from '../../server/collect/history.ts';
import { consoleProgress, progressBar, type ProgressSnapshot } from '../../server/collect/progress.ts';
import {
  ConfigWorld,
  placeboHistoryItems,
  PLACEBO_ACCOUNT,
  startConfigEndpoint,
  type ConfigEndpoint,
} from '../support/config-endpoint/index.ts';
import { matches, parseSelect, project } from '../../bench/support/config-endpoint/select-expression.ts';
import { harness, useFakeCredentials } from './helpers.ts';

useFakeCredentials();

describe('advanced-query subset', () => {
  it('parses SELECT lists and WHERE with =, IN, NOT IN, LIKE, AND, OR and parentheses', () => {
    const q = parseSelect(
      "SELECT resourceId, configuration.groupName WHERE (resourceType = 'AWS::EC2::SecurityGroup' OR resourceType IN ('AWS::EC2::VPC')) AND awsRegion NOT IN ('eu-west-1') AND resourceId LIKE 'sg-%'",
    );
    expect(q.fields).toEqual(['resourceId', 'configuration.groupName']);
    const rec = {
      resourceId: 'sg-1',
      resourceType: 'AWS::EC2::SecurityGroup',
      awsRegion: 'us-east-1',
      configuration: { groupName: 'web', other: 1 },
    };
    expect(matches(q.where, rec)).toBe(true);
    expect(matches(q.where, { ...rec, awsRegion: 'eu-west-1' })).toBe(false);
    expect(matches(q.where, { ...rec, resourceId: 'vpc-1' })).toBe(false);
    expect(project(rec, q.fields)).toEqual({ resourceId: 'sg-1', configuration: { groupName: 'web' } });
    expect(
      matches(parseSelect("SELECT resourceId WHERE tags.key = 'App'").where, { tags: [{ key: 'App', value: 'x' }] }),
    ).toBe(true);
  });

  it('rejects what it cannot honour', () => {
    expect(() => parseSelect('SELECT *')).toThrow(/SELECT \*/);
    expect(() => parseSelect('SELECT nonsense')).toThrow(/unknown property/);
    expect(() => parseSelect("SELECT resourceId WHERE resourceType = 'x")).toThrow(/unterminated/);
    expect(() => parseSelect('SELECT resourceType, COUNT(*) GROUP BY resourceType')).toThrow();
    expect(() => parseSelect("SELECT resourceId WHERE resourceType > 'a'")).toThrow();
  });
});

describe('the endpoint through the SDK', () => {
  let endpoint: ConfigEndpoint;
  let client: ConfigServiceClient;
  beforeAll(async () => {
    endpoint = await startConfigEndpoint({
      world: new ConfigWorld(placeboHistoryItems()),
      pageSize: { SelectResourceConfig: 1 },
    });
    client = new ConfigServiceClient({ region: 'us-east-1', endpoint: endpoint.url, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('honours WHERE and the field list, with Select results as JSON strings', async () => {
    const out = await client.send(
      new SelectResourceConfigCommand({
        Expression: "SELECT resourceId, tags WHERE resourceType IN ('AWS::EC2::SecurityGroup')",
        Limit: 100,
      }),
    );
    expect(out.QueryInfo?.SelectFields?.map((f) => f.Name)).toEqual(['resourceId', 'tags']);
    expect(out.Results).toHaveLength(1);
    expect(JSON.parse(out.Results![0]!)).toEqual({
      resourceId: 'sg-a38ed1de',
      tags: [
        { key: 'NetworkLocation', value: 'DMZ' },
        { key: 'App', value: 'blue-moon' },
      ],
    });
    expect(out.NextToken).toBeUndefined();
  });

  it("answers with Config's errors", async () => {
    await expect(client.send(new SelectResourceConfigCommand({ Expression: 'SELECT bogus' }))).rejects.toMatchObject({
      name: 'InvalidExpressionException',
    });
    await expect(
      client.send(new SelectResourceConfigCommand({ Expression: 'SELECT resourceId', Limit: 101 })),
    ).rejects.toMatchObject({ name: 'InvalidLimitException' });
    await expect(
      client.send(
        new SelectResourceConfigCommand({ Expression: `SELECT resourceId WHERE resourceId = '${'x'.repeat(4100)}'` }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      client.send(new SelectResourceConfigCommand({ Expression: 'SELECT resourceId', NextToken: 'forged' })),
    ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    const keys = Array.from({ length: 101 }, (_, i) => ({
      resourceType: 'AWS::EC2::VPC' as const,
      resourceId: `vpc-${i}`,
    }));
    await expect(client.send(new BatchGetResourceConfigCommand({ resourceKeys: keys }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      client.send(new GetResourceConfigHistoryCommand({ resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-none' })),
    ).rejects.toMatchObject({ name: 'ResourceNotDiscoveredException' });
  });

  it('serves history newest first, the later time inclusive', async () => {
    // sg-a38ed1de has CIs at 06:04:02.376 and 06:04:03.800 on 2016-12-11.
    const at = new Date('2016-12-11T06:04:03.800Z');
    const a = await client.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: 'sg-a38ed1de',
        earlierTime: new Date(at.getTime() - 86_400_000),
        laterTime: at,
      }),
    );
    expect(a.configurationItems?.map((c) => c.configurationItemCaptureTime?.toISOString())).toEqual([
      '2016-12-11T06:04:03.800Z',
      '2016-12-11T06:04:02.376Z',
    ]);
    expect(a.configurationItems?.[0]?.accountId).toBe(PLACEBO_ACCOUNT);
  });
});

describe('query building and windows', () => {
  it('names the nested documents and splits long type filters under 4096 characters', () => {
    const [plain] = selectExpressions();
    for (const f of ['configuration', 'relationships', 'tags', 'supplementaryConfiguration', 'configurationItemStatus'])
      expect(plain).toContain(f);
    expect(SELECT_FIELDS).toContain('configurationStateId');
    const types = Array.from({ length: 300 }, (_, i) => `AWS::Service${i}::ResourceTypeWithALongName${i}`);
    const exprs = selectExpressions({ resourceTypes: types });
    expect(exprs.length).toBeGreaterThan(1);
    for (const e of exprs) expect(e.length).toBeLessThanOrEqual(MAX_EXPRESSION);
    const named = exprs.flatMap((e) => [...e.matchAll(/'([^']+)'/g)].map((m) => m[1]));
    expect(named).toEqual(types);
    expect(selectExpressions({ resourceTypes: ["AWS::X::Y'; DROP"] })[0]).toContain("'AWS::X::Y''; DROP'");
  });

  it('cuts history into windows of at most seven days', () => {
    const w = historyWindows('2024-01-01T00:00:00.000Z', '2024-01-20T12:00:00.000Z');
    expect(w).toEqual([
      { from: '2024-01-01T00:00:00.000Z', to: '2024-01-08T00:00:00.000Z' },
      { from: '2024-01-08T00:00:00.000Z', to: '2024-01-15T00:00:00.000Z' },
      { from: '2024-01-15T00:00:00.000Z', to: '2024-01-20T12:00:00.000Z' },
    ]);
  });

  it('collects only the --type asked for, through a WHERE the endpoint evaluates', async () => {
    const endpoint = await startConfigEndpoint({ world: new ConfigWorld(placeboHistoryItems()) });
    const h = harness(endpoint.url, { regions: ['us-east-1', 'us-east-2'] });
    try {
      const summary = await h.run({ resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EKS::Cluster'] });
      const types = new Set((await h.store.canonicalExport()).versions.map((v) => v.key.split('|')[2]));
      expect(types).toEqual(new Set(['AWS::EC2::SecurityGroup', 'AWS::EKS::Cluster']));
      expect(summary.resources).toBe(3);
      expect(summary.snapshots).toBe(0); // a filtered run infers no deletions
    } finally {
      await h.cleanup();
      await endpoint.close();
    }
  });
});

describe('progress', () => {
  const p: ProgressSnapshot = {
    phase: 'current state',
    expectedResources: 200,
    resources: 50,
    items: 60,
    pages: 3,
    pagesReplayed: 0,
    historyTasksDone: 0,
    historyTasksTotal: 0,
    calls: 4,
    throttles: 1,
    elapsedMs: 2000,
    rate: 30,
    etaMs: 6000,
  };

  it('draws a bar with counts, rate and ETA on a terminal and log lines otherwise', () => {
    expect(progressBar(p)).toBe(
      '[######..................] 25% current state · 50/200 resources · 60 items · 4 calls · 1 throttled · 30.0 items/s · ETA 6s',
    );
    const tty: string[] = [];
    const r = consoleProgress(Object.assign({ write: (s: string) => tty.push(s) !== 0, isTTY: true }));
    r.update(p);
    r.done();
    expect(tty[0]).toMatch(new RegExp(String.raw`^\r\u001b\[2K\[#+\.+\] 25%`));
    const lines: string[] = [];
    const l = consoleProgress({ write: (s: string) => lines.push(s) !== 0 } as unknown as NodeJS.WritableStream, 0);
    l.update(p);
    expect(lines[0]).toBe(
      'progress: current state · 50/200 resources · 60 items · 4 calls · 1 throttled · 30.0 items/s · ETA 6s\n',
    );
  });
});

describe('options', () => {
  it('reads --history as a duration or a date, and rejects the rest', async () => {
    const { resolveHistoryStart, parseDuration, validateOptions } = await import('../../server/collect/options.ts');
    const now = new Date('2024-03-10T12:00:00Z');
    expect(resolveHistoryStart('7d', now)).toBe('2024-03-03T12:00:00.000Z');
    expect(resolveHistoryStart('36h', now)).toBe('2024-03-09T00:00:00.000Z');
    expect(resolveHistoryStart('2024-03-01', now)).toBe('2024-03-01T00:00:00.000Z');
    expect(() => resolveHistoryStart('yesterday', now)).toThrow(/neither a time nor a span/);
    expect(() => resolveHistoryStart('2025-01-01', now)).toThrow(/not in the past/);
    expect(parseDuration('15m')).toBe(900_000);
    expect(() => validateOptions({ regions: ['eu-west-1'], resourceTypes: ["AWS::EC2::Instance' OR 1=1"] })).toThrow(
      /not a resource type/,
    );
    expect(() => validateOptions({ regions: ['eu-west-1'], endpointUrl: 'file:///etc/passwd' })).toThrow(/not an http/);
    expect(() => validateOptions({ regions: [] })).toThrow(/no region/);
  });
});
