// configgraph stats / configgraph runs
import type { CliContext } from '../command.ts';
import { printJson, withStore } from '../common.ts';

export async function runStats(ctx: CliContext): Promise<number> {
  const s = await withStore(ctx, 'read', (store) => store.stats());
  if (ctx.values.json) {
    printJson(ctx, s);
    return 0;
  }
  ctx.stdout.write(
    `${s.resources} resources (+${s.placeholders} not recorded), ${s.versions} versions, ${s.edges} relationships, ${s.runs} runs\n`,
  );
  for (const [t, n] of Object.entries(s.byType)) ctx.stdout.write(`  ${String(n).padStart(6)}  ${t}\n`);
  if (s.lastRun)
    ctx.stdout.write(`last run: ${s.lastRun.status} ${s.lastRun.source} ${s.lastRun.endedAt ?? s.lastRun.startedAt}\n`);
  return 0;
}

export async function runRuns(ctx: CliContext): Promise<number> {
  const runs = await withStore(ctx, 'read', (store) => store.runs());
  if (ctx.values.json) {
    printJson(ctx, runs);
    return 0;
  }
  for (const r of runs) {
    ctx.stdout.write(
      `${r.startedAt}  ${r.status.padEnd(9)}  ${r.source}  ${r.counts.items} items, ${r.counts.versions} versions, ${r.counts.skipped} skipped  ${r.scope}\n`,
    );
  }
  return 0;
}
