// The benchmark harness must keep working (npm run bench is not part of npm test): its dataset,
// floor and query workload run here on the small estate. Nothing here asserts speed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { benchDataset } from '../../bench/lib/dataset.ts';
import { floorInsert, floorParse } from '../../bench/lib/floor.ts';
import { measureQueries } from '../../bench/lib/queries.ts';
import { listDataFiles } from '../../server/import.ts';

describe('benchmark harness', () => {
  it('parses the dataset, builds the floor and runs every query with real results', async () => {
    const data = benchDataset('small');
    expect(data.items.length).toBeGreaterThanOrEqual(data.env.items.length);
    // 2 accounts × 2 regions, and the us-east-1 snapshots also cover each account's global IAM.
    expect(data.snapshots.length).toBe(6);

    const floor = floorParse(data.files);
    expect(floor.items.length).toBe(data.items.length);
    const dir = mkdtempSync(join(tmpdir(), 'configgraph-bench-test-'));
    try {
      const insert = floorInsert(join(dir, 'floor.db'), floor.items);
      expect(insert.rows).toBe(floor.items.length + floor.items.reduce((n, i) => n + i.relationships.length, 0));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const store = openSqliteStore(':memory:');
    try {
      await store.ingest({ source: 'bench-test', scope: 'small', items: data.items, snapshots: data.snapshots });
      const figures = await measureQueries(store, data.env, { samples: 3 });
      const byName = new Map(figures.map((f) => [f.name, f]));
      expect(byName.get('neighborhood instance depth 1')?.avgResult).toBeGreaterThanOrEqual(5);
      expect(byName.get('neighborhood instance depth 3')!.avgResult).toBeGreaterThan(
        byName.get('neighborhood instance depth 1')!.avgResult,
      );
      expect(byName.get('search (id, private IP, Name tag)')?.avgResult).toBeGreaterThanOrEqual(1);
      expect(byName.get('path instance → its VPC')?.avgResult).toBe(2);
      expect(byName.get('graphAt mid-period, whole estate')?.avgResult).toBeGreaterThan(300);
      for (const f of figures) expect(f.latency.runs, f.name).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 180_000); // a whole workload on a shared 2-core machine: a generous budget, not a speed check

  it('generate-files writes delivery files the importer finds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'configgraph-files-test-'));
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/generate-files.ts', dir, '--demo'], {
        encoding: 'utf8',
      });
      expect(out).toMatch(/configuration items .* written to/);
      expect(readdirSync(join(dir, 'AWSLogs')).sort()).toEqual(['111122223333', '444455556666']);
      const { files } = listDataFiles([dir]);
      expect(files.length).toBeGreaterThan(100);
      expect(files.every((f) => f.endsWith('.json.gz'))).toBe(true);
      expect(() =>
        execFileSync(process.execPath, ['--import', 'tsx', 'bench/generate-files.ts', dir, '--size', 'huge'], {
          stdio: 'pipe',
        }),
      ).toThrow(/--size must be/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
