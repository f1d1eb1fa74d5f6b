// configgraph stats / configgraph runs
import type { CliCommand } from '../command.ts';
import { printJson, withStore } from '../common.ts';

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'what the store holds: counts by type, account and region, and the last run',
  usage: 'stats [--json]',
  options: {},
  async run(ctx) {
    const s = await withStore(ctx, (store) => store.stats());
    if (ctx.values.json) {
      printJson(ctx, s);
      return 0;
    }
    ctx.stdout.write(
      `${s.resources} resources (+${s.placeholders} not recorded), ${s.versions} versions, ${s.edges} relationships, ${s.runs} runs\n`,
    );
    for (const [t, n] of Object.entries(s.byType)) ctx.stdout.write(`  ${String(n).padStart(6)}  ${t}\n`);
    if (s.lastRun)
      ctx.stdout.write(
        `last run: ${s.lastRun.status} ${s.lastRun.source} ${s.lastRun.endedAt ?? s.lastRun.startedAt}\n`,
      );
    return 0;
  },
};

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'imports and collections, newest first, with their counts and what was skipped',
  usage: 'runs [--json]',
  options: {},
  async run(ctx) {
    const runs = await withStore(ctx, (store) => store.runs());
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
  },
};
