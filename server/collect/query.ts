// Advanced-query expressions the collector sends. `SELECT *` returns only scalar fields, so the
// nested documents are named explicitly; filters that would push an expression past Config's
// 4096-character limit are split over several expressions.

export const SELECT_FIELDS = [
  'resourceId',
  'resourceType',
  'resourceName',
  'accountId',
  'awsRegion',
  'availabilityZone',
  'arn',
  'configurationItemCaptureTime',
  'configurationStateId',
  'version',
  'resourceCreationTime',
  'configurationItemStatus',
  'configuration',
  'relationships',
  'tags',
  'supplementaryConfiguration',
] as const;

export const MAX_EXPRESSION = 4096;

export interface QueryFilter {
  resourceTypes?: string[];
  accountIds?: string[];
  regions?: string[];
}

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

function inList(field: string, values: string[]): string {
  return values.length === 1 ? `${field} = ${quote(values[0]!)}` : `${field} IN (${values.map(quote).join(', ')})`;
}

/** One or more expressions that together select everything the filter allows. */
export function selectExpressions(filter: QueryFilter = {}): string[] {
  const head = `SELECT ${SELECT_FIELDS.join(', ')}`;
  const fixed: string[] = [];
  if (filter.accountIds?.length) fixed.push(inList('accountId', filter.accountIds));
  if (filter.regions?.length) fixed.push(inList('awsRegion', filter.regions));
  const build = (types: string[]) => {
    const conds = [...fixed, ...(types.length ? [inList('resourceType', types)] : [])];
    return conds.length ? `${head} WHERE ${conds.join(' AND ')}` : head;
  };
  const base = build([]);
  if (base.length > MAX_EXPRESSION)
    throw new RangeError(
      `the account/region filter alone makes a query of ${base.length} characters (Config allows ${MAX_EXPRESSION})`,
    );
  const types = filter.resourceTypes ?? [];
  if (types.length === 0) return [base];
  // Greedily pack types into as few expressions as fit.
  const out: string[] = [];
  let chunk: string[] = [];
  for (const t of types) {
    if (build([t]).length > MAX_EXPRESSION)
      throw new RangeError(`resource type "${t.slice(0, 80)}" does not fit in a query`);
    if (chunk.length && build([...chunk, t]).length > MAX_EXPRESSION) {
      out.push(build(chunk));
      chunk = [];
    }
    chunk.push(t);
  }
  if (chunk.length) out.push(build(chunk));
  return out;
}
