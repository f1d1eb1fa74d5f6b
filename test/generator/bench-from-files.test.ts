// `npm run bench -- --size xlarge` takes the route from delivery files on disk: generated once into a cache
// folder (used again while its manifest matches), then measured as `npm run bench:disk` does. The same code
// path runs here on the small estate (--from-files); nothing here asserts speed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'configgraph-bench-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx/esm', join(ROOT, 'bench', 'run.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });

describe('npm run bench from files on disk', () => {
  it('generates the estate once, measures it from disk beside its goals, and writes the JSON', () => {
    const cache = join(dir, 'estate');
    const json = join(dir, 'small.json');
    const first = bench('--size', 'small', '--from-files', '--files-dir', cache, '--json', json);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/written to .*estate\.partial/);
    for (const figure of ['configgraph import ÷ floor', 'peak RSS of the import', 're-import of the same bytes'])
      expect(first.stdout).toContain(figure);
    const result = JSON.parse(readFileSync(json, 'utf8')) as {
      size: string;
      estate: { size: string; files: number };
      import: { ms: number; peakRssBytes: number };
      reimport: { ms: number };
      floor: { items: number };
    };
    expect(result.size).toBe('small');
    expect(result.estate.size).toBe('small');
    expect(result.estate.files).toBeGreaterThan(100);
    expect(result.floor.items).toBeGreaterThan(1000);
    expect(result.import.peakRssBytes).toBeGreaterThan(0);
    expect(result.reimport.ms).toBeGreaterThan(0);
    const manifest = join(cache, 'manifest.json');
    const generatedAt = statSync(manifest).mtimeMs;

    // The second run uses the files as they are; a manifest of another seed makes it generate again.
    const again = bench('--size', 'small', '--from-files', '--files-dir', cache, '--json', json);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/using the small estate's \d+ delivery files/);
    expect(statSync(manifest).mtimeMs).toBe(generatedAt);
    writeFileSync(manifest, JSON.stringify({ ...result.estate, seed: 'another' }));
    const stale = bench('--size', 'small', '--from-files', '--files-dir', cache, '--json', json);
    expect(stale.status, stale.stderr).toBe(0);
    expect(stale.stdout).toMatch(/holds files of another size, seed or generator: generating again/);
  }, 600_000);

  it('refuses Neo4j at xlarge, saying why, before generating anything', () => {
    const r = bench('--size', 'xlarge', '--store', 'neo4j', '--files-dir', join(dir, 'never'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--store neo4j at --size xlarge is not run: .*--size large/);
    expect(statSync(join(dir, 'never'), { throwIfNoEntry: false })).toBeUndefined();
  });
});
