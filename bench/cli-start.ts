// `npm run bench:cli`: how long the real `configgraph` binary takes to answer `--help`, `--version` and
// `stats` on a small store (the fixture of test/fixtures/stores, migrated once), N runs each, with what
// Node alone and Node with tsx registered take on the same machine in the same run as the floor.
//
//   tsx bench/cli-start.ts [--runs N]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { table } from './lib/measure.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'configgraph.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('usage: tsx bench/cli-start.ts [--runs N]');

const dir = mkdtempSync(join(tmpdir(), 'configgraph-cli-bench-'));
const store = join(dir, 'small.db');
copyFileSync(join(ROOT, 'test', 'fixtures', 'stores', 'schema2.sqlite'), store);

function once(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NEO4J_URI: '' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const cases: [string, string[]][] = [
  ['node -e 0 (Node alone)', ['-e', '0']],
  ['node + tsx registered', ['--import', 'tsx/esm', '-e', '0']],
  ['configgraph --help', [BIN, '--help']],
  ['configgraph --version', [BIN, '--version']],
  ['configgraph stats (small store)', [BIN, 'stats', '--store', `sqlite:${store}`]],
  ['configgraph serve --help', [BIN, 'serve', '--help']],
];

try {
  once([BIN, 'migrate', '--store', `sqlite:${store}`]); // the store is migrated once, not in the figures
  for (const [, args] of cases) once(args); // warm the file cache and tsx's transform cache
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  // Interleaved, so that a burst of load elsewhere on the machine hits every case alike.
  for (let i = 0; i < runs; i++) for (const [name, args] of cases) times.get(name)!.push(once(args));
  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
  console.log(`configgraph start-up, ${runs} runs each, Node ${process.versions.node}\n`);
  console.log(
    table(
      ['case', 'median ms', 'p95 ms', 'min ms'],
      [...times].map(([name, xs]) => [
        name,
        pct(xs, 0.5).toFixed(0),
        pct(xs, 0.95).toFixed(0),
        Math.min(...xs).toFixed(0),
      ]),
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
