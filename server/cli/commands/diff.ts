// configgraph diff --from T1 --to T2
import { InvalidInputError } from '../../../graph/errors.ts';
import { TIME_ACCEPTED } from '../../../graph/user-time.ts';
import type { CliContext } from '../command.ts';
import { describeKey, printJson, stringOption, timeOption, withStore } from '../common.ts';

export async function runDiff(ctx: CliContext): Promise<number> {
  const from = timeOption(ctx, 'from');
  const to = timeOption(ctx, 'to') ?? new Date().toISOString();
  if (!from) throw new InvalidInputError('--from is required', TIME_ACCEPTED);
  const account = stringOption(ctx, 'account');
  const region = stringOption(ctx, 'region');
  const d = await withStore(ctx, 'read', (s) =>
    s.diff(from, to, { ...(account ? { accountId: account } : {}), ...(region ? { awsRegion: region } : {}) }),
  );
  if (ctx.values.json) {
    printJson(ctx, d);
    return 0;
  }
  ctx.stdout.write(`from ${d.from} to ${d.to}\n`);
  for (const n of d.resources.added) ctx.stdout.write(`  + ${describeKey(n.key)}\n`);
  for (const n of d.resources.removed) ctx.stdout.write(`  - ${describeKey(n.key)}\n`);
  for (const c of d.resources.changed)
    ctx.stdout.write(`  ~ ${describeKey(c.node.key)} (${c.fromCaptureTime} → ${c.toCaptureTime})\n`);
  ctx.stdout.write(`  relationships: ${d.edges.added.length} added, ${d.edges.removed.length} removed\n`);
  return 0;
}
