// configgraph export: the same files as GET /api/export, written to a file (atomically) or stdout.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { exportRequest } from '../../../api/export-request.ts';
import { ExportQuery } from '../../../api/operations.ts';
import { readQuery } from '../../../api/read-query.ts';
import { describeStoreSpec, storeSpec } from '../../../graph/stores/open.ts';
import { buildExport, writeChunks } from '../../export/index.ts';
import type { CliContext } from '../command.ts';
import { stringOption, withStore } from '../common.ts';

export async function runExport(ctx: CliContext): Promise<number> {
  // The same parameter schema and rules as the HTTP route (api/), so the CLI and the API accept exactly the same requests.
  const query: Record<string, string> = {};
  for (const name of ['format', 'at', 'scope', 'ref', 'depth']) {
    const v = stringOption(ctx, name);
    if (v !== undefined) query[name] = v;
  }
  if (ctx.values.redact === true) query.redact = 'true';
  const request = exportRequest(readQuery(ExportQuery, query, { flags: true }));
  const out = stringOption(ctx, 'out');
  const label = describeStoreSpec(storeSpec(stringOption(ctx, 'store'), ctx.env));
  await withStore(ctx, 'read', async (store) => {
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
}
