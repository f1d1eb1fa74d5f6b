#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so a clone needs no build step.
// The Node check comes first and imports nothing: an older Node must get one clear line, not a
// crash in a native module (better-sqlite3 13 needs Node 22).
// The version needed is package.json's `engines.node` (">=22.12"): one place to change it.
import { readFileSync } from 'node:fs';
const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const NEEDED = /(\d+)\.(\d+)/.exec(engines).slice(1, 3).map(Number);
const found = process.versions.node.split('.').map(Number);
if (found[0] < NEEDED[0] || (found[0] === NEEDED[0] && found[1] < NEEDED[1])) {
  process.stderr.write(
    `configgraph: this is Node.js ${process.versions.node}; configgraph needs Node.js ${NEEDED.join('.')} or later (22 LTS or newer)\n`,
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
