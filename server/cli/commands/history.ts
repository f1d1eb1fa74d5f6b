// configgraph history <ref>
import { historyWithCompliance } from '../../../graph/compliance-report.ts';
import { InvalidInputError } from '../../../graph/errors.ts';
import type { CliContext } from '../command.ts';
import { describeKey, printJson, withStore } from '../common.ts';

const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v));

export async function runHistory(ctx: CliContext): Promise<number> {
  const ref = ctx.positionals[0];
  if (!ref) throw new InvalidInputError('which resource?', 'a resource id, an ARN or a key');
  // The body GET /api/resources/{ref}/history answers: its own changes and its compliance transitions.
  const h = await withStore(ctx, 'read', async (s) => historyWithCompliance(s, await s.history(ref)));
  if (ctx.values.json) {
    printJson(ctx, h);
    return 0;
  }
  ctx.stdout.write(`${describeKey(h.resource.key)}: ${h.versions.length} versions\n`);
  for (const v of h.versions) {
    const c = v.changes;
    ctx.stdout.write(
      `\n${v.captureTime}  ${v.status}${v.inferred ? ' (inferred from a snapshot)' : ''}${c.created ? '  first seen' : ''}\n`,
    );
    if (c.statusChange) ctx.stdout.write(`  status ${c.statusChange.from} → ${c.statusChange.to}\n`);
    for (const x of c.configuration)
      ctx.stdout.write(`  ${x.change.padEnd(7)} ${x.path}: ${show(x.oldValue)} → ${show(x.newValue)}\n`);
    for (const t of c.tags) ctx.stdout.write(`  tag ${t.change} ${t.key}: ${show(t.oldValue)} → ${show(t.newValue)}\n`);
    for (const r of c.relationships)
      ctx.stdout.write(`  relationship ${r.change} ${r.name.trim()} ${describeKey(r.target)}\n`);
  }
  if (h.compliance.length) ctx.stdout.write(`\ncompliance (AWS Config rules)\n`);
  for (const t of h.compliance) {
    const who = t.cause?.changedBy?.map((c) => c.principal).join(', ');
    const cause = t.cause ? `  after the change at ${t.cause.captureTime}${who ? ` by ${who}` : ''}` : '';
    ctx.stdout.write(`${t.at}  ${t.rule}: ${t.from ?? '∅'} → ${t.to ?? '∅'}${cause}\n`);
  }
  return 0;
}
