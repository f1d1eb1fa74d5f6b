// Imports that used to abort or hang: each bad file or item is skipped with file, position and reason,
// the good ones beside it are stored, and folders with symlink loops are read once (SPEC P7, P8, P10).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { importPaths, listDataFiles } from '../../server/import.ts';
import { rawCi } from '../support/ci-builder.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
const page = (...cis: unknown[]) => JSON.stringify({ configurationItems: cis });
const ci = (id: string, extra: Record<string, unknown> = {}) => ({
  ...rawCi({ type: 'AWS::EC2::Instance', id, time: '2024-03-01T00:00:00Z' }),
  ...extra,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-hostile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), ...args], {
    cwd: dir,
    env: { ...process.env, CONFIGGRAPH_STORE: `sqlite:${join(dir, 'graph.db')}`, NEO4J_URI: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('imports never abort for one item', () => {
  it('P7: a capture time of 1e20 beside good files: the good ones are stored, the bad item is listed', () => {
    writeFileSync(join(dir, 'a-good.json'), page(ci('i-good')));
    writeFileSync(join(dir, 'b-bad.json'), page(ci('i-ok'), ci('i-bad', { configurationItemCaptureTime: 1e20 })));
    const r = cli(['import', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { items: number; skipped: { file: string; item: string; reason: string }[] };
    expect(body.items).toBe(2);
    expect(body.skipped).toEqual([
      {
        file: expect.stringMatching(/b-bad\.json$/),
        item: 'configurationItems[1]',
        reason: expect.stringMatching(/configurationItemCaptureTime/),
      },
    ]);
  });

  it('P8: an item nested 4,500 levels deep beside a good one: the run succeeds and names it', async () => {
    const deep = `${'{"a":'.repeat(4500)}1${'}'.repeat(4500)}`;
    writeFileSync(join(dir, 'deep.json'), page(ci('i-good'), ci('i-deep', { configuration: deep })));
    const store = openSqliteStore(join(dir, 'graph.db'));
    try {
      const s = await importPaths(store, [dir]);
      expect(s.items).toBe(1);
      expect(s.skipped).toEqual([
        {
          file: expect.stringMatching(/deep\.json$/),
          item: 'configurationItems[1]',
          reason: expect.stringMatching(/nests/),
        },
      ]);
      expect((await store.stats()).resources).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('P8: a gzip bomb is skipped without inflating it whole; the good file beside it is stored', async () => {
    writeFileSync(join(dir, 'good.json'), page(ci('i-good')));
    // 40 MB of JSON in a few tens of KB; the limit is set to 1 MB so the test stays small and fast.
    const bomb = gzipSync(Buffer.from(`{"configurationItems":[],"pad":"${'x'.repeat(40_000_000)}"}`));
    writeFileSync(join(dir, 'bomb.json.gz'), bomb);
    writeFileSync(join(dir, 'big.json'), `{"pad":"${'x'.repeat(2_000_000)}"}`);
    const store = openSqliteStore(join(dir, 'graph.db'));
    try {
      const s = await importPaths(store, [dir], { limits: { maxFileBytes: 1_000_000 } });
      expect(s.items).toBe(1);
      expect(s.skipped.map((k) => [k.file.replace(/.*\//, ''), k.reason])).toEqual([
        ['big.json', expect.stringMatching(/more than 1000000 bytes/)],
        ['bomb.json.gz', expect.stringMatching(/decompressed, it holds more than 1000000 bytes/)],
      ]);
    } finally {
      await store.close();
    }
  });

  it('P8: the limits are set from the command line', () => {
    writeFileSync(join(dir, 'big.json'), page(ci('i-big', { configuration: JSON.stringify({ p: 'x'.repeat(3000) }) })));
    const r = cli(['import', dir, '--max-string-kb', '2', '--json']);
    expect(r.code).toBe(1); // nothing could be imported
    expect(r.stdout + r.stderr).toMatch(/longer than 2048 characters/);
    expect(cli(['import', dir, '--max-file-mb', 'lots']).stderr).toMatch(/--max-file-mb/);
  });
});

describe('folders with symlinks (P10)', () => {
  it('P10: symlink loops end, and a file reached by several links is read once', async () => {
    mkdirSync(join(dir, 'loop', 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'loop', 'a', 'b', 'item.json'), page(ci('i-one')));
    symlinkSync('..', join(dir, 'loop', 'a', 'b', 'up'));
    symlinkSync('../..', join(dir, 'loop', 'a', 'b', 'up2'));
    symlinkSync(join(dir, 'loop', 'a', 'b', 'item.json'), join(dir, 'loop', 'alias.json'));
    const { files } = listDataFiles([join(dir, 'loop')]);
    expect(files).toHaveLength(1);
    // Reached through a link to its folder first: a plain file's real path is its folder's real path joined
    // with its name, so the alias still names the same file, and the folder given again is not read again.
    symlinkSync(join(dir, 'loop'), join(dir, 'loop-link'));
    expect(listDataFiles([join(dir, 'loop-link'), join(dir, 'loop')]).files).toEqual([
      join(dir, 'loop-link', 'a', 'b', 'item.json'),
    ]);
    const r = cli(['import', join(dir, 'loop'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { items: number }).items).toBe(1);
  });
});
