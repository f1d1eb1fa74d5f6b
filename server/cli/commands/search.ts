// configgraph search <text>
import { InvalidInputError } from '../../../graph/errors.ts';
import { SEARCH_LIMIT } from '../../../graph/query-limits.ts';
import type { CliContext } from '../command.ts';
import { describeKey, intOption, printJson, stringOption, withStore } from '../common.ts';

export async function runSearch(ctx: CliContext): Promise<number> {
  const q = ctx.positionals.join(' ');
  if (!q.trim())
    throw new InvalidInputError('search for what?', 'some text: an id, name, ARN, tag, IP address or DNS name');
  const type = stringOption(ctx, 'type');
  const account = stringOption(ctx, 'account');
  const region = stringOption(ctx, 'region');
  const limit = intOption(ctx, 'limit', SEARCH_LIMIT);
  const hits = await withStore(ctx, 'read', (s) =>
    s.search(q, {
      ...(type ? { type } : {}),
      ...(account ? { accountId: account } : {}),
      ...(region ? { awsRegion: region } : {}),
      ...(limit ? { limit } : {}),
    }),
  );
  if (ctx.values.json) {
    printJson(ctx, { query: q, results: hits });
    return 0;
  }
  if (!hits.length) ctx.stdout.write(`nothing matches "${q}"\n`);
  for (const h of hits) {
    // T3: a deleted resource is found by its last known name; say so, and when to look at it.
    const gone = h.deleted
      ? `  DELETED at ${h.node.deletedAt ?? '?'}${h.node.lastExistedAt ? `, last existed ${h.node.lastExistedAt} (--at)` : ''}`
      : '';
    ctx.stdout.write(
      `${describeKey(h.node.key)}  ${h.node.resourceName ?? ''}  [${h.matchedOn}: ${h.matchedValue}]${gone}\n`,
    );
  }
  return 0;
}
