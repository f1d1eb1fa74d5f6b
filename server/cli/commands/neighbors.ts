// configgraph neighbors <ref> [--depth N | --view attachments|network] [--at T]
import { InvalidInputError } from '../../../graph/errors.ts';
import { NEIGHBORHOOD_DEPTH, NEIGHBORHOOD_LIMIT } from '../../../graph/query-limits.ts';
import type { Neighborhood } from '../../../graph/store.ts';
import { parseViewKind, type Fold, type PurposeView } from '../../../graph/views.ts';
import type { CliContext } from '../command.ts';
import { describeKey, intOption, printJson, timeOption, withStore } from '../common.ts';

export async function runNeighbors(ctx: CliContext): Promise<number> {
  const ref = ctx.positionals[0];
  if (!ref) throw new InvalidInputError('which resource?', 'a resource id, an ARN or a key');
  const depth = intOption(ctx, 'depth', NEIGHBORHOOD_DEPTH);
  const limit = intOption(ctx, 'limit', NEIGHBORHOOD_LIMIT);
  const at = timeOption(ctx, 'at');
  const types = Array.isArray(ctx.values.type) ? ctx.values.type.map(String) : undefined;
  const viewArg = typeof ctx.values.view === 'string' ? ctx.values.view : undefined;
  const kind = viewArg === undefined ? undefined : parseViewKind(viewArg);
  if (kind && (ctx.values.depth !== undefined || types))
    throw new InvalidInputError('--view takes neither --depth nor --type', '--view alone, or --depth/--type alone');
  const n: Neighborhood | PurposeView = await withStore(ctx, 'read', (s) =>
    kind
      ? s.view(ref, { kind, ...(at ? { at } : {}), ...(limit ? { limit } : {}) })
      : s.neighborhood(ref, {
          ...(depth ? { depth } : {}),
          ...(at ? { at } : {}),
          ...(types ? { types } : {}),
          ...(limit ? { limit } : {}),
        }),
  );
  if (ctx.values.json) {
    printJson(ctx, n);
    return 0;
  }
  ctx.stdout.write(
    `${describeKey(n.root)}${kind ? ` (${kind} view)` : ''}${at ? ` as of ${at}` : ''}: ${n.nodes.length} resources, ${n.edges.length} relationships${n.truncated ? ' (truncated)' : ''}\n`,
  );
  for (const e of n.edges) {
    ctx.stdout.write(
      `  ${describeKey(e.source)} --[${e.name.trim() || e.type}${e.origin === 'derived' ? ', derived' : ''}]--> ${describeKey(e.target)}  since ${e.validFrom}\n`,
    );
  }
  // T1: resources shown before Config first recorded them (created earlier), and a deleted root (T3).
  for (const node of n.nodes) {
    if (node.beforeFirstRecord)
      ctx.stdout.write(
        `  ${describeKey(node.key)}: first recorded at ${node.firstRecordedAt ?? '?'} (created earlier; shown as first recorded)\n`,
      );
    if (node.key === n.root && node.deletedAt)
      ctx.stdout.write(
        `  ${describeKey(node.key)}: deleted at ${node.deletedAt}${node.lastExistedAt ? `; last existed ${node.lastExistedAt} (use --at)` : ''}\n`,
      );
  }
  const folds: Fold[] = (n as Partial<PurposeView>).folds ?? [];
  for (const f of folds) ctx.stdout.write(`  ${describeKey(f.parent)} holds ${f.count} × ${f.resourceType} (folded)\n`);
  for (const o of n.omitted ?? [])
    ctx.stdout.write(`  … ${o.count} more neighbours of ${describeKey(o.key)} not shown (cut: a hub or the limit)\n`);
  return 0;
}
