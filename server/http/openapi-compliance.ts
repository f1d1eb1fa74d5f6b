// The OpenAPI description of compliance (issue 15): GET /api/compliance, and the `compliance` fields the
// resource view and history carry. Plain JSON Schema, merged into the document by ./openapi.ts.
import { COMPLIANCE_STATUSES } from '../../graph/compliance.ts';

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const text = { type: 'string' } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const status = { type: 'string', enum: COMPLIANCE_STATUSES } as const;
const nullableStatus = { type: ['string', 'null'], enum: [...COMPLIANCE_STATUSES, null] } as const;
const query = (name: string, description: string, s: object = text) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: s,
});

/** GET /api/compliance without its error answers (./openapi.ts adds the common ones). */
export const complianceOperation = {
  operationId: 'compliance',
  summary:
    'Which resources had which AWS Config rule result at a time, and since when (from AWS::Config::ResourceCompliance items); ' +
    'resources Config evaluated but never recorded are placeholders.',
  parameters: [
    query('at', 'As of this time (default: now).', instant),
    query('account', 'Only resources in this account.'),
    query('region', 'Only resources in this region (global for IAM).'),
    query('rule', 'Only this Config rule, by name, e.g. restricted-ssh.'),
    query('status', 'Only this result.', status),
  ],
  responses: {
    '200': {
      description: 'Results by resource key, then rule (the body `configgraph compliance --json` prints).',
      content: { 'application/json': { schema: schema('ComplianceReport') } },
    },
  },
} as const;

export const complianceSchemas = {
  ComplianceReport: {
    type: 'object',
    required: ['at', 'results'],
    additionalProperties: false,
    properties: {
      at: { type: ['string', 'null'], format: 'date-time', description: 'The time asked for; null for now.' },
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['resource', 'rule', 'status', 'since'],
          additionalProperties: false,
          properties: {
            resource: schema('ResourceNode'),
            rule: text,
            status,
            since: { ...instant, description: 'Start of the unbroken result (a compliance item’s capture time).' },
          },
        },
      },
    },
  },
  RuleCompliance: {
    type: 'object',
    description: 'One rule’s result in force at the requested time, and since when.',
    required: ['rule', 'status', 'since'],
    additionalProperties: false,
    properties: { rule: text, status, since: instant },
  },
  ComplianceTransition: {
    type: 'object',
    description:
      'A change of one rule’s result (from null: first evaluation; to null: no longer evaluated), with the resource’s ' +
      'change captured at or just before it and who made that change, when known.',
    required: ['rule', 'at', 'from', 'to'],
    additionalProperties: false,
    properties: {
      rule: text,
      at: instant,
      from: nullableStatus,
      to: nullableStatus,
      cause: {
        type: 'object',
        required: ['captureTime'],
        additionalProperties: false,
        properties: {
          captureTime: instant,
          // Who made the change, as each history entry says it.
          changedBy: { $ref: '#/components/schemas/HistoryEntry/properties/changedBy' },
        },
      },
    },
  },
} as const;

/** The fields the resource view and the history carry. */
export const resourceViewCompliance = {
  compliance: { type: 'array', items: schema('RuleCompliance'), description: 'Its Config rule results at `at`.' },
} as const;
export const historyCompliance = {
  compliance: {
    type: 'array',
    items: schema('ComplianceTransition'),
    description: 'Its Config rule result changes, oldest first.',
  },
} as const;
