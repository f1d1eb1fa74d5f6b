// The AWS Config operations the collector uses, answered from a ConfigWorld with Config's paging,
// limits and error names. Each handler validates its input the way the service does.
import { createHash } from 'node:crypto';
import { ExpressionError, matches, parseSelect, project } from './select-expression.ts';
import { baseWire, ConfigWorld, historyWire, queryRecord, worldKey, type WorldItem } from './world.ts';

/** A service error: the HTTP status and the `__type` the SDK maps to an exception class. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface CallContext {
  region: string;
  /** The caller's account (account-level operations answer for it only). */
  account: string;
  world: ConfigWorld;
  aggregators: Set<string>;
  pageSize: (operation: string, requested: number | undefined, max: number) => number;
  /** Empty pages (with a nextToken) served at the start of each history page sequence. */
  emptyHistoryPages: number;
  /** Keys a BatchGet leaves unprocessed on their first request. */
  unprocessed: { perCall: number; done: Set<string> };
}

type Params = Record<string, unknown>;
type Handler = (p: Params, ctx: CallContext) => Record<string, unknown>;

const SEVEN_DAYS_S = 7 * 24 * 3600;

// Page tokens are opaque to clients; they bind the offset to the exact request they continue.
function requestHash(op: string, p: Params, extra = ''): string {
  const { NextToken: _a, nextToken: _b, ...rest } = p;
  return createHash('sha256')
    .update(op + JSON.stringify(rest) + extra)
    .digest('hex')
    .slice(0, 16);
}
interface TokenState {
  h: string;
  o: number;
  /** History: start of the current 7-day span (epoch s) and empty pages still to serve. */
  s?: number;
  e?: number;
}
function makeToken(state: TokenState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}
function readToken(token: unknown, hash: string): TokenState | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  try {
    const s = JSON.parse(Buffer.from(String(token as string), 'base64url').toString('utf8')) as TokenState;
    if (s.h === hash && Number.isInteger(s.o)) return s;
  } catch {
    /* fall through */
  }
  throw new ServiceError(
    'InvalidNextTokenException',
    'The specified next token is invalid. Specify the nextToken string that was returned in the previous response to get the next page of results.',
  );
}

function limitOf(v: unknown, max: number, name: string, type = 'InvalidLimitException'): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new ServiceError(type, `${name} must be between 0 and ${max}`);
  return v === 0 ? undefined : v;
}

function page<T>(op: string, p: Params, tokenKey: string, all: T[], size: number): { items: T[]; next?: string } {
  const hash = requestHash(op, p);
  const offset = readToken(p[tokenKey], hash)?.o ?? 0;
  const items = all.slice(offset, offset + size);
  const end = offset + items.length;
  return end < all.length ? { items, next: makeToken({ h: hash, o: end }) } : { items };
}

function requireString(p: Params, name: string): string {
  const v = p[name];
  if (typeof v !== 'string' || v === '')
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  return v;
}

function requireAggregator(p: Params, ctx: CallContext): string {
  const name = requireString(p, 'ConfigurationAggregatorName');
  if (!ctx.aggregators.has(name))
    throw new ServiceError(
      'NoSuchConfigurationAggregatorException',
      `The configuration aggregator does not exist: ${name}`,
    );
  return name;
}

function runSelect(op: string, p: Params, ctx: CallContext, items: WorldItem[]): Record<string, unknown> {
  const expression = requireString(p, 'Expression');
  if (expression.length > 4096)
    throw new ServiceError(
      'ValidationException',
      "Value at 'expression' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  const limit = limitOf(p.Limit, 100, 'Limit');
  let query;
  try {
    query = parseSelect(expression);
  } catch (e) {
    if (e instanceof ExpressionError)
      throw new ServiceError('InvalidExpressionException', `Invalid expression: ${e.message}`);
    throw e;
  }
  const rows = items
    .filter((it) => !ctx.world.notQueryable.has(it.resourceType))
    .map(queryRecord)
    .filter((r) => matches(query.where, r));
  const { items: pageRows, next } = page(op, p, 'NextToken', rows, ctx.pageSize(op, limit, 100));
  const out: Record<string, unknown> = {
    Results: pageRows.map((r) => JSON.stringify(project(r, query.fields))),
    QueryInfo: { SelectFields: query.fields.map((Name) => ({ Name })) },
  };
  if (next) out.NextToken = next;
  return out;
}

function history(p: Params, ctx: CallContext): Record<string, unknown> {
  const resourceType = requireString(p, 'resourceType');
  const resourceId = requireString(p, 'resourceId');
  const limit = limitOf(p.limit, 100, 'limit');
  const list = ctx.world.find(ctx.account, ctx.region, resourceType, resourceId);
  if (list.length === 0)
    throw new ServiceError(
      'ResourceNotDiscoveredException',
      `Resource ${resourceId} of resourceType:${resourceType} is unknown or has not been discovered`,
    );
  const times = list.map((i) => Date.parse(i.configurationItemCaptureTime) / 1000);
  const later = typeof p.laterTime === 'number' ? p.laterTime : Date.now() / 1000;
  const earlier = typeof p.earlierTime === 'number' ? p.earlierTime : Math.min(...times);
  if (earlier > later)
    throw new ServiceError(
      'InvalidTimeRangeException',
      'The specified time range is not valid. The earlier time is not chronologically before the later time.',
    );
  const forward = p.chronologicalOrder === 'Forward';
  const hash = requestHash('GetResourceConfigHistory', p);
  const state = readToken(p.nextToken, hash) ?? {
    h: hash,
    o: 0,
    s: forward ? earlier : later,
    e: ctx.emptyHistoryPages,
  };
  // Injected empty pages that still carry a token (as the service sometimes returns).
  if ((state.e ?? 0) > 0) return { configurationItems: [], nextToken: makeToken({ ...state, e: (state.e ?? 0) - 1 }) };
  // The service scans at most seven days per call, so sparse ranges yield empty pages too.
  const spanStart = forward ? state.s! : Math.max(earlier, state.s! - SEVEN_DAYS_S);
  const spanEnd = forward ? Math.min(later, state.s! + SEVEN_DAYS_S) : state.s!;
  // Half-open spans so a CI on a span boundary is served once.
  const inSpan = list
    .filter((_, i) => {
      const t = times[i]!;
      if (t < earlier || t > later) return false;
      return forward
        ? t >= spanStart && (t < spanEnd || spanEnd === later)
        : t <= spanEnd && (t > spanStart || spanStart === earlier);
    })
    .sort((a, b) => (forward ? 1 : -1) * (a.configurationItemCaptureTime < b.configurationItemCaptureTime ? -1 : 1));
  const size = ctx.pageSize('GetResourceConfigHistory', limit, 100);
  const items = inSpan.slice(state.o, state.o + size);
  const out: Record<string, unknown> = { configurationItems: items.map(historyWire) };
  if (state.o + items.length < inSpan.length)
    out.nextToken = makeToken({ h: hash, o: state.o + items.length, s: state.s!, e: 0 });
  else if (forward ? spanEnd < later : spanStart > earlier)
    out.nextToken = makeToken({ h: hash, o: 0, s: forward ? spanEnd : spanStart, e: 0 });
  return out;
}

function batchKeys<K>(keys: K[], keyOf: (k: K) => string, ctx: CallContext): { process: K[]; unprocessed: K[] } {
  const unprocessed: K[] = [];
  const process: K[] = [];
  keys.forEach((k, i) => {
    const id = keyOf(k);
    if (i >= keys.length - ctx.unprocessed.perCall && keys.length > 1 && !ctx.unprocessed.done.has(id)) {
      ctx.unprocessed.done.add(id);
      unprocessed.push(k);
    } else process.push(k);
  });
  return { process, unprocessed };
}

function counts(items: WorldItem[], key: (i: WorldItem) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export const OPERATIONS: Record<string, Handler> = {
  SelectResourceConfig: (p, ctx) =>
    runSelect('SelectResourceConfig', p, ctx, ctx.world.current({ accountId: ctx.account, region: ctx.region })),

  SelectAggregateResourceConfig: (p, ctx) => {
    requireAggregator(p, ctx);
    return runSelect('SelectAggregateResourceConfig', p, ctx, ctx.world.current());
  },

  GetDiscoveredResourceCounts: (p, ctx) => {
    const limit = limitOf(p.limit, 100, 'limit');
    const types = Array.isArray(p.resourceTypes) ? (p.resourceTypes as string[]) : undefined;
    const items = ctx.world
      .current({ accountId: ctx.account, region: ctx.region })
      .filter((i) => !types?.length || types.includes(i.resourceType));
    const all = counts(items, (i) => i.resourceType);
    const { items: rows, next } = page(
      'GetDiscoveredResourceCounts',
      p,
      'nextToken',
      all,
      ctx.pageSize('GetDiscoveredResourceCounts', limit, 100),
    );
    const out: Record<string, unknown> = {
      totalDiscoveredResources: items.length,
      resourceCounts: rows.map(([resourceType, count]) => ({ resourceType, count })),
    };
    if (next) out.nextToken = next;
    return out;
  },

  GetAggregateDiscoveredResourceCounts: (p, ctx) => {
    requireAggregator(p, ctx);
    const limit = limitOf(p.Limit, 1000, 'Limit');
    const f = (p.Filters ?? {}) as { ResourceType?: string; AccountId?: string; Region?: string };
    const items = ctx.world
      .current()
      .filter(
        (i) =>
          (!f.ResourceType || i.resourceType === f.ResourceType) &&
          (!f.AccountId || i.accountId === f.AccountId) &&
          (!f.Region || i.awsRegion === f.Region),
      );
    const by = p.GroupByKey;
    if (by !== undefined && by !== 'RESOURCE_TYPE' && by !== 'ACCOUNT_ID' && by !== 'AWS_REGION')
      throw new ServiceError('ValidationException', `invalid GroupByKey ${JSON.stringify(by)}`);
    const out: Record<string, unknown> = { TotalDiscoveredResources: items.length };
    if (by) {
      const all = counts(items, (i) =>
        by === 'RESOURCE_TYPE' ? i.resourceType : by === 'ACCOUNT_ID' ? i.accountId : i.awsRegion,
      );
      const { items: rows, next } = page(
        'GetAggregateDiscoveredResourceCounts',
        p,
        'NextToken',
        all,
        ctx.pageSize('GetAggregateDiscoveredResourceCounts', limit, 1000),
      );
      out.GroupByKey = by;
      out.GroupedResourceCounts = rows.map(([GroupName, ResourceCount]) => ({ GroupName, ResourceCount }));
      if (next) out.NextToken = next;
    }
    return out;
  },

  ListDiscoveredResources: (p, ctx) => {
    const resourceType = requireString(p, 'resourceType');
    const limit = limitOf(p.limit, 100, 'limit');
    const ids = Array.isArray(p.resourceIds) ? (p.resourceIds as string[]) : undefined;
    const includeDeleted = p.includeDeletedResources === true;
    const rows = ctx.world
      .keys()
      .map((k) => ctx.world.history(k))
      .map((l) => l[l.length - 1]!)
      .filter(
        (it) =>
          it.accountId === ctx.account && ctx.world.servedFrom(it) === ctx.region && it.resourceType === resourceType,
      )
      .filter((it) => includeDeleted || !it.configurationItemStatus.startsWith('ResourceDeleted'))
      .filter((it) => !ids || ids.includes(it.resourceId))
      .filter((it) => typeof p.resourceName !== 'string' || it.resourceName === p.resourceName);
    const { items, next } = page(
      'ListDiscoveredResources',
      p,
      'nextToken',
      rows,
      ctx.pageSize('ListDiscoveredResources', limit, 100),
    );
    const out: Record<string, unknown> = {
      resourceIdentifiers: items.map((it) => {
        const id: Record<string, unknown> = { resourceType: it.resourceType, resourceId: it.resourceId };
        if (it.resourceName) id.resourceName = it.resourceName;
        if (it.configurationItemStatus.startsWith('ResourceDeleted'))
          id.resourceDeletionTime = Date.parse(it.configurationItemCaptureTime) / 1000;
        return id;
      }),
    };
    if (next) out.nextToken = next;
    return out;
  },

  ListAggregateDiscoveredResources: (p, ctx) => {
    requireAggregator(p, ctx);
    const resourceType = requireString(p, 'ResourceType');
    const limit = limitOf(p.Limit, 100, 'Limit');
    const f = (p.Filters ?? {}) as { AccountId?: string; ResourceId?: string; ResourceName?: string; Region?: string };
    const rows = ctx.world
      .current()
      .filter((i) => i.resourceType === resourceType)
      .filter(
        (i) =>
          (!f.AccountId || i.accountId === f.AccountId) &&
          (!f.Region || i.awsRegion === f.Region) &&
          (!f.ResourceId || i.resourceId === f.ResourceId) &&
          (!f.ResourceName || i.resourceName === f.ResourceName),
      );
    const { items, next } = page(
      'ListAggregateDiscoveredResources',
      p,
      'NextToken',
      rows,
      ctx.pageSize('ListAggregateDiscoveredResources', limit, 100),
    );
    const out: Record<string, unknown> = {
      ResourceIdentifiers: items.map((it) => {
        const id: Record<string, unknown> = {
          SourceAccountId: it.accountId,
          SourceRegion: it.awsRegion,
          ResourceId: it.resourceId,
          ResourceType: it.resourceType,
        };
        if (it.resourceName) id.ResourceName = it.resourceName;
        return id;
      }),
    };
    if (next) out.NextToken = next;
    return out;
  },

  BatchGetResourceConfig: (p, ctx) => {
    const keys = p.resourceKeys;
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > 100)
      throw new ServiceError(
        'ValidationException',
        "Value at 'resourceKeys' failed to satisfy constraint: Member must have length between 1 and 100",
      );
    const typed = keys as { resourceType: string; resourceId: string }[];
    const { process, unprocessed } = batchKeys(
      typed,
      (k) => `${ctx.account}|${ctx.region}|${k.resourceType}|${k.resourceId}`,
      ctx,
    );
    const items: Record<string, unknown>[] = [];
    for (const k of process) {
      const list = ctx.world.find(ctx.account, ctx.region, k.resourceType, k.resourceId);
      const last = list[list.length - 1];
      if (last && !last.configurationItemStatus.startsWith('ResourceDeleted')) items.push(baseWire(last));
    }
    return { baseConfigurationItems: items, unprocessedResourceKeys: unprocessed };
  },

  BatchGetAggregateResourceConfig: (p, ctx) => {
    requireAggregator(p, ctx);
    const ids = p.ResourceIdentifiers;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100)
      throw new ServiceError(
        'ValidationException',
        "Value at 'resourceIdentifiers' failed to satisfy constraint: Member must have length between 1 and 100",
      );
    const typed = ids as { SourceAccountId: string; SourceRegion: string; ResourceId: string; ResourceType: string }[];
    const { process, unprocessed } = batchKeys(
      typed,
      (k) => `${k.SourceAccountId}|${k.SourceRegion}|${k.ResourceType}|${k.ResourceId}`,
      ctx,
    );
    const items: Record<string, unknown>[] = [];
    for (const k of process) {
      const list = ctx.world.history(
        worldKey({
          accountId: k.SourceAccountId,
          awsRegion: k.SourceRegion,
          resourceType: k.ResourceType,
          resourceId: k.ResourceId,
        }),
      );
      const last = list[list.length - 1];
      if (last && !last.configurationItemStatus.startsWith('ResourceDeleted')) items.push(baseWire(last));
    }
    return { BaseConfigurationItems: items, UnprocessedResourceIdentifiers: unprocessed };
  },

  GetResourceConfigHistory: history,
};

/** The resource type a call names, for type-scoped access rules. */
export function resourceTypeOf(p: Params): string | undefined {
  if (typeof p.resourceType === 'string') return p.resourceType;
  if (typeof p.ResourceType === 'string') return p.ResourceType;
  const keys = (p.resourceKeys ?? p.ResourceIdentifiers) as
    { resourceType?: string; ResourceType?: string }[] | undefined;
  if (Array.isArray(keys) && keys[0]) return keys[0].resourceType ?? keys[0].ResourceType;
  return undefined;
}
