// `npm run bench:disk -- DIR`: issue 13's figures (bench/lib/on-disk.ts) for an estate already written as S3
// delivery files (`bench/generate-files.ts DIR --size xlarge`). `npm run bench -- --size xlarge` generates
// the files itself, once, and takes this route too.
//
//   tsx bench/estate-on-disk.ts DIR [--json FILE] [--keep]
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { measureOnDisk } from './lib/on-disk.ts';

const USAGE = 'usage: tsx bench/estate-on-disk.ts DIR [--json FILE] [--keep]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ options: { json: { type: 'string' }, keep: { type: 'boolean' } }, allowPositionals: true });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const dir = positionals[0];
  if (!dir || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(USAGE);
    return 2;
  }
  await measureOnDisk(dir, {
    ...(values.json ? { json: values.json } : {}),
    ...(values.keep ? { keep: true } : {}),
  });
  return 0;
}

process.exitCode = await main();
