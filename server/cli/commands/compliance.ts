// configgraph compliance [--rule R] [--status S] [--at T] [--account A] [--region R]
import { complianceReport, type ComplianceQuery } from '../../../graph/compliance-report.ts';
import type { CliContext } from '../command.ts';
import { readComplianceQuery } from '../../../api/compliance-request.ts';
import { describeKey, printJson, stringOption, withStore } from '../common.ts';

/** The flags carry the query parameters' names and rules (api/operations.ts ComplianceQuery). */
function queryOf(ctx: CliContext): ComplianceQuery {
  const given: Record<string, string> = {};
  for (const name of ['at', 'account', 'region', 'rule', 'status']) {
    const value = stringOption(ctx, name);
    if (value !== undefined) given[name] = name === 'status' ? value.toUpperCase() : value;
  }
  return readComplianceQuery(given, { flags: true });
}

export async function runCompliance(ctx: CliContext): Promise<number> {
  const query = queryOf(ctx);
  const report = await withStore(ctx, 'read', (s) => complianceReport(s, query));
  if (ctx.values.json) {
    // The body GET /api/compliance answers.
    printJson(ctx, report);
    return 0;
  }
  ctx.stdout.write(`compliance as of ${report.at ?? 'now'}: ${report.results.length} results\n`);
  for (const r of report.results) {
    const name = r.resource.resourceName ? `  ${r.resource.resourceName}` : '';
    const unrecorded = r.resource.recorded ? '' : '  (not recorded by Config)';
    ctx.stdout.write(
      `${r.status.padEnd(17)} ${r.rule}  since ${r.since}  ${describeKey(r.resource.key)}${name}${unrecorded}\n`,
    );
  }
  return 0;
}
