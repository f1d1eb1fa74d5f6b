// Every /api route, written once: its parameters as TypeBox schemas (read by the server's validation
// and by ./openapi.ts) and its answers. Limits, defaults and formats come from graph/query-limits.ts.
import Type, { type Static, type TObject, type TSchema } from 'typebox';
import {
  EXPORT_FORMATS,
  NEIGHBORHOOD_DEPTH,
  NEIGHBORHOOD_LIMIT,
  PATH_MAX_DEPTH,
  REF_MAX,
  SEARCH_LIMIT,
  SEARCH_TEXT_MAX,
  type IntRange,
} from '../graph/query-limits.ts';
export type { ExportFormat } from '../graph/query-limits.ts';
import { COMPLIANCE_STATUSES } from '../graph/compliance.ts';
import { VIEW_KINDS } from '../graph/views.ts';
import * as S from './schemas.ts';

/** Marks a string parameter that holds a time; the server reads it with graph/user-time.ts. */
export const TIME_PARAM = 'x-configgraph-time';
/** What a pattern-checked parameter should be, for the error message: [what it is, what is accepted]. */
export const PATTERN_PARAM = 'x-configgraph-pattern';

const int = (range: IntRange, description: string) =>
  Type.Optional(
    Type.Integer({
      minimum: range.min,
      maximum: range.max,
      default: range.default,
      description: `${description}, ${range.min}–${range.max} (default ${range.default}).`,
    }),
  );
const at = Type.Optional(
  Type.String({
    maxLength: 64,
    [TIME_PARAM]: true,
    description:
      'As-of time: ISO-8601 with a zone offset or Z (2026-03-01T12:00:00Z) or a date (00:00 UTC). Default: now.',
  }),
);
const requiredTime = (description: string) =>
  Type.String({ maxLength: 64, [TIME_PARAM]: true, description: `${description} ISO-8601 with a zone, or a date.` });
const ref = (description: string) => Type.String({ minLength: 1, maxLength: REF_MAX, description });
export const ACCOUNT_ID = /^(\d{12}|[A-Za-z0-9_-]{1,64})$/;
export const REGION_NAME = /^[a-z0-9-]{2,32}$/;
const patterned = (pattern: RegExp, maxLength: number, rule: [string, string], description: string) =>
  Type.Optional(Type.String({ maxLength, pattern: pattern.source, [PATTERN_PARAM]: rule, description }));
const account = patterned(ACCOUNT_ID, 64, ['an account id', 'a 12-digit AWS account id'], 'Only this account id.');
const region = patterned(REGION_NAME, 32, ['a region', 'a region such as eu-west-1, or global'], 'Only this region.');
const noQuery = Type.Object({});

export const RefParams = Type.Object({
  ref: ref(
    'A resource id (i-0abc…), an ARN, or a key `accountId|awsRegion|resourceType|resourceId`, URL-encoded as one path ' +
      'segment (encodeURIComponent): `/` becomes %2F, `|` %7C, `:` may stay. An id that several resources share is a 400 listing the keys.',
  ),
});

export const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: SEARCH_TEXT_MAX,
    description: `Text to look for (1–${SEARCH_TEXT_MAX} characters).`,
  }),
  type: Type.Optional(
    Type.String({ maxLength: 256, description: 'Only this resource type, e.g. AWS::EC2::Instance.' }),
  ),
  account,
  region,
  limit: int(SEARCH_LIMIT, 'Maximum hits'),
});

export const ResourceQuery = Type.Object({ at });

export const NeighborhoodQuery = Type.Object({
  depth: int(NEIGHBORHOOD_DEPTH, 'Hops; the deepest is rate limited'),
  at,
  types: Type.Optional(
    Type.String({
      maxLength: 4000,
      description: 'Comma-separated resource types to keep (the start node is always kept).',
    }),
  ),
  limit: int(NEIGHBORHOOD_LIMIT, 'Maximum nodes'),
});

export const ViewQuery = Type.Object({
  kind: Type.Enum(VIEW_KINDS, { description: VIEW_KINDS.join(' or ') + '.' }),
  at,
  limit: int(NEIGHBORHOOD_LIMIT, 'Maximum nodes'),
});

export const PathQuery = Type.Object({
  from: ref('First resource reference.'),
  to: ref('Second resource reference.'),
  at,
  maxDepth: int(PATH_MAX_DEPTH, 'Longest path searched'),
});

export const DiffQuery = Type.Object({
  from: requiredTime('Earlier time.'),
  to: requiredTime('Later time.'),
  account,
  region,
});

export const ComplianceQuery = Type.Object({
  at,
  account,
  region,
  // Config rule names are at most 128 characters.
  rule: Type.Optional(
    Type.String({ maxLength: 128, description: 'Only this Config rule, by name, e.g. restricted-ssh.' }),
  ),
  status: Type.Optional(Type.Enum(COMPLIANCE_STATUSES, { description: 'Only this result.' })),
});

export const ExportQuery = Type.Object({
  format: Type.Enum(EXPORT_FORMATS, { description: EXPORT_FORMATS.join(', ') + '.' }),
  at,
  scope: Type.Optional(
    Type.String({ maxLength: 100, description: 'ACCOUNT, ACCOUNT/REGION or */REGION (not with ref).' }),
  ),
  ref: Type.Optional(ref('Export the neighbourhood of this resource instead of the whole graph.')),
  depth: int(NEIGHBORHOOD_DEPTH, 'Neighbourhood hops (only with ref)'),
  redact: Type.Optional(
    Type.Enum(['true', 'false'], {
      description:
        'true: account ids, resource ids, names, ARNs and tags become pseudonyms (account-1, resource-17) and configurations are left out.',
    }),
  ),
});

export type SearchQuery = Static<typeof SearchQuery>;
export type NeighborhoodQuery = Static<typeof NeighborhoodQuery>;
export type ViewQuery = Static<typeof ViewQuery>;
export type PathQuery = Static<typeof PathQuery>;
export type DiffQuery = Static<typeof DiffQuery>;
export type ExportQuery = Static<typeof ExportQuery>;
export type ComplianceQuery = Static<typeof ComplianceQuery>;

export interface Answer {
  description: string;
  /** Media type → body schema; absent when the answer has no documented body. */
  content?: Record<string, TSchema>;
}

export interface Operation {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  params?: TObject;
  query?: TObject;
  body?: { description: string; schema: TSchema };
  responses: Record<string, Answer>;
}

const json = (schema: TSchema, description: string): Answer => ({
  description,
  content: { 'application/json': schema },
});
const error = (description: string) => json(S.ErrorBody, description);
const common = {
  '400': error('A parameter is missing, malformed, out of range or unknown; `accepted` says what would be accepted.'),
  '401': error('A token is configured and the request has no valid `Authorization: Bearer` header.'),
  '503': error('The graph store is unavailable.'),
};
const withRef = { ...common, '404': error('No resource matches the reference.') };
const limited = { '429': error('Too many expensive requests from this client; see Retry-After.') };

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/search',
    operationId: 'search',
    summary: 'Resources by id, name, ARN, tag, IP address or DNS name, best matches first.',
    query: SearchQuery,
    responses: {
      '200': json(S.SearchResults, 'Hits, best first (the body `configgraph search --json` prints).'),
      ...common,
    },
  },
  {
    method: 'get',
    path: '/api/resources/{ref}',
    operationId: 'resource',
    summary: 'One resource as of a time: node, version in force (configuration, tags, relationships), edges both ways.',
    params: RefParams,
    query: ResourceQuery,
    responses: { '200': json(S.ResourceView, 'The resource as of `at`.'), ...withRef },
  },
  {
    method: 'get',
    path: '/api/resources/{ref}/neighborhood',
    operationId: 'neighborhood',
    summary: `Nodes and edges within ${NEIGHBORHOOD_DEPTH.min}–${NEIGHBORHOOD_DEPTH.max} hops, following edges in both directions; \`truncated\` with what was cut.`,
    params: RefParams,
    query: NeighborhoodQuery,
    responses: { '200': json(S.Neighborhood, 'The neighbourhood.'), ...withRef, ...limited },
  },
  {
    method: 'get',
    path: '/api/resources/{ref}/view',
    operationId: 'view',
    summary:
      'A view by purpose: `attachments` (from an EC2 instance: interfaces, addresses, security groups, volumes, subnet, ' +
      'its route table and route targets, ACL, load balancers, scaling group, profile and role) or `network` (from a VPC: ' +
      'subnets with route tables and ACLs, gateways, endpoints, peerings, and each subnet’s members folded into counted nodes).',
    params: RefParams,
    query: ViewQuery,
    responses: {
      '200': json(S.PurposeView, 'The view; `omitted` names each hub that was cut and how many neighbours it lost.'),
      ...withRef,
    },
  },
  {
    method: 'get',
    path: '/api/resources/{ref}/history',
    operationId: 'history',
    summary: 'Every version, oldest first, with its changes and (where known) who made them.',
    params: RefParams,
    query: noQuery,
    responses: { '200': json(S.ResourceHistory, 'The history.'), ...withRef },
  },
  {
    method: 'get',
    path: '/api/compliance',
    operationId: 'compliance',
    summary:
      'Which resources had which AWS Config rule result at a time, and since when (from AWS::Config::ResourceCompliance items).',
    query: ComplianceQuery,
    responses: {
      '200': json(
        S.ComplianceReport,
        'Results by resource, then rule (the body `configgraph compliance --json` prints).',
      ),
      ...common,
    },
  },
  {
    method: 'get',
    path: '/api/path',
    operationId: 'path',
    summary: 'How two resources are connected (shortest path, edges in either direction).',
    query: PathQuery,
    responses: { '200': json(S.PathResult, '`found` false when no path within maxDepth.'), ...withRef, ...limited },
  },
  {
    method: 'get',
    path: '/api/diff',
    operationId: 'diff',
    summary: 'Resources added, removed and changed, edges added and removed between two times.',
    query: DiffQuery,
    responses: { '200': json(S.GraphDiff, 'The difference.'), ...common, ...limited },
  },
  {
    method: 'get',
    path: '/api/runs',
    operationId: 'runs',
    summary: 'Collection and import runs with their status and counts.',
    query: noQuery,
    responses: { '200': json(S.RunList, 'The runs.'), ...common },
  },
  {
    method: 'get',
    path: '/api/stats',
    operationId: 'stats',
    summary: 'Counts of resources, versions, edges and runs; resources by type, account and region.',
    query: noQuery,
    responses: { '200': json(S.StoreStats, 'The counts.'), ...common },
  },
  {
    method: 'get',
    path: '/api/export',
    operationId: 'export',
    summary: 'The graph (or a scope, or a neighbourhood) as of a time, as a file.',
    description:
      'json: canonical JSON `{content, manifest}`; manifest.sha256 is the SHA-256 of the RFC 8785 canonical JSON of `content`. ' +
      'csv: a tar of manifest.json, SHA256SUMS, nodes.csv, edges.csv; `sha256sum -c SHA256SUMS` checks the files and ' +
      'manifest.sha256 is the SHA-256 of SHA256SUMS. graphml: for yEd and Gephi. drawio: a diagrams.net file nested ' +
      'account › region › VPC › subnet. `configgraph verify FILE` checks json and csv exports.',
    query: ExportQuery,
    responses: {
      '200': {
        description: 'The file, streamed, with Content-Disposition: attachment.',
        content: {
          'application/json': S.JsonExport,
          'application/x-tar': Type.String({ contentMediaType: 'application/x-tar' }),
          'application/graphml+xml': Type.String(),
          'application/vnd.jgraph.mxfile': Type.String(),
        },
      },
      ...withRef,
      ...limited,
    },
  },
  {
    method: 'get',
    path: '/api/health',
    operationId: 'health',
    summary: 'Whether the store answers, and the last run.',
    query: noQuery,
    responses: {
      '200': json(S.Health, 'Healthy.'),
      '400': common['400'],
      '401': common['401'],
      '503': json(S.Health, 'The store does not answer.'),
    },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'openapi',
    summary: 'This document.',
    query: noQuery,
    responses: {
      '200': json(Type.Object({ openapi: Type.String(), paths: Type.Object({}) }), 'OpenAPI 3.1.'),
      '400': common['400'],
      '401': common['401'],
    },
  },
  {
    method: 'post',
    path: '/api/collections',
    operationId: 'startCollection',
    summary: 'Start collecting from AWS Config now (the explorer\'s "refresh now").',
    body: {
      description: 'Options for the collector (at most 16 KiB), e.g. {} or {"regions":["eu-west-1"]}.',
      schema: Type.Object({}),
    },
    responses: {
      '202': json(S.CollectionEnvelope, 'Started; poll GET /api/collections/current.'),
      '409': error('A collection is already running.'),
      '413': error('The body is larger than 16 KiB.'),
      '501': error('This server has no collector.'),
      ...common,
    },
  },
  {
    method: 'get',
    path: '/api/collections/current',
    operationId: 'currentCollection',
    summary: 'Progress of the running (or last) collection; `collection` is null when there was none.',
    responses: {
      '200': json(S.CollectionEnvelope, 'Progress.'),
      '501': error('This server has no collector.'),
      ...common,
    },
  },
];
