// What GET /api/compliance and `configgraph compliance` ask, read once through the operation's parameter
// schema (./operations.ts) into the report's query: the flags carry the query parameters' names.
import type { ComplianceQuery as ComplianceOptions } from '../graph/compliance-report.ts';
import { ComplianceQuery } from './operations.ts';
import { readQuery, type ReadOptions } from './read-query.ts';

export function readComplianceQuery(query: unknown, opts: ReadOptions = {}): ComplianceOptions {
  const { at, account, region, rule, status } = readQuery(ComplianceQuery, query, opts);
  return {
    ...(at === undefined ? {} : { at }),
    ...(account === undefined ? {} : { accountId: account }),
    ...(region === undefined ? {} : { awsRegion: region }),
    ...(rule === undefined ? {} : { rule }),
    ...(status === undefined ? {} : { status }),
  };
}
