// What the CLI prints for a person is safe for a terminal, and a closed pipe ends it quietly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalText } from '../../server/cli/terminal.ts';
import { rawCi } from '../support/ci-builder.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
const env = () => ({ ...process.env, CONFIGGRAPH_STORE: `sqlite:${join(dir, 'graph.db')}`, NEO4J_URI: '' });
const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), ...args], {
    cwd: dir,
    env: env(),
    encoding: 'utf8',
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-terminal-'));
  const hostile = rawCi({
    type: 'AWS::EC2::Instance',
    id: 'i-0hostile',
    time: '2024-03-01T00:00:00Z',
    name: 'web\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u202eevil',
    tags: { Name: 'web\u001b[2Jserver' },
  });
  writeFileSync(join(dir, 'hostile.json'), JSON.stringify({ configurationItems: [hostile] }));
  expect(cli(['import', join(dir, 'hostile.json')]).status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('terminal output', () => {
  it('escape sequences in names are printed as visible escapes by search', () => {
    const r = cli(['search', 'web']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('i-0hostile');
    for (const c of ['\u001b', '\u0007', '\u202e']) expect(r.stdout).not.toContain(c);
    expect(r.stdout).toContain('\\u001b[2J');
  });

  it('--json keeps the exact value (JSON escapes it)', () => {
    const r = cli(['search', 'web', '--json']);
    const body = JSON.parse(r.stdout) as { results: { node: { resourceName: string } }[] };
    expect(body.results[0]!.node.resourceName).toContain('\u001b[2J');
  });

  it('terminalText keeps tabs and newlines and escapes the rest', () => {
    expect(terminalText('a\tb\nc\u001bd\u009be\u2029')).toBe('a\tb\nc\\u001bd\\u009be\\u2029');
  });

  it('a reader that closes the pipe early ends the command quietly (no EPIPE stack)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${join(ROOT, 'bin', 'configgraph.js')}" stats | true`], {
      cwd: dir,
      env: env(),
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});
