// Reads a query string (HTTP) or the same names from CLI flags against an operation's parameter schema
// (./operations.ts): unknown or repeated names, missing required ones, text too long, integers out of
// range, values outside an enum, patterns and times each become an InvalidInputError saying what is
// accepted. The schema is the only statement of the rules; this is its one interpreter.
import type { Static, TObject } from 'typebox';
import { InvalidInputError } from '../graph/errors.ts';
import { parseTime } from '../graph/user-time.ts';
import { PATTERN_PARAM, TIME_PARAM } from './operations.ts';

interface ParamSchema {
  type?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  [TIME_PARAM]?: boolean;
  [PATTERN_PARAM]?: readonly [string, string];
}

const truncate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
export const quote = (s: string): string => `"${truncate(s)}"`;

function readOne(name: string, raw: string, schema: ParamSchema, param: string): string | number {
  if (schema.maxLength !== undefined && raw.length > schema.maxLength)
    throw new InvalidInputError(
      `${param} is too long (${raw.length} characters)`,
      `at most ${schema.maxLength} characters`,
    );
  if (schema.type === 'integer') {
    const accepted = `an integer from ${schema.minimum} to ${schema.maximum}`;
    const n = Number(raw);
    if (!/^(0|[1-9]\d*)$/.test(raw) || n < (schema.minimum ?? 0) || n > (schema.maximum ?? Number.MAX_SAFE_INTEGER))
      throw new InvalidInputError(`${name} ${quote(raw)} is out of range`, accepted);
    return n;
  }
  if (schema.enum !== undefined) {
    if (!schema.enum.includes(raw))
      throw new InvalidInputError(`${name} ${quote(raw)} is not supported`, `one of: ${schema.enum.join(', ')}`);
    return raw;
  }
  if (schema[TIME_PARAM] === true) return parseTime(raw, name);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(raw)) {
    const [what, accepted] = schema[PATTERN_PARAM] ?? ['accepted', `text matching ${schema.pattern}`];
    throw new InvalidInputError(`${name} ${quote(raw)} is not ${what}`, accepted);
  }
  return raw;
}

export interface ReadOptions {
  /** The values come from CLI flags: errors name them `--at`, not `at`. */
  flags?: boolean;
}

/** The parameters `query` holds, checked against `shape`; absent optional ones stay absent. */
export function readQuery<T extends TObject>(shape: T, query: unknown, opts: ReadOptions = {}): Static<T> {
  const named = (name: string) => (opts.flags ? `--${name}` : name);
  const param = (name: string) => (opts.flags ? `--${name}` : `the query parameter "${name}"`);
  const given = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const properties = shape.properties as Record<string, ParamSchema>;
  const names = Object.keys(properties);
  const unknown = Object.keys(given).filter((k) => !names.includes(k));
  if (unknown.length > 0)
    throw new InvalidInputError(
      `unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.map(truncate).join(', ')}`,
      names.length > 0 ? `parameters: ${names.join(', ')}` : 'no query parameters',
    );
  const required = new Set<string>(shape.required ?? []);
  const out: Record<string, string | number> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const raw = given[name];
    if (raw !== undefined && typeof raw !== 'string')
      throw new InvalidInputError(`${param(name)} is given more than once`, `one ${name}=`);
    if (raw === '' && schema.type === 'integer')
      throw new InvalidInputError(`${param(name)} is empty`, `an integer from ${schema.minimum} to ${schema.maximum}`);
    if (raw === undefined || raw === '') {
      if (required.has(name))
        throw new InvalidInputError(
          `${param(name)} is required`,
          `${opts.flags ? `--${name} ` : `${name}=`}${schema.enum ? schema.enum.join('|') : `<${schema[TIME_PARAM] ? 'time' : 'text'}>`}`,
        );
      continue;
    }
    out[name] = readOne(named(name), raw, schema, param(name));
  }
  // The schema has just been checked field by field: this is the one place the result takes its type.
  return out as Static<T>;
}
