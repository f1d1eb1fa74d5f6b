// configgraph import <files or folders...>
import { InvalidInputError } from '../../../graph/errors.ts';
import { importPaths } from '../../import.ts';
import type { CliCommand } from '../command.ts';
import { printJson, stringOption, withStore } from '../common.ts';
import { EXIT } from '../main.ts';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import AWS Config data from files and folders (.json, .json.gz; every shape AWS produces)',
  usage: 'import <files or folders...> [--account ID] [--store S] [--json]',
  options: { account: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new InvalidInputError('nothing to import', 'one or more files or folders');
    const tty = Boolean(ctx.stderr.isTTY) && !ctx.values.json;
    const account = stringOption(ctx, 'account');
    const summary = await withStore(ctx, (store) =>
      importPaths(store, ctx.positionals, {
        ...(account ? { defaultAccountId: account } : {}),
        onProgress: (p) => {
          if (!tty) return;
          const width = 30;
          const filled = Math.round((p.filesDone / Math.max(p.filesTotal, 1)) * width);
          ctx.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.filesDone}/${p.filesTotal} files, ${p.items} items`);
        },
      }),
    );
    if (tty) ctx.stderr.write('\n');
    const body = {
      items: summary.items,
      events: summary.events,
      resources: summary.resources,
      versions: summary.versions,
      edges: summary.edges,
      duplicates: summary.duplicates,
      inferredDeletions: summary.inferredDeletions,
      files: summary.files,
      runId: summary.run.id,
      skipped: summary.skipped,
      notes: summary.notes,
    };
    if (ctx.values.json) printJson(ctx, body);
    else {
      ctx.stdout.write(
        `imported ${summary.items} items${summary.events ? ` and ${summary.events} CloudTrail events` : ''} from ${summary.files} files: ${summary.resources} resources, ${summary.versions} new versions ` +
          `(${summary.duplicates} already stored), ${summary.edges} edges, ${summary.inferredDeletions} inferred deletions\n`,
      );
      if (summary.skipped.length) {
        ctx.stdout.write(`skipped ${summary.skipped.length}:\n`);
        for (const s of summary.skipped) ctx.stdout.write(`  ${s.file}${s.item ? ` ${s.item}` : ''}: ${s.reason}\n`);
      }
      for (const n of summary.notes) ctx.stdout.write(`note: ${n}\n`);
    }
    // Non-zero only when nothing could be imported (the store failing throws before this).
    return summary.items === 0 && summary.events === 0 ? EXIT.failed : EXIT.ok;
  },
};
