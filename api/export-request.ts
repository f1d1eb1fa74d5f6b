// What an export asks for, from the parameters GET /api/export and `configgraph export` share: the
// rules that tie parameters together (scope or ref, depth only with ref) live here, once.
import { InvalidInputError } from '../graph/errors.ts';
import type { IsoTime, Scope } from '../graph/model.ts';
import { NEIGHBORHOOD_DEPTH, type ExportFormat } from '../graph/query-limits.ts';
import { ACCOUNT_ID, REGION_NAME, type ExportQuery } from './operations.ts';
import { quote } from './read-query.ts';

export interface ExportRequest {
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
export function parseScope(value: string): Scope {
  const [account, region, ...rest] = value.split('/');
  if (rest.length > 0 || account === undefined || account === '')
    throw new InvalidInputError(`scope ${quote(value)} is not a scope`, SCOPE_ACCEPTED);
  const scope: Scope = {};
  if (account !== '*') {
    if (!ACCOUNT_ID.test(account))
      throw new InvalidInputError(`scope ${quote(value)} does not start with an account id`, SCOPE_ACCEPTED);
    scope.accountId = account;
  }
  if (region !== undefined) {
    if (!REGION_NAME.test(region))
      throw new InvalidInputError(`scope ${quote(value)} does not end with a region`, SCOPE_ACCEPTED);
    scope.awsRegion = region;
  }
  if (scope.accountId === undefined && scope.awsRegion === undefined)
    throw new InvalidInputError(`scope ${quote(value)} selects nothing`, SCOPE_ACCEPTED);
  return scope;
}

export function exportRequest(query: ExportQuery): ExportRequest {
  const out: ExportRequest = { format: query.format };
  if (query.redact === 'true') out.redact = true;
  if (query.at !== undefined) out.at = query.at;
  if (query.ref === undefined && query.depth !== undefined)
    throw new InvalidInputError(
      'depth is only meaningful with ref',
      `ref=<resource>&depth=${NEIGHBORHOOD_DEPTH.min}..${NEIGHBORHOOD_DEPTH.max}`,
    );
  if (query.scope !== undefined && query.ref !== undefined)
    throw new InvalidInputError(
      'scope and ref cannot be combined',
      'either scope=... (a part of the graph) or ref=...&depth=... (a neighbourhood)',
    );
  if (query.ref !== undefined) {
    out.ref = query.ref;
    out.depth = query.depth ?? NEIGHBORHOOD_DEPTH.default;
  }
  if (query.scope !== undefined) out.scope = parseScope(query.scope);
  return out;
}
