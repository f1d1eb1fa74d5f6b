// configgraph migrate [--dry-run]: a store's schema version, the version this configgraph writes, and the
// steps between them (SPEC S6). Other commands run the same steps on open; this one shows them first.
import { describeStoreSpec, migrateStore, storeSpec } from '../../../graph/stores/open.ts';
import type { CliContext } from '../command.ts';
import { printJson, stringOption, writerLockOptions } from '../common.ts';

export async function runMigrate(ctx: CliContext): Promise<number> {
  const dryRun = ctx.values['dry-run'] === true;
  const r = await migrateStore(stringOption(ctx, 'store'), ctx.env, {
    dryRun,
    access: writerLockOptions(ctx, 'migrate'),
  });
  if (ctx.values.json) {
    printJson(ctx, r);
    return 0;
  }
  const out = (line: string) => ctx.stdout.write(`${line}\n`);
  out(
    `${describeStoreSpec(storeSpec(stringOption(ctx, 'store'), ctx.env))}: store schema ${r.from ?? 'none'}, this configgraph writes ${r.to}`,
  );
  if (r.steps.length === 0) {
    out('up to date: nothing to do');
    return 0;
  }
  out(`${dryRun ? 'would run' : 'ran'} ${r.steps.length} step${r.steps.length === 1 ? '' : 's'}:`);
  for (const s of r.steps) out(`  schema ${s.to}: ${s.description}`);
  if (dryRun) out('dry run: nothing was changed');
  else
    out(
      `migrated from store schema ${r.from} to ${r.to}${r.backup ? `; the previous file was copied to ${r.backup}` : ''}`,
    );
  return 0;
}
