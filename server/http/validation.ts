// Validation at the edge: each route's query string is read once, here, into the port's option
// types. Anything wrong becomes an InvalidInputError saying what was wrong and what is accepted.
import { COMPLIANCE_STATUSES } from '../../graph/compliance.ts';
import type { ComplianceQuery } from '../../graph/compliance-report.ts';
import { InvalidInputError } from '../../graph/errors.ts';
import type { IsoTime, Scope } from '../../graph/model.ts';
import type { NeighborhoodOptions, PathOptions, SearchOptions, ViewOptions } from '../../graph/store.ts';
import { VIEW_KINDS } from '../../graph/views.ts';
import type { ExportFormat } from '../export/data.ts';

export const LIMITS = {
  searchLimit: { min: 1, max: 200, default: 20 },
  depth: { min: 1, max: 3, default: 1 },
  neighborhoodLimit: { min: 1, max: 5000, default: 500 },
  maxDepth: { min: 1, max: 8, default: 4 },
  queryText: 200,
  ref: 2048,
} as const;

export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'graphml', 'csv', 'drawio'];

const TIME_ACCEPTED =
  'an ISO-8601 time with a zone, e.g. 2026-03-01T12:00:00Z or 2026-03-01T13:00:00+01:00, or a date 2026-03-01 (midnight UTC)';
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** Parses a user's time; a time of day must carry a zone, because "local time" means nothing to a server. */
export function parseTime(value: string, name: string): IsoTime {
  const m = ISO_TIME.exec(value.trim());
  const hasClock = m?.[4] !== undefined;
  const endsWithZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value.trim());
  if (m === null || (hasClock && !endsWithZone)) {
    throw new InvalidInputError(`${name} "${truncate(value)}" is not a time`, TIME_ACCEPTED);
  }
  // Date accepts 2026-02-30 and rolls it over: check the calendar date survives a round trip.
  const [, y, mo, d] = m;
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    probe.getUTCFullYear() !== Number(y) ||
    probe.getUTCMonth() !== Number(mo) - 1 ||
    probe.getUTCDate() !== Number(d)
  ) {
    throw new InvalidInputError(`${name} "${truncate(value)}" is not a calendar date`, TIME_ACCEPTED);
  }
  const normalised = /^[+-]\d{4}$/.test(value.trim().slice(-5))
    ? value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    : value.trim();
  const time = new Date(hasClock ? normalised : `${normalised}T00:00:00Z`);
  if (Number.isNaN(time.getTime()))
    throw new InvalidInputError(`${name} "${truncate(value)}" is not a time`, TIME_ACCEPTED);
  return time.toISOString();
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Reads one route's query string: rejects unknown and repeated parameters, so typos are not silently ignored. */
export class QueryReader {
  private readonly query: Record<string, unknown>;

  constructor(query: unknown, allowed: readonly string[]) {
    this.query = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
    const unknown = Object.keys(this.query).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) {
      throw new InvalidInputError(
        `unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => truncate(k)).join(', ')}`,
        allowed.length > 0 ? `parameters: ${allowed.join(', ')}` : 'no query parameters',
      );
    }
  }

  string(name: string, opts: { required?: boolean; maxLength?: number } = {}): string | undefined {
    const raw = this.query[name];
    if (raw === undefined || raw === '') {
      if (opts.required) throw new InvalidInputError(`the query parameter "${name}" is required`, `${name}=<text>`);
      return undefined;
    }
    if (typeof raw !== 'string')
      throw new InvalidInputError(`the query parameter "${name}" is given more than once`, `one ${name}=`);
    const max = opts.maxLength ?? 500;
    if (raw.length > max)
      throw new InvalidInputError(
        `the query parameter "${name}" is too long (${raw.length} characters)`,
        `at most ${max} characters`,
      );
    return raw;
  }

  int(name: string, range: { min: number; max: number; default?: number }): number | undefined {
    if (this.query[name] === '')
      throw new InvalidInputError(
        `the query parameter "${name}" is empty`,
        `an integer from ${range.min} to ${range.max}`,
      );
    const raw = this.string(name, { maxLength: 12 });
    if (raw === undefined) return range.default;
    if (!/^(0|[1-9]\d*)$/.test(raw) || Number(raw) < range.min || Number(raw) > range.max) {
      throw new InvalidInputError(
        `${name} "${truncate(raw)}" is out of range`,
        `an integer from ${range.min} to ${range.max}`,
      );
    }
    return Number(raw);
  }

  time(name: string, opts: { required?: boolean } = {}): IsoTime | undefined {
    const raw = this.string(name, { maxLength: 64, ...opts });
    return raw === undefined ? undefined : parseTime(raw, name);
  }

  /** A comma-separated list, e.g. types=AWS::EC2::Instance,AWS::EC2::Volume. */
  list(name: string): string[] | undefined {
    const raw = this.string(name, { maxLength: 4000 });
    if (raw === undefined) return undefined;
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return items.length > 0 ? items : undefined;
  }

  oneOf<T extends string>(name: string, values: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const raw = this.string(name, { maxLength: 32, ...opts });
    if (raw === undefined) return undefined;
    if (!(values as readonly string[]).includes(raw)) {
      throw new InvalidInputError(`${name} "${truncate(raw)}" is not supported`, `one of: ${values.join(', ')}`);
    }
    return raw as T;
  }
}

/** A path parameter naming a resource: a resource id, an ARN or a key, URL-encoded by the client. */
export function parseRef(value: unknown, name = 'ref'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidInputError(
      `${name} is empty`,
      'a resource id, ARN or key (accountId|region|type|id), URL-encoded',
    );
  }
  if (value.length > LIMITS.ref) throw new InvalidInputError(`${name} is too long`, `at most ${LIMITS.ref} characters`);
  return value;
}

function scopeOf(account: string | undefined, region: string | undefined): Scope | undefined {
  if (account === undefined && region === undefined) return undefined;
  const scope: Scope = {};
  if (account !== undefined) scope.accountId = account;
  if (region !== undefined) scope.awsRegion = region;
  return scope;
}

const ACCOUNT = /^(\d{12}|[A-Za-z0-9_-]{1,64})$/;
const REGION = /^[a-z0-9-]{2,32}$/;

function checkAccount(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !ACCOUNT.test(value))
    throw new InvalidInputError(`${name} "${truncate(value)}" is not an account id`, 'a 12-digit AWS account id');
  return value;
}
function checkRegion(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !REGION.test(value))
    throw new InvalidInputError(
      `${name} "${truncate(value)}" is not a region`,
      'a region such as eu-west-1, or global',
    );
  return value;
}

export function parseSearch(query: unknown): { q: string; opts: SearchOptions } {
  const r = new QueryReader(query, ['q', 'type', 'account', 'region', 'limit']);
  const q = r.string('q', { required: true, maxLength: LIMITS.queryText }) as string;
  const opts: SearchOptions = { limit: r.int('limit', LIMITS.searchLimit) };
  const type = r.string('type', { maxLength: 256 });
  const account = checkAccount(r.string('account', { maxLength: 64 }), 'account');
  const region = checkRegion(r.string('region', { maxLength: 32 }), 'region');
  if (type !== undefined) opts.type = type;
  if (account !== undefined) opts.accountId = account;
  if (region !== undefined) opts.awsRegion = region;
  return { q, opts };
}

export function parseResourceQuery(query: unknown): { at?: IsoTime } {
  const r = new QueryReader(query, ['at']);
  const at = r.time('at');
  return at === undefined ? {} : { at };
}

export function parseHistoryQuery(query: unknown): void {
  new QueryReader(query, []);
}

export function parseNeighborhood(query: unknown): NeighborhoodOptions & { depth: number; limit: number } {
  const r = new QueryReader(query, ['depth', 'at', 'types', 'limit']);
  const opts: NeighborhoodOptions & { depth: number; limit: number } = {
    depth: r.int('depth', LIMITS.depth) as number,
    limit: r.int('limit', LIMITS.neighborhoodLimit) as number,
  };
  const at = r.time('at');
  const types = r.list('types');
  if (at !== undefined) opts.at = at;
  if (types !== undefined) opts.types = types;
  return opts;
}

export function parseView(query: unknown): ViewOptions & { limit: number } {
  const r = new QueryReader(query, ['kind', 'at', 'limit']);
  const opts: ViewOptions & { limit: number } = {
    kind: r.oneOf('kind', VIEW_KINDS, { required: true })!,
    limit: r.int('limit', LIMITS.neighborhoodLimit) as number,
  };
  const at = r.time('at');
  if (at !== undefined) opts.at = at;
  return opts;
}

export function parsePath(query: unknown): { from: string; to: string; opts: PathOptions } {
  const r = new QueryReader(query, ['from', 'to', 'at', 'maxDepth']);
  const from = parseRef(r.string('from', { required: true, maxLength: LIMITS.ref }), 'from');
  const to = parseRef(r.string('to', { required: true, maxLength: LIMITS.ref }), 'to');
  const opts: PathOptions = { maxDepth: r.int('maxDepth', LIMITS.maxDepth) };
  const at = r.time('at');
  if (at !== undefined) opts.at = at;
  return { from, to, opts };
}

export function parseDiff(query: unknown): { from: IsoTime; to: IsoTime; scope?: Scope } {
  const r = new QueryReader(query, ['from', 'to', 'account', 'region']);
  const from = r.time('from', { required: true }) as IsoTime;
  const to = r.time('to', { required: true }) as IsoTime;
  if (from > to) throw new InvalidInputError(`from (${from}) is after to (${to})`, 'from earlier than or equal to to');
  const scope = scopeOf(
    checkAccount(r.string('account', { maxLength: 64 }), 'account'),
    checkRegion(r.string('region', { maxLength: 32 }), 'region'),
  );
  return scope === undefined ? { from, to } : { from, to, scope };
}

export function parseNoQuery(query: unknown): void {
  new QueryReader(query, []);
}

export interface ExportQuery {
  format: ExportFormat;
  /** The "as of" time; when absent the export is taken as of the moment of the request. */
  at?: IsoTime;
  scope?: Scope;
  /** For a neighbourhood export: its centre and depth. */
  ref?: string;
  depth?: number;
  /** Pseudonyms instead of ids, names, tags and ARNs; no configurations. */
  redact?: boolean;
}

export const SCOPE_ACCEPTED = 'ACCOUNT, ACCOUNT/REGION or */REGION, e.g. 123456789012/eu-west-1';

/** `scope=ACCOUNT`, `ACCOUNT/REGION` or `* /REGION` (without the space). */
export function parseScope(value: string | undefined): Scope | undefined {
  if (value === undefined) return undefined;
  const [account, region, ...rest] = value.split('/');
  if (rest.length > 0 || account === undefined || account === '') {
    throw new InvalidInputError(`scope "${truncate(value)}" is not a scope`, SCOPE_ACCEPTED);
  }
  const a = account === '*' ? undefined : account;
  if (a !== undefined && !ACCOUNT.test(a))
    throw new InvalidInputError(`scope "${truncate(value)}" does not start with an account id`, SCOPE_ACCEPTED);
  if (region !== undefined && !REGION.test(region))
    throw new InvalidInputError(`scope "${truncate(value)}" does not end with a region`, SCOPE_ACCEPTED);
  const scope = scopeOf(a, region);
  if (scope === undefined) throw new InvalidInputError(`scope "${truncate(value)}" selects nothing`, SCOPE_ACCEPTED);
  return scope;
}

export function parseExport(query: unknown): ExportQuery {
  const r = new QueryReader(query, ['format', 'at', 'scope', 'ref', 'depth', 'redact']);
  const format = r.oneOf('format', EXPORT_FORMATS, { required: true }) as ExportFormat;
  const out: ExportQuery = { format };
  if (r.oneOf('redact', ['true', 'false']) === 'true') out.redact = true;
  const at = r.time('at');
  if (at !== undefined) out.at = at;
  const scope = parseScope(r.string('scope', { maxLength: 100 }));
  const ref = r.string('ref', { maxLength: LIMITS.ref });
  const depth = r.int('depth', LIMITS.depth);
  if (ref !== undefined) {
    out.ref = parseRef(ref);
    out.depth = depth ?? LIMITS.depth.default;
  } else if (r.string('depth') !== undefined) {
    throw new InvalidInputError('depth is only meaningful with ref', 'ref=<resource>&depth=1..3');
  }
  if (scope !== undefined && ref !== undefined) {
    throw new InvalidInputError(
      'scope and ref cannot be combined',
      'either scope=... (a part of the graph) or ref=...&depth=... (a neighbourhood)',
    );
  }
  if (scope !== undefined) out.scope = scope;
  return out;
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

// ---------------------------------------------------------------- compliance (issue 15)

/** GET /api/compliance: at, account, region, rule, status (all optional). */
export function parseComplianceQuery(query: unknown): ComplianceQuery {
  const r = new QueryReader(query, ['at', 'account', 'region', 'rule', 'status']);
  const out: ComplianceQuery = {};
  const at = r.time('at');
  const account = checkAccount(r.string('account', { maxLength: 64 }), 'account');
  const region = checkRegion(r.string('region', { maxLength: 32 }), 'region');
  // Config rule names are at most 128 characters.
  const rule = r.string('rule', { maxLength: 128 });
  const status = r.oneOf('status', COMPLIANCE_STATUSES);
  if (at !== undefined) out.at = at;
  if (account !== undefined) out.accountId = account;
  if (region !== undefined) out.awsRegion = region;
  if (rule !== undefined) out.rule = rule;
  if (status !== undefined) out.status = status;
  return out;
}
