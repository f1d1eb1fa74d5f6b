// The OpenAPI 3.1 description of /api, written by hand: it is the contract the explorer and scripts
// code against, and test/api checks every route and every response against it.
import { toolVersion } from '../export/tool-version.ts';
import {
  complianceOperation,
  complianceSchemas,
  historyCompliance,
  resourceViewCompliance,
} from './openapi-compliance.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ref('Error'), description);
const str = { type: 'string' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const optionalTime = { type: ['string', 'null'], format: 'date-time' } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const VERSION_REQUIRED = [
  'key',
  'captureTime',
  'status',
  'configuration',
  'supplementaryConfiguration',
  'tags',
  'relationships',
  'inferred',
  'contentHash',
];
const VERSION_PROPERTIES = {
  key: str,
  captureTime: time,
  status: str,
  configurationStateId: str,
  arn: str,
  resourceName: str,
  availabilityZone: str,
  resourceCreationTime: time,
  configuration: { description: 'Parsed configuration; null for deleted resources.' },
  supplementaryConfiguration: { type: 'object' },
  tags: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
  relationships: { type: ['array', 'null'], items: ref('RawRelationship') },
  inferred: { type: 'boolean' },
  contentHash: str,
};

const refParam = {
  name: 'ref',
  in: 'path',
  required: true,
  description:
    'A resource id (i-0abc…), an ARN, or a key `accountId|awsRegion|resourceType|resourceId`, URL-encoded as one path ' +
    'segment (encodeURIComponent): `/` becomes %2F, `|` %7C, `:` may stay. An id that several resources share is a 400 listing the keys.',
  schema: { type: 'string', minLength: 1, maxLength: 2048 },
};
const atParam = {
  name: 'at',
  in: 'query',
  description: 'As-of time: ISO-8601 with a zone (2026-03-01T12:00:00Z) or a date (midnight UTC). Default: now.',
  schema: str,
};
const q = (name: string, description: string, schema: object = str, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

const common = {
  '400': error('A parameter is missing, malformed, out of range or unknown; `accepted` says what would be accepted.'),
  '401': error('A token is configured and the request has no valid `Authorization: Bearer` header.'),
  '503': error('The graph store is unavailable.'),
};
const withRef = { ...common, '404': error('No resource matches the reference.') };
const limited = { '429': error('Too many expensive requests from this client; see Retry-After.') };

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'configgraph API',
    version: toolVersion(),
    description:
      'AWS Config configuration items as a time-aware graph. Every read takes an optional `at` time. ' +
      'Errors are `{ "error": { "code", "message", "accepted"?, "candidates"? } }`. When the server runs with ' +
      'CONFIGGRAPH_TOKEN every /api call needs `Authorization: Bearer <token>`.',
  },
  servers: [{ url: '/' }],
  security: [{}, { bearer: [] }],
  paths: {
    '/api/search': {
      get: {
        operationId: 'search',
        summary: 'Resources by id, name, ARN, tag, IP address or DNS name, best matches first.',
        parameters: [
          q('q', 'Text to look for (1–200 characters).', { type: 'string', minLength: 1, maxLength: 200 }, true),
          q('type', 'Only this resource type, e.g. AWS::EC2::Instance.'),
          q('account', 'Only this account id.'),
          q('region', 'Only this region.'),
          q('limit', 'Maximum hits, 1–200 (default 20).', { type: 'integer', minimum: 1, maximum: 200 }),
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['query', 'results'],
              properties: { query: str, results: { type: 'array', items: ref('SearchHit') } },
            },
            'Hits, best first (the body `configgraph search --json` prints).',
          ),
          ...common,
        },
      },
    },
    '/api/resources/{ref}': {
      get: {
        operationId: 'resource',
        summary:
          'One resource as of a time: node, version in force (configuration, tags, relationships), edges both ways.',
        parameters: [refParam, atParam],
        responses: { '200': json(ref('ResourceView'), 'The resource as of `at`.'), ...withRef },
      },
    },
    '/api/resources/{ref}/neighborhood': {
      get: {
        operationId: 'neighborhood',
        summary: 'Nodes and edges within 1–3 hops, following edges in both directions; `truncated` with what was cut.',
        parameters: [
          refParam,
          q('depth', 'Hops, 1–3 (default 1). Depth 3 is rate limited.', { type: 'integer', minimum: 1, maximum: 3 }),
          atParam,
          q('types', 'Comma-separated resource types to keep (the start node is always kept).'),
          q('limit', 'Maximum nodes, 1–5000 (default 500).', { type: 'integer', minimum: 1, maximum: 5000 }),
        ],
        responses: { '200': json(ref('Neighborhood'), 'The neighbourhood.'), ...withRef, ...limited },
      },
    },
    '/api/resources/{ref}/view': {
      get: {
        operationId: 'view',
        summary:
          'A view by purpose: `attachments` (from an EC2 instance: interfaces, addresses, security groups, volumes, subnet, ' +
          'its route table and route targets, ACL, load balancers, scaling group, profile and role) or `network` (from a VPC: ' +
          'subnets with route tables and ACLs, gateways, endpoints, peerings, and each subnet’s members folded into counted nodes).',
        parameters: [
          refParam,
          q('kind', 'attachments or network.', { type: 'string', enum: ['attachments', 'network'] }, true),
          atParam,
          q('limit', 'Maximum nodes, 1–5000 (default 500).', { type: 'integer', minimum: 1, maximum: 5000 }),
        ],
        responses: {
          '200': json(
            ref('PurposeView'),
            'The view; `omitted` names each hub that was cut and how many neighbours it lost.',
          ),
          ...withRef,
        },
      },
    },
    '/api/resources/{ref}/history': {
      get: {
        operationId: 'history',
        summary: 'Every version, oldest first, with its changes and (where known) who made them.',
        parameters: [refParam],
        responses: { '200': json(ref('ResourceHistory'), 'The history.'), ...withRef },
      },
    },
    '/api/path': {
      get: {
        operationId: 'path',
        summary: 'How two resources are connected (shortest path, edges in either direction).',
        parameters: [
          q('from', 'First resource reference.', str, true),
          q('to', 'Second resource reference.', str, true),
          atParam,
          q('maxDepth', 'Longest path searched, 1–8 (default 4).', { type: 'integer', minimum: 1, maximum: 8 }),
        ],
        responses: {
          '200': json(ref('PathResult'), '`found` false when no path within maxDepth.'),
          ...withRef,
          ...limited,
        },
      },
    },
    '/api/diff': {
      get: {
        operationId: 'diff',
        summary: 'Resources added, removed and changed, edges added and removed between two times.',
        parameters: [
          q('from', 'Earlier time.', str, true),
          q('to', 'Later time.', str, true),
          q('account', 'Only this account.'),
          q('region', 'Only this region.'),
        ],
        responses: { '200': json(ref('GraphDiff'), 'The difference.'), ...common, ...limited },
      },
    },
    '/api/runs': {
      get: {
        operationId: 'runs',
        summary: 'Collection and import runs with their status and counts.',
        responses: { '200': json({ type: 'array', items: ref('RunRecord') }, 'The runs.'), ...common },
      },
    },
    '/api/stats': {
      get: {
        operationId: 'stats',
        summary: 'Counts of resources, versions, edges and runs; resources by type, account and region.',
        responses: { '200': json(ref('StoreStats'), 'The counts.'), ...common },
      },
    },
    '/api/export': {
      get: {
        operationId: 'export',
        summary: 'The graph (or a scope, or a neighbourhood) as of a time, as a file.',
        description:
          'json: canonical JSON `{content, manifest}`; manifest.sha256 is the SHA-256 of the RFC 8785 canonical JSON of `content`. ' +
          'csv: a tar of manifest.json, SHA256SUMS, nodes.csv, edges.csv; `sha256sum -c SHA256SUMS` checks the files and ' +
          'manifest.sha256 is the SHA-256 of SHA256SUMS. graphml: for yEd and Gephi. drawio: a diagrams.net file nested ' +
          'account › region › VPC › subnet. `configgraph verify FILE` checks json and csv exports.',
        parameters: [
          q(
            'format',
            'json, graphml, csv or drawio.',
            { type: 'string', enum: ['json', 'graphml', 'csv', 'drawio'] },
            true,
          ),
          atParam,
          q('scope', 'ACCOUNT, ACCOUNT/REGION or */REGION (not with ref).'),
          q('ref', 'Export the neighbourhood of this resource instead of the whole graph.'),
          q('depth', 'Neighbourhood hops, 1–3 (default 1; only with ref).', {
            type: 'integer',
            minimum: 1,
            maximum: 3,
          }),
          q(
            'redact',
            'true: account ids, resource ids, names, ARNs and tags become pseudonyms (account-1, resource-17) and configurations are left out.',
            {
              type: 'string',
              enum: ['true', 'false'],
            },
          ),
        ],
        responses: {
          '200': {
            description: 'The file, streamed, with Content-Disposition: attachment.',
            content: {
              'application/json': { schema: ref('JsonExport') },
              'application/x-tar': { schema: { type: 'string', contentMediaType: 'application/x-tar' } },
              'application/graphml+xml': { schema: { type: 'string' } },
              'application/vnd.jgraph.mxfile': { schema: { type: 'string' } },
            },
          },
          ...withRef,
          ...limited,
        },
      },
    },
    '/api/health': {
      get: {
        operationId: 'health',
        summary: 'Whether the store answers, and the last run.',
        responses: {
          '200': json(ref('Health'), 'Healthy.'),
          '400': common['400'],
          '401': common['401'],
          '503': json(ref('Health'), 'The store does not answer.'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document.',
        responses: {
          '200': json({ type: 'object', required: ['openapi', 'paths'] }, 'OpenAPI 3.1.'),
          '400': common['400'],
          '401': common['401'],
        },
      },
    },
    '/api/collections': {
      post: {
        operationId: 'startCollection',
        summary: 'Start collecting from AWS Config now (the explorer\'s "refresh now").',
        requestBody: {
          required: false,
          description: 'Options for the collector (at most 16 KiB), e.g. {} or {"regions":["eu-west-1"]}.',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        responses: {
          '202': json(ref('CollectionEnvelope'), 'Started; poll GET /api/collections/current.'),
          '409': error('A collection is already running.'),
          '413': error('The body is larger than 16 KiB.'),
          '501': error('This server has no collector.'),
          ...common,
        },
      },
    },
    '/api/collections/current': {
      get: {
        operationId: 'currentCollection',
        summary: 'Progress of the running (or last) collection; `collection` is null when there was none.',
        responses: {
          '200': json(ref('CollectionEnvelope'), 'Progress.'),
          '501': error('This server has no collector.'),
          ...common,
        },
      },
    },
    // Compliance (issue 15): ./openapi-compliance.ts.
    '/api/compliance': { get: { ...complianceOperation, responses: { ...complianceOperation.responses, ...common } } },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The value of CONFIGGRAPH_TOKEN.' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        additionalProperties: false,
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            additionalProperties: false,
            properties: {
              code: {
                type: 'string',
                description: 'Stable machine-readable code, e.g. invalid_input, not_found, ambiguous_ref.',
              },
              message: str,
              accepted: { type: 'string', description: 'What would have been accepted.' },
              candidates: { type: 'array', items: str, description: 'Keys an ambiguous reference could mean.' },
            },
          },
        },
      },
      ItemSource: {
        type: 'object',
        required: ['shape'],
        properties: { file: str, item: str, shape: str },
      },
      ResourceNode: {
        type: 'object',
        required: ['key', 'accountId', 'awsRegion', 'resourceType', 'resourceId', 'status', 'recorded', 'tags'],
        properties: {
          key: { type: 'string', description: 'accountId|awsRegion|resourceType|resourceId' },
          accountId: str,
          awsRegion: str,
          resourceType: str,
          resourceId: str,
          arn: str,
          resourceName: str,
          availabilityZone: str,
          status: str,
          recorded: { type: 'boolean', description: 'False for placeholders: targets no CI describes.' },
          captureTime: time,
          tags: stringMap,
          beforeFirstRecord: {
            type: 'boolean',
            const: true,
            description:
              'Shown at a time after its creation but before Config first captured it (SPEC T1): drawn from its first version.',
          },
          firstRecordedAt: { ...time, description: 'When Config first captured it; only with beforeFirstRecord.' },
          deletedAt: {
            ...time,
            description:
              'The version in force is a deletion captured then; name and tags are its last known ones (T3).',
          },
          lastExistedAt: {
            ...time,
            description: 'The last moment it existed (deletedAt minus 1 ms): open it with `at` set to this (T3).',
          },
        },
      },
      GraphEdge: {
        type: 'object',
        required: ['id', 'source', 'target', 'name', 'type', 'origin', 'validFrom', 'validTo'],
        properties: {
          id: str,
          source: { type: 'string', description: 'Node key.' },
          target: { type: 'string', description: 'Node key.' },
          name: { type: 'string', description: "Config's raw relationshipName (may end in a space)." },
          type: { type: 'string', description: 'Normalised, e.g. IS_CONTAINED_IN.' },
          origin: { type: 'string', enum: ['config', 'derived'] },
          rule: str,
          validFrom: time,
          validTo: optionalTime,
        },
      },
      RawRelationship: {
        type: 'object',
        required: ['name', 'resourceType', 'origin'],
        properties: {
          name: str,
          resourceType: str,
          resourceId: str,
          resourceName: str,
          origin: { type: 'string', enum: ['config', 'derived'] },
          rule: str,
        },
      },
      ResourceVersion: {
        type: 'object',
        required: [...VERSION_REQUIRED, 'source'],
        properties: { ...VERSION_PROPERTIES, source: ref('ItemSource'), runId: str },
      },
      ExportedVersion: {
        type: 'object',
        description: 'A version in a JSON export: a ResourceVersion without its import provenance (source, runId).',
        required: VERSION_REQUIRED,
        properties: VERSION_PROPERTIES,
      },
      ResourceView: {
        type: 'object',
        required: ['node', 'outgoing', 'incoming', 'existsAt', 'compliance'],
        properties: {
          node: ref('ResourceNode'),
          version: ref('ResourceVersion'),
          outgoing: { type: 'array', items: ref('GraphEdge') },
          incoming: { type: 'array', items: ref('GraphEdge') },
          existsAt: { type: 'boolean' },
          ...resourceViewCompliance,
        },
      },
      SearchHit: {
        type: 'object',
        required: ['node', 'matchedOn', 'matchedValue', 'score', 'deleted'],
        properties: {
          node: ref('ResourceNode'),
          matchedOn: { type: 'string', description: 'id, name, arn, tag, ip, dns or configuration.' },
          matchedValue: str,
          score: { type: 'number' },
          deleted: {
            type: 'boolean',
            description: 'Deleted now: found by its last known name and tags; node.lastExistedAt says when to open it.',
          },
        },
      },
      Neighborhood: {
        type: 'object',
        required: ['root', 'nodes', 'edges', 'truncated'],
        properties: {
          root: str,
          nodes: { type: 'array', items: ref('ResourceNode') },
          edges: { type: 'array', items: ref('GraphEdge') },
          truncated: { type: 'boolean' },
          omitted: {
            type: 'array',
            items: { type: 'object', required: ['key', 'count'], properties: { key: str, count: { type: 'integer' } } },
          },
        },
      },
      PurposeView: {
        type: 'object',
        required: ['kind', 'root', 'nodes', 'edges', 'truncated', 'folds'],
        properties: {
          kind: { type: 'string', enum: ['attachments', 'network'] },
          root: str,
          nodes: { type: 'array', items: ref('ResourceNode') },
          edges: { type: 'array', items: ref('GraphEdge') },
          truncated: { type: 'boolean' },
          omitted: {
            type: 'array',
            items: { type: 'object', required: ['key', 'count'], properties: { key: str, count: { type: 'integer' } } },
          },
          folds: {
            type: 'array',
            description:
              'Neighbours of one type beside one node, counted instead of drawn; open one with the neighbourhood of `parent` filtered to `resourceType`.',
            items: {
              type: 'object',
              required: ['id', 'parent', 'resourceType', 'count'],
              properties: { id: str, parent: str, resourceType: str, count: { type: 'integer', minimum: 1 } },
            },
          },
        },
      },
      Change: {
        type: 'object',
        required: ['created', 'configuration', 'tags', 'relationships'],
        properties: {
          created: { type: 'boolean' },
          statusChange: { type: 'object', required: ['from', 'to'], properties: { from: str, to: str } },
          configuration: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'change'],
              properties: {
                path: str,
                change: { type: 'string', enum: ['added', 'removed', 'changed'] },
                oldValue: {},
                newValue: {},
              },
            },
          },
          tags: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'change'],
              properties: {
                key: str,
                change: { type: 'string', enum: ['added', 'removed', 'changed'] },
                oldValue: str,
                newValue: str,
              },
            },
          },
          relationships: {
            type: 'array',
            items: {
              type: 'object',
              required: ['change', 'name', 'type', 'origin', 'target', 'targetType'],
              properties: {
                change: { type: 'string', enum: ['added', 'removed'] },
                name: str,
                type: str,
                origin: { type: 'string', enum: ['config', 'derived'] },
                target: str,
                targetType: str,
                targetId: str,
                targetName: str,
              },
            },
          },
        },
      },
      HistoryEntry: {
        type: 'object',
        required: ['captureTime', 'status', 'inferred', 'source', 'changes'],
        properties: {
          captureTime: time,
          status: str,
          configurationStateId: str,
          inferred: { type: 'boolean' },
          source: ref('ItemSource'),
          changes: ref('Change'),
          changedBy: {
            type: 'array',
            items: {
              type: 'object',
              required: ['principal', 'eventName', 'eventTime'],
              properties: { principal: str, eventName: str, eventTime: time, eventId: str },
            },
          },
        },
      },
      ResourceHistory: {
        type: 'object',
        required: ['resource', 'versions', 'compliance'],
        properties: {
          resource: ref('ResourceNode'),
          versions: { type: 'array', items: ref('HistoryEntry') },
          ...historyCompliance,
        },
      },
      PathResult: {
        type: 'object',
        required: ['found', 'nodes', 'edges'],
        properties: {
          found: { type: 'boolean' },
          nodes: { type: 'array', items: ref('ResourceNode') },
          edges: { type: 'array', items: ref('GraphEdge') },
        },
      },
      GraphDiff: {
        type: 'object',
        required: ['from', 'to', 'resources', 'edges'],
        properties: {
          from: time,
          to: time,
          resources: {
            type: 'object',
            required: ['added', 'removed', 'changed'],
            properties: {
              added: { type: 'array', items: ref('ResourceNode') },
              removed: { type: 'array', items: ref('ResourceNode') },
              changed: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['node'],
                  properties: { node: ref('ResourceNode'), fromCaptureTime: time, toCaptureTime: time },
                },
              },
            },
          },
          edges: {
            type: 'object',
            required: ['added', 'removed'],
            properties: {
              added: { type: 'array', items: ref('GraphEdge') },
              removed: { type: 'array', items: ref('GraphEdge') },
            },
          },
        },
      },
      RunCounts: {
        type: 'object',
        required: ['items', 'resources', 'versions', 'edges', 'skipped', 'duplicates', 'inferredDeletions'],
        properties: Object.fromEntries(
          ['items', 'resources', 'versions', 'edges', 'skipped', 'duplicates', 'inferredDeletions'].map((k) => [
            k,
            { type: 'integer', minimum: 0 },
          ]),
        ),
      },
      RunRecord: {
        type: 'object',
        required: ['id', 'source', 'scope', 'startedAt', 'status', 'counts', 'skipped', 'notes'],
        properties: {
          id: str,
          source: str,
          scope: str,
          startedAt: time,
          endedAt: time,
          status: { type: 'string', enum: ['running', 'succeeded', 'failed', 'partial'] },
          counts: ref('RunCounts'),
          skipped: {
            type: 'array',
            items: { type: 'object', required: ['file', 'reason'], properties: { file: str, item: str, reason: str } },
          },
          notes: { type: 'array', items: str },
        },
      },
      StoreStats: {
        type: 'object',
        required: ['resources', 'placeholders', 'versions', 'edges', 'runs', 'byType', 'byAccount', 'byRegion'],
        properties: {
          resources: { type: 'integer' },
          placeholders: { type: 'integer' },
          versions: { type: 'integer' },
          edges: { type: 'integer' },
          runs: { type: 'integer' },
          byType: { type: 'object', additionalProperties: { type: 'integer' } },
          byAccount: { type: 'object', additionalProperties: { type: 'integer' } },
          byRegion: { type: 'object', additionalProperties: { type: 'integer' } },
          lastRun: ref('RunRecord'),
        },
      },
      Health: {
        type: 'object',
        required: ['status', 'version', 'collector', 'store', 'lastRun'],
        properties: {
          status: { type: 'string', enum: ['ok', 'unavailable'] },
          version: str,
          collector: { type: 'boolean', description: 'Whether POST /api/collections can start a collection.' },
          store: {
            type: 'object',
            required: ['reachable', 'label'],
            properties: { reachable: { type: 'boolean' }, label: str, message: str },
          },
          lastRun: { oneOf: [ref('RunRecord'), { type: 'null' }] },
        },
      },
      CollectionEnvelope: {
        type: 'object',
        required: ['collection'],
        properties: {
          collection: {
            description: "The collector's progress object (see docs/api.md), or null.",
            type: ['object', 'null'],
          },
        },
      },
      ExportManifest: {
        type: 'object',
        required: [
          'manifestVersion',
          'tool',
          'format',
          'generatedAt',
          'at',
          'scope',
          'neighborhood',
          'store',
          'counts',
          'covers',
          'sha256',
          'redacted',
        ],
        properties: {
          manifestVersion: { const: 1 },
          tool: {
            type: 'object',
            required: ['name', 'version'],
            properties: { name: { const: 'configgraph' }, version: str },
          },
          format: { type: 'string', enum: ['json', 'csv'] },
          generatedAt: time,
          at: time,
          scope: { type: ['object', 'null'], properties: { accountId: str, awsRegion: str } },
          neighborhood: {
            type: ['object', 'null'],
            required: ['ref', 'root', 'depth', 'truncated'],
            properties: { ref: str, root: str, depth: { type: 'integer' }, truncated: { type: 'boolean' } },
          },
          store: str,
          counts: {
            type: 'object',
            required: ['nodes', 'edges'],
            properties: { nodes: { type: 'integer' }, edges: { type: 'integer' }, versions: { type: 'integer' } },
          },
          covers: str,
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          redacted: { type: 'boolean' },
          files: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'bytes', 'rows', 'sha256'],
              properties: { name: str, bytes: { type: 'integer' }, rows: { type: 'integer' }, sha256: str },
            },
          },
        },
      },
      JsonExport: {
        type: 'object',
        required: ['content', 'manifest'],
        properties: {
          content: {
            type: 'object',
            required: ['at', 'scope', 'neighborhood', 'nodes', 'edges', 'versions'],
            properties: {
              at: time,
              scope: { type: ['object', 'null'] },
              neighborhood: { type: ['object', 'null'] },
              nodes: { type: 'array', items: ref('ResourceNode') },
              edges: { type: 'array', items: ref('GraphEdge') },
              versions: { type: 'array', items: ref('ExportedVersion') },
            },
          },
          manifest: ref('ExportManifest'),
        },
      },
      // Compliance (issue 15): ./openapi-compliance.ts.
      ...complianceSchemas,
    },
  },
} as const;
