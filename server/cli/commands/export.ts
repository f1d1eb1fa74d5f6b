// configgraph export: the same files as GET /api/export, written to a file (atomically) or stdout.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { describeStoreSpec, storeSpec } from '../../../graph/stores/open.ts';
import { buildExport, writeChunks } from '../../export/index.ts';
import { parseExport } from '../../http/validation.ts';
import type { CliCommand } from '../command.ts';
import { stringOption, withStore } from '../common.ts';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write the graph (or a scope or neighbourhood) as of a time as JSON, CSV, GraphML or draw.io',
  usage:
    'export --format json|csv|graphml|drawio [--at ISO-TIME] [--scope ACCOUNT[/REGION]] [--ref REF [--depth 1-3]] [--redact] [--out FILE]',
  options: {
    format: { type: 'string' },
    at: { type: 'string' },
    scope: { type: 'string' },
    ref: { type: 'string' },
    depth: { type: 'string' },
    out: { type: 'string', short: 'o' },
    redact: { type: 'boolean' },
  },
  async run(ctx) {
    // The same validation as the HTTP route, so the CLI and the API accept exactly the same requests.
    const query: Record<string, string> = {};
    for (const name of ['format', 'at', 'scope', 'ref', 'depth']) {
      const v = stringOption(ctx, name);
      if (v !== undefined) query[name] = v;
    }
    if (ctx.values.redact === true) query.redact = 'true';
    const request = parseExport(query);
    const out = stringOption(ctx, 'out');
    const label = describeStoreSpec(storeSpec(stringOption(ctx, 'store'), ctx.env));
    await withStore(ctx, async (store) => {
      const file = await buildExport(store, request, { store: label });
      if (out === undefined || out === '-') {
        await writeChunks(ctx.stdout, file.chunks);
        return;
      }
      // Write beside the target and rename, so an interrupted export never leaves a half file behind.
      const partial = `${out}.partial-${process.pid}`;
      try {
        const stream = createWriteStream(partial);
        await writeChunks(stream, file.chunks);
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.end(resolve);
        });
        await rename(partial, out);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      ctx.stderr.write(`wrote ${out} (${request.format}${request.at ? ` as of ${request.at}` : ', as of now'})\n`);
    });
    return 0;
  },
};
