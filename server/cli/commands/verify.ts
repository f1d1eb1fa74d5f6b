// configgraph verify FILE: checks an export (JSON, or the CSV tar) against its manifest.
import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../../graph/errors.ts';
import { verifyExport } from '../../export/verify.ts';
import type { CliContext } from '../command.ts';
import { printJson } from '../common.ts';

export async function runVerify(ctx: CliContext): Promise<number> {
  const file = ctx.positionals[0];
  if (file === undefined || ctx.positionals.length > 1) {
    throw new InvalidInputError(
      'verify one file',
      'a file written by `configgraph export` or GET /api/export (format json or csv)',
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new InvalidInputError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'an export file',
    );
  }
  const result = verifyExport(bytes);
  if (ctx.values.json) {
    printJson(ctx, { file, ...result });
  } else {
    for (const c of result.checks) ctx.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.what}\n`);
    const m = result.manifest;
    if (result.ok && m !== undefined) {
      ctx.stdout.write(
        `${file}: verified — ${m.counts.nodes} resources, ${m.counts.edges} relationships as of ${m.at}` +
          `${m.scope ? ` (scope ${JSON.stringify(m.scope)})` : ''} from ${m.store}, configgraph ${m.tool.version}\n`,
      );
    } else {
      // Say why: a file with no manifest at all is not "a mismatch".
      const why =
        result.format === 'unknown'
          ? (result.checks[0]?.what ?? 'not an export configgraph can verify')
          : 'the content does not match its manifest';
      ctx.stderr.write(`${file}: NOT verified — ${why}\n`);
    }
  }
  return result.ok ? 0 : 1;
}
