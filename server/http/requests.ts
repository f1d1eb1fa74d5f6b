// What each route was asked, read once at the edge through the route's parameter schema (api/) into
// the port's option types. Anything wrong is an InvalidInputError saying what is accepted.
import { readQuery } from '../../api/read-query.ts';
import {
  DiffQuery,
  NeighborhoodQuery,
  PathQuery,
  ResourceQuery,
  SearchQuery,
  ViewQuery,
} from '../../api/operations.ts';
import { InvalidInputError } from '../../graph/errors.ts';
import type { IsoTime, Scope } from '../../graph/model.ts';
import { REF_MAX } from '../../graph/query-limits.ts';
import type { NeighborhoodOptions, PathOptions, SearchOptions, ViewOptions } from '../../graph/store.ts';
import Type from 'typebox';

const NO_QUERY = Type.Object({});

/** A path parameter naming a resource: a resource id, an ARN or a key, URL-encoded by the client. */
export function parseRef(value: unknown, name = 'ref'): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(
      `${name} is empty`,
      'a resource id, ARN or key (accountId|region|type|id), URL-encoded',
    );
  if (value.length > REF_MAX) throw new InvalidInputError(`${name} is too long`, `at most ${REF_MAX} characters`);
  return value;
}

function scopeOf(account: string | undefined, region: string | undefined): Scope | undefined {
  if (account === undefined && region === undefined) return undefined;
  return {
    ...(account === undefined ? {} : { accountId: account }),
    ...(region === undefined ? {} : { awsRegion: region }),
  };
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function parseSearch(query: unknown): { q: string; opts: SearchOptions } {
  const { q, type, account, region, limit } = readQuery(SearchQuery, query);
  return { q, opts: defined({ limit, type, accountId: account, awsRegion: region }) };
}

export function parseResourceQuery(query: unknown): { at?: IsoTime } {
  return defined(readQuery(ResourceQuery, query));
}

export function parseNeighborhood(query: unknown): NeighborhoodOptions {
  const { depth, at, types, limit } = readQuery(NeighborhoodQuery, query);
  const list = types
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return defined({ depth, limit, at, types: list !== undefined && list.length > 0 ? list : undefined });
}

export function parseView(query: unknown): ViewOptions {
  return defined(readQuery(ViewQuery, query));
}

export function parsePath(query: unknown): { from: string; to: string; opts: PathOptions } {
  const { from, to, at, maxDepth } = readQuery(PathQuery, query);
  return { from: parseRef(from, 'from'), to: parseRef(to, 'to'), opts: defined({ maxDepth, at }) };
}

export function parseDiff(query: unknown): { from: IsoTime; to: IsoTime; scope?: Scope } {
  const { from, to, account, region } = readQuery(DiffQuery, query);
  if (from > to) throw new InvalidInputError(`from (${from}) is after to (${to})`, 'from earlier than or equal to to');
  const scope = scopeOf(account, region);
  return scope === undefined ? { from, to } : { from, to, scope };
}

/** Routes without parameters still refuse any, so typos are not silently ignored. */
export function parseNoQuery(query: unknown): void {
  readQuery(NO_QUERY, query);
}

/** The body of POST /api/collections; the collector decides what the fields mean. */
export function parseCollectionRequest(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidInputError(
      'the request body must be a JSON object',
      'a JSON object, e.g. {} or {"regions":["eu-west-1"]}',
    );
  }
  return body as Record<string, unknown>;
}
