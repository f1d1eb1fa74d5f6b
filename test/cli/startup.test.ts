// Fast start: the registry holds each command's name, summary, usage and options, and loads the command's
// module only when it runs; `--version` is package.json's. (Speed itself is measured by `npm run bench:cli`.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../server/cli/main.ts';
import { COMMANDS } from '../../server/cli/registry.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'configgraph.js');

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = (s: PassThrough) => () => (s.read() as Buffer | null)?.toString('utf8') ?? '';
  return { io: { stdout, stderr, env: {} }, out: text(stdout), err: text(stderr) };
}

afterEach(() => vi.restoreAllMocks());

describe('CLI start', () => {
  it('--version prints the version in package.json, through the real binary', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), '--version'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`configgraph ${version}\n`);
  });

  it('--help and a command’s --help (and a usage error) never load any command module', async () => {
    const loads = COMMANDS.map((c) => vi.spyOn(c, 'load'));
    const help = io();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out()).toContain('migrate');
    for (const name of ['serve', 'collect', 'import', 'stats']) {
      const h = io();
      expect(await main([name, '--help'], h.io)).toBe(0);
      expect(h.out()).toContain(`usage: configgraph ${name}`);
    }
    const bad = io();
    expect(await main(['serve', '--no-such-flag'], bad.io)).toBe(2);
    for (const spy of loads) expect(spy).not.toHaveBeenCalled();
  });

  it('a command loads its module when it runs', async () => {
    const stats = COMMANDS.find((c) => c.name === 'stats')!;
    const load = vi.spyOn(stats, 'load');
    const run = io();
    expect(await main(['stats', '--json', '--store', 'sqlite::memory:'], run.io)).toBe(0);
    expect(load).toHaveBeenCalledTimes(1);
    expect(JSON.parse(run.out())).toMatchObject({ resources: 0, runs: 0 });
  });
});

describe('an older Node', () => {
  // This machine kind ships Node 20 as /usr/bin/node (the project installs 22 beside it): the real thing.
  const older = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    if (!existsSync(p)) return false;
    const v = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim().split('.').map(Number);
    return (v[0] ?? 0) < 22 || (v[0] === 22 && (v[1] ?? 0) < 12);
  });
  if (!older) console.warn('!! no Node older than 22.12 on this machine: the refusal test cannot run here');

  it.runIf(older)('is refused with one line naming the version found and the one needed', () => {
    const r = spawnSync(older!, [BIN, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^configgraph: this is Node\.js \d+\.\d+\.\d+; configgraph needs Node\.js 22\.12 or later/,
    );
  });
});
