// configgraph compliance [--rule R] [--status S] [--at T] [--account A] [--region R]
import { COMPLIANCE_STATUSES, isComplianceStatus } from '../../../graph/compliance.ts';
import { complianceReport, type ComplianceQuery } from '../../../graph/compliance-report.ts';
import { InvalidInputError } from '../../../graph/errors.ts';
import type { CliContext } from '../command.ts';
import { describeKey, printJson, stringOption, timeOption, withStore } from '../common.ts';

function queryOf(ctx: CliContext): ComplianceQuery {
  const query: ComplianceQuery = {};
  const at = timeOption(ctx, 'at');
  const account = stringOption(ctx, 'account');
  const region = stringOption(ctx, 'region');
  const rule = stringOption(ctx, 'rule');
  const status = stringOption(ctx, 'status')?.toUpperCase();
  if (status !== undefined && !isComplianceStatus(status))
    throw new InvalidInputError(`--status "${status}" is not a compliance result`, COMPLIANCE_STATUSES.join(', '));
  if (at !== undefined) query.at = at;
  if (account !== undefined) query.accountId = account;
  if (region !== undefined) query.awsRegion = region;
  if (rule !== undefined) query.rule = rule;
  if (status !== undefined) query.status = status;
  return query;
}

export async function runCompliance(ctx: CliContext): Promise<number> {
  const query = queryOf(ctx);
  const report = await withStore(ctx, (s) => complianceReport(s, query));
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
