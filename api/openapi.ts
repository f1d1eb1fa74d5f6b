// The OpenAPI 3.1 document, generated from ./operations.ts and ./schemas.ts: GET /api/openapi.json
// serves it and test/api checks every answer against it. Nothing here is written by hand but prose.
import type { TSchema } from 'typebox';
import { OPERATIONS, type Operation } from './operations.ts';
import { COMPONENTS } from './schemas.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const MARKER = /^x-configgraph-/;

/** A plain JSON copy of a schema: named components become $refs, the server's own markers go. */
function published(schema: unknown, root = true): Json {
  if (Array.isArray(schema)) return schema.map((s) => published(s, false));
  if (typeof schema !== 'object' || schema === null) return schema as Json;
  const id = (schema as { $id?: unknown }).$id;
  if (!root && typeof id === 'string') return { $ref: `#/components/schemas/${id}` };
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (MARKER.test(k) || (root && k === '$id')) continue;
    out[k] = published(v, false);
  }
  return out;
}

function parameters(op: Operation): Json[] {
  const list: Json[] = [];
  for (const [where, shape] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (shape === undefined) continue;
    const required = new Set(shape.required ?? []);
    for (const [name, property] of Object.entries(shape.properties as Record<string, TSchema>)) {
      const { description, ...schema } = published(property, false) as JsonObject;
      list.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description === undefined ? {} : { description }),
        schema,
      });
    }
  }
  return list;
}

function operation(op: Operation): JsonObject {
  const responses: JsonObject = {};
  for (const [status, answer] of Object.entries(op.responses)) {
    const content: JsonObject = {};
    for (const [type, schema] of Object.entries(answer.content ?? {}))
      content[type] = { schema: published(schema, false) };
    responses[status] = { description: answer.description, content };
  }
  const params = parameters(op);
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description === undefined ? {} : { description: op.description }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body === undefined
      ? {}
      : {
          requestBody: {
            required: false,
            description: op.body.description,
            content: { 'application/json': { schema: published(op.body.schema, false) } },
          },
        }),
    responses,
  };
}

/** The document for a server of this version. */
export function openApiDocument(version: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  const schemas: JsonObject = {};
  for (const schema of COMPONENTS) schemas[String((schema as { $id?: string }).$id)] = published(schema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'configgraph API',
      version,
      description:
        'AWS Config configuration items as a time-aware graph. Every read takes an optional `at` time. ' +
        'Errors are `{ "error": { "code", "message", "accepted"?, "candidates"? } }`. When the server runs with ' +
        'CONFIGGRAPH_TOKEN every /api call needs `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/' }],
    security: [{}, { bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The value of CONFIGGRAPH_TOKEN.' } },
      schemas,
    },
  };
}
