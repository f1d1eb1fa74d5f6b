// The explorer's only door to the data: the HTTP API under /api. Untrusted values travel only as
// encoded path segments and query parameters. The types are the API's own (api/schemas.ts, from which
// the server's OpenAPI document is generated); each response is checked for the shape the view relies
// on, once, here; errors become ApiError with the server's message and what it accepts.
import { isObject } from '../../graph/is-object.ts';
import type {
  ComplianceReport,
  GraphDiff,
  Health as HealthBody,
  Neighborhood,
  PathResult,
  PurposeView,
  ResourceHistory,
  ResourceView,
  RunRecord,
  SearchHit,
} from '../../api/schemas.ts';
import type { ExportFormat, ViewQuery } from '../../api/operations.ts';
import { parseCollectionStatus, type CollectionProgress } from './collection-status.ts';

export type { CollectionProgress };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly accepted?: string,
    readonly candidates?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined>;

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const TOKEN_KEY = 'configgraph.token';

/** A server bound beyond loopback asks for a bearer token; the user pastes it once per tab. */
export function setToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(TOKEN_KEY);
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  let accepted: string | undefined;
  let candidates: string[] | undefined;
  try {
    const body: unknown = await res.json();
    const err = isObject(body) && isObject(body['error']) ? body['error'] : undefined;
    if (err && typeof err['message'] === 'string') message = err['message'];
    if (err && typeof err['accepted'] === 'string') accepted = err['accepted'];
    if (err && Array.isArray(err['candidates']))
      candidates = err['candidates'].filter((c): c is string => typeof c === 'string');
  } catch {
    // Not JSON (a proxy's error page): the status line is all we have.
  }
  return new ApiError(res.status, message, accepted, candidates);
}

async function request(path: string, init: RequestInit = {}, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: headers((init.headers as Record<string, string>) ?? {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'the configgraph server cannot be reached: is `npm start` (or `configgraph serve`) running?');
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

async function getJson(path: string, query?: Query, signal?: AbortSignal): Promise<unknown> {
  const res = await request(url(path, query), { headers: { Accept: 'application/json' } }, signal);
  return res.json();
}

function expect<T>(value: unknown, ok: boolean, what: string): T {
  if (!ok)
    throw new ApiError(502, `the server answered with an unexpected ${what} (is the client older than the server?)`);
  return value as T;
}

const hasArrays = (v: unknown, ...keys: string[]) => isObject(v) && keys.every((k) => Array.isArray(v[k]));

/** Unwraps `{ key: [...] }` or a bare array. */
function listOf(value: unknown, key: string): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (isObject(value) && Array.isArray(value[key])) return value[key] as unknown[];
  return undefined;
}

export const resourcePath = (ref: string) => `/api/resources/${encodeURIComponent(ref)}`;

export async function search(q: string, limit = 10, signal?: AbortSignal): Promise<SearchHit[]> {
  const body = await getJson('/api/search', { q, limit }, signal);
  const hits = listOf(body, 'hits') ?? listOf(body, 'results');
  return expect<SearchHit[]>(
    hits,
    Array.isArray(hits) && hits.every((h) => isObject(h) && isObject(h['node'])),
    'search result',
  );
}

export async function resource(ref: string, at?: string, signal?: AbortSignal): Promise<ResourceView> {
  const body = await getJson(resourcePath(ref), { at }, signal);
  return expect<ResourceView>(
    body,
    isObject(body) && isObject(body['node']) && hasArrays(body, 'outgoing', 'incoming'),
    'resource',
  );
}

export async function neighborhood(
  ref: string,
  opts: { depth: number; at?: string; limit?: number; types?: string[] },
  signal?: AbortSignal,
): Promise<Neighborhood> {
  const body = await getJson(
    `${resourcePath(ref)}/neighborhood`,
    { depth: opts.depth, at: opts.at, limit: opts.limit, types: opts.types?.join(',') },
    signal,
  );
  return expect<Neighborhood>(
    body,
    hasArrays(body, 'nodes', 'edges') && isObject(body) && typeof body['root'] === 'string',
    'neighbourhood',
  );
}

/** A view by purpose (SPEC W1–W3): attachments of an instance, network of a VPC. */
export async function view(
  ref: string,
  opts: { kind: ViewQuery['kind']; at?: string; limit?: number },
  signal?: AbortSignal,
): Promise<PurposeView> {
  const body = await getJson(`${resourcePath(ref)}/view`, { kind: opts.kind, at: opts.at, limit: opts.limit }, signal);
  return expect<PurposeView>(
    body,
    hasArrays(body, 'nodes', 'edges', 'folds') && isObject(body) && typeof body['root'] === 'string',
    'view',
  );
}

export async function history(ref: string, signal?: AbortSignal): Promise<ResourceHistory> {
  const body = await getJson(`${resourcePath(ref)}/history`, {}, signal);
  return expect<ResourceHistory>(
    body,
    hasArrays(body, 'versions') && isObject(body) && isObject(body['resource']),
    'history',
  );
}

export async function diff(
  from: string,
  to: string,
  scope: { account?: string; region?: string } = {},
  signal?: AbortSignal,
): Promise<GraphDiff> {
  const body = await getJson('/api/diff', { from, to, account: scope.account, region: scope.region }, signal);
  const ok =
    isObject(body) &&
    isObject(body['resources']) &&
    isObject(body['edges']) &&
    hasArrays(body['resources'], 'added', 'removed', 'changed') &&
    hasArrays(body['edges'], 'added', 'removed');
  return expect<GraphDiff>(body, ok, 'diff');
}

export async function path(from: string, to: string, at?: string, signal?: AbortSignal): Promise<PathResult> {
  const body = await getJson('/api/path', { from, to, at }, signal);
  return expect<PathResult>(
    body,
    hasArrays(body, 'nodes', 'edges') && isObject(body) && typeof body['found'] === 'boolean',
    'path',
  );
}

/** Config rule results at `at` (absent: now), narrowed as the API allows (SPEC C3). */
export async function compliance(
  query: { at?: string; account?: string; region?: string; rule?: string; status?: string },
  signal?: AbortSignal,
): Promise<ComplianceReport> {
  const body = await getJson('/api/compliance', query, signal);
  return expect<ComplianceReport>(
    body,
    hasArrays(body, 'results') &&
      isObject(body) &&
      (body['results'] as unknown[]).every(
        (r) => isObject(r) && isObject(r['resource']) && typeof r['rule'] === 'string',
      ),
    'compliance report',
  );
}

export async function runs(signal?: AbortSignal): Promise<RunRecord[]> {
  const body = await getJson('/api/runs', {}, signal);
  const list = listOf(body, 'runs');
  return expect<RunRecord[]>(list, Array.isArray(list), 'run list');
}

/** `collector`: whether the server has a collector, i.e. whether "refresh now" can work. */
export type Health = Pick<HealthBody, 'collector' | 'lastRun'> & { status: string };

export async function health(signal?: AbortSignal): Promise<Health> {
  const body = await getJson('/api/health', {}, signal);
  const ok = isObject(body) && typeof body['status'] === 'string';
  const b = expect<Record<string, unknown>>(body, ok, 'health report');
  return {
    status: String(b['status']),
    collector: b['collector'] === true,
    lastRun: isObject(b['lastRun']) ? (b['lastRun'] as unknown as RunRecord) : null,
  };
}

/** Starts a collection; false when the server has no collector configured (501). A collection
 * already running (409) counts as started: the banner follows it either way. */
export async function startCollection(): Promise<boolean> {
  try {
    await request('/api/collections', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 501) return false;
    if (err instanceof ApiError && err.status === 409) return true;
    throw err;
  }
}

/** undefined when the server has no collector (501). */
export async function currentCollection(signal?: AbortSignal): Promise<CollectionProgress | undefined> {
  try {
    return parseCollectionStatus(await getJson('/api/collections/current', {}, signal));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 501 || err.status === 404)) return undefined;
    throw err;
  }
}

export type { ExportFormat };

export function exportUrl(format: ExportFormat, query: Query): string {
  return url('/api/export', { format, ...query });
}

/** Fetches an export (so the token header goes along) and returns it as a file to save. */
export async function fetchExport(format: ExportFormat, query: Query): Promise<{ blob: Blob; filename: string }> {
  const res = await request(exportUrl(format, query));
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const ext = format === 'drawio' ? 'drawio' : format === 'graphml' ? 'graphml' : format === 'csv' ? 'zip' : 'json';
  const filename = match?.[1]?.replace(/[^\w.-]/g, '_') ?? `configgraph-export.${ext}`;
  return { blob: await res.blob(), filename };
}
