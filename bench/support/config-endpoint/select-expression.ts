// The subset of AWS Config's advanced-query SQL the test endpoint understands: a SELECT list of
// property paths and an optional WHERE of =, !=, IN, NOT IN, LIKE combined with AND, OR and
// parentheses. Anything else is rejected as Config does (InvalidExpressionException), so a
// collector that sends an expression this grammar cannot honour fails loudly instead of passing.

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

export type Condition =
  | { kind: 'cmp'; field: string; op: '=' | '!=' | 'LIKE'; value: string }
  | { kind: 'in'; field: string; negated: boolean; values: string[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition };

export interface SelectQuery {
  fields: string[];
  where?: Condition;
}

/** Top-level properties advanced query knows (AWS.properties.json) plus the nested documents. */
export const SCALAR_FIELDS = new Set([
  'accountId',
  'arn',
  'availabilityZone',
  'awsRegion',
  'configurationItemCaptureTime',
  'configurationItemStatus',
  'configurationStateId',
  'resourceCreationTime',
  'resourceId',
  'resourceName',
  'resourceType',
  'version',
]);
const DOCUMENT_FIELDS = new Set(['configuration', 'supplementaryConfiguration', 'relationships', 'tags']);

export function isKnownField(path: string): boolean {
  const head = path.split('.')[0] ?? '';
  if (SCALAR_FIELDS.has(path)) return true;
  return DOCUMENT_FIELDS.has(head);
}

type Token = { t: 'word' | 'string' | 'punct'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExpressionError('unterminated string literal');
        if (src[i] === "'" && src[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (src[i] === "'") {
          i++;
          break;
        } else s += src[i++];
      }
      out.push({ t: 'string', v: s });
    } else if (c === '!' && src[i + 1] === '=') {
      out.push({ t: 'punct', v: '!=' });
      i += 2;
    } else if ('=(),*'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let w = '';
      while (i < src.length && /[A-Za-z0-9_.:]/.test(src[i]!)) w += src[i++];
      out.push({ t: 'word', v: w });
    } else {
      throw new ExpressionError(`unexpected character "${c}" at position ${i}`);
    }
  }
  return out;
}

const KEYWORDS = new Set(['SELECT', 'WHERE', 'AND', 'OR', 'IN', 'NOT', 'LIKE', 'FROM', 'ORDER', 'GROUP', 'BY']);

export function parseSelect(src: string): SelectQuery {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const kw = (w: string) => peek()?.t === 'word' && peek()!.v.toUpperCase() === w;
  const expect = (pred: boolean, what: string) => {
    if (!pred) throw new ExpressionError(`expected ${what} near "${peek()?.v ?? 'end of expression'}"`);
  };
  const field = (): string => {
    const t = peek();
    expect(t?.t === 'word' && !KEYWORDS.has(t.v.toUpperCase()), 'a property name');
    p++;
    if (!isKnownField(t!.v)) throw new ExpressionError(`unknown property "${t!.v}"`);
    return t!.v;
  };

  expect(kw('SELECT'), 'SELECT');
  p++;
  if (peek()?.v === '*') throw new ExpressionError('this endpoint does not implement SELECT *; name the properties');
  const fields = [field()];
  while (peek()?.v === ',') {
    p++;
    fields.push(field());
  }

  const value = (): string => {
    const t = peek();
    expect(t?.t === 'string', 'a quoted string');
    p++;
    return t!.v;
  };
  const primary = (): Condition => {
    if (peek()?.v === '(') {
      p++;
      const c = orExpr();
      expect(peek()?.v === ')', '")"');
      p++;
      return c;
    }
    const f = field();
    let negated = false;
    if (kw('NOT')) {
      p++;
      negated = true;
      expect(kw('IN'), 'IN after NOT');
    }
    if (kw('IN')) {
      p++;
      expect(peek()?.v === '(', '"(" after IN');
      p++;
      const values = [value()];
      while (peek()?.v === ',') {
        p++;
        values.push(value());
      }
      expect(peek()?.v === ')', '")" closing the IN list');
      p++;
      return { kind: 'in', field: f, negated, values };
    }
    const opTok = peek();
    let op: '=' | '!=' | 'LIKE';
    if (opTok?.v === '=' || opTok?.v === '!=') op = opTok.v;
    else if (kw('LIKE')) op = 'LIKE';
    else throw new ExpressionError(`expected =, !=, IN or LIKE after ${f}`);
    p++;
    return { kind: 'cmp', field: f, op, value: value() };
  };
  const andExpr = (): Condition => {
    let left = primary();
    while (kw('AND')) {
      p++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): Condition => {
    let left = andExpr();
    while (kw('OR')) {
      p++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };

  const query: SelectQuery = { fields };
  if (kw('WHERE')) {
    p++;
    query.where = orExpr();
  }
  if (p < toks.length) throw new ExpressionError(`unsupported clause near "${toks[p]!.v}"`);
  return query;
}

/** Values a property path takes on a record (arrays fan out, as Config's query does for tags/relationships). */
export function valuesAt(record: Record<string, unknown>, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      if (Array.isArray(v)) {
        for (const e of v) if (e && typeof e === 'object') next.push((e as Record<string, unknown>)[part]);
      } else if (v && typeof v === 'object') next.push((v as Record<string, unknown>)[part]);
    }
    current = next.flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]));
  }
  return current.filter((v) => v !== undefined && v !== null);
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function matches(cond: Condition | undefined, record: Record<string, unknown>): boolean {
  if (!cond) return true;
  switch (cond.kind) {
    case 'and':
      return matches(cond.left, record) && matches(cond.right, record);
    case 'or':
      return matches(cond.left, record) || matches(cond.right, record);
    case 'in': {
      const vals = valuesAt(record, cond.field).map(String);
      const hit = vals.some((v) => cond.values.includes(v));
      return cond.negated ? !hit : hit;
    }
    case 'cmp': {
      const vals = valuesAt(record, cond.field).map(String);
      if (cond.op === '=') return vals.includes(cond.value);
      if (cond.op === '!=') return !vals.includes(cond.value);
      const re = likeToRegExp(cond.value);
      return vals.some((v) => re.test(v));
    }
  }
}

/** The result row Config returns for a record: only the selected paths, nested as in the record. */
export function project(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const parts = f.split('.');
    let src: unknown = record;
    for (const part of parts)
      src = src && typeof src === 'object' && !Array.isArray(src) ? (src as Record<string, unknown>)[part] : undefined;
    if (src === undefined || src === null) continue;
    let dst = out;
    parts.slice(0, -1).forEach((part) => {
      dst[part] ??= {};
      dst = dst[part] as Record<string, unknown>;
    });
    dst[parts[parts.length - 1]!] = src;
  }
  return out;
}
