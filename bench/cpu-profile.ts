// Where a `node --cpu-prof` profile spent its time: the functions with the most self time and the most
// inclusive time, optionally only below a function (how issue 13's ingest profile was read).
//
//   node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx/esm bench/run.ts --size small
//   npx tsx bench/cpu-profile.ts .tmp/prof/CPU.*.cpuprofile [--top 40] [--under 'ingest sqlite/index']
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const USAGE = "usage: tsx bench/cpu-profile.ts FILE.cpuprofile [--top N] [--under 'REGEX of a function and file']";

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      options: { top: { type: 'string', default: '40' }, under: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const flags = parsed.values;
  const file = parsed.positionals[0];
  const top = Number(flags.top);
  if (!file || !(top > 0)) {
    console.error(USAGE);
    return 2;
  }
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const micros = new Map<number, number>();
  p.samples.forEach((id, i) => micros.set(id, (micros.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
  const under = flags.under ? new RegExp(flags.under) : undefined;
  const ancestors = (id: number) => {
    const names: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) names.push(name(byId.get(at)!));
    return names;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, t] of micros) {
    const names = ancestors(id);
    if (under && !names.some((n) => under.test(n))) continue;
    total += t;
    self.set(names[0]!, (self.get(names[0]!) ?? 0) + t);
    for (const n of new Set(names)) inclusive.set(n, (inclusive.get(n) ?? 0) + t);
  }
  for (const [title, m] of [
    ['self time', self],
    ['inclusive time', inclusive],
  ] as const) {
    console.log(`\n${title} (${(total / 1000).toFixed(0)} ms sampled${under ? ` below /${flags.under}/` : ''})`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
  return 0;
}

process.exitCode = main();
