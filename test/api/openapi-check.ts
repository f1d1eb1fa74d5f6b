// Checks real responses against the generated OpenAPI document (api/openapi.ts): the status must be documented
// for that route, and a JSON body must validate against the documented schema (ajv, JSON Schema 2020-12).
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { openApiDocument as generate } from '../../api/openapi.ts';

/** The generated document, as GET /api/openapi.json serves it (the version aside). */
export const openApiDocument = generate('test');

const DOC_ID = 'https://configgraph.test/openapi.json';

type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };
type PathItem = Record<string, Operation>;

const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: under ESM its plugin arrives as the default export's default.
const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as (a: Ajv2020) => void;
addFormats(ajv);
ajv.addSchema({ ...(openApiDocument as object), $id: DOC_ID });

const pointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every (method, template, status) seen, for the coverage check at the end of a suite. */
export const seen = new Set<string>();

export function checkResponse(
  method: string,
  template: string,
  status: number,
  contentType: string | null,
  body: unknown,
): void {
  const paths = openApiDocument.paths as unknown as Record<string, PathItem>;
  const item = paths[template];
  if (item === undefined) throw new Error(`${template} is not in the OpenAPI document`);
  const op = item[method.toLowerCase()];
  if (op === undefined) throw new Error(`${method} ${template} is not in the OpenAPI document`);
  const response = op.responses[String(status)];
  if (response === undefined) {
    throw new Error(
      `${method} ${template} answered ${status}, which the OpenAPI document does not list (${Object.keys(op.responses).join(', ')}): ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  seen.add(`${method.toUpperCase()} ${template} ${status}`);
  const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (response.content === undefined) return;
  if (!(mediaType in response.content)) {
    throw new Error(
      `${method} ${template} ${status} answered ${mediaType}, documented: ${Object.keys(response.content).join(', ')}`,
    );
  }
  if (mediaType !== 'application/json') return;
  const id = `${DOC_ID}#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}/content/${pointer(mediaType)}/schema`;
  const validate = ajv.getSchema(id);
  if (validate === undefined) throw new Error(`no schema at ${id}`);
  if (!validate(body)) {
    throw new Error(
      `${method} ${template} ${status} does not match its schema: ${ajv.errorsText(validate.errors)}; body: ${JSON.stringify(body).slice(0, 400)}`,
    );
  }
}

/** Validates any value against a named component schema (e.g. the JSON export's manifest). */
export function checkSchema(name: string, value: unknown): void {
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`);
  if (validate === undefined) throw new Error(`no component schema ${name}`);
  if (!validate(value)) throw new Error(`${name} does not match: ${ajv.errorsText(validate.errors)}`);
}
