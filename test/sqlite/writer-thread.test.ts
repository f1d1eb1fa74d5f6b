// Runs written on the SQLite store's writer thread (graph/stores/sqlite/writer-thread.ts), as `configgraph
// import` writes them: the stored bytes are those of the in-process path, a failure on the thread rolls its run
// back and records it as failed (R1) with the runs before it stored, and closing waits for the run in flight.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFileContent } from '../../graph/parse/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { importPaths } from '../../server/import.ts';
import { deliveryFiles, generateEnvironment, SIZES, writeDeliveryFiles } from '../../world/generator/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every table's digest (bench/store-dump.ts: rowids, FTS5 shadow tables, decompressed bodies; run ids masked). */
function dump(path: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx/esm', join(ROOT, 'bench', 'store-dump.ts'), path], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`store-dump failed: ${r.stderr}`);
  return r.stdout;
}

/** A run that writes an edge once two runs are stored fails in its writes, after its plan succeeded. */
const FAIL_THIRD_RUN = `CREATE TRIGGER fail_third_run BEFORE INSERT ON edges WHEN (SELECT count(*) FROM runs) >= 2
  BEGIN SELECT RAISE(ABORT, 'the disk is on fire'); END`;

/** The items of a small estate's two days, parsed from its delivery files. */
const twoDaysOfItems = () =>
  deliveryFiles(generateEnvironment({ ...SIZES.small, days: 2 }).items).flatMap(
    (f) => parseFileContent(f.body, f.key).items,
  );

describe('the writer thread', () => {
  let dir: string;
  let files: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'configgraph-writer-'));
    files = join(dir, 'files');
    writeDeliveryFiles(files, deliveryFiles(generateEnvironment({ ...SIZES.small, days: 10 }).items));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function imported(name: string, writerThread: boolean, setup?: string) {
    const path = join(dir, `${name}.sqlite`);
    const store = openSqliteStore(path, { writerThread });
    let error: Error | undefined;
    try {
      if (setup) (store as unknown as { db: { exec(sql: string): void } }).db.exec(setup);
      expect(store.ingestsOffThread).toBe(writerThread);
      await importPaths(store, [files], { itemsPerRun: 300 }).catch((e: Error) => (error = e));
      return { path, error, runs: await store.runs(), writerCpuMs: store.writerThreadCpuMs };
    } finally {
      await store.close();
    }
  }

  it('stores, run by run, the bytes the in-process path stores', async () => {
    const thread = await imported('thread', true);
    const here = await imported('here', false);
    expect(thread.error).toBeUndefined();
    expect(thread.runs.length).toBeGreaterThan(3);
    expect(thread.writerCpuMs).toBeGreaterThan(0); // the thread did write them
    expect(here.writerCpuMs).toBe(0);
    expect(dump(thread.path)).toBe(dump(here.path));
  }, 180_000);

  it('writes runs in-process until writerThreadFromItems items have come, and every run from then on on the thread', async () => {
    const items = twoDaysOfItems();
    const cuts = [0, 50, 250, 350, 400]; // runs of 50, 200, 100 and 50 items; the thread from 300 items on
    const runs = cuts
      .slice(1)
      .map((end, k) => items.slice(cuts[k], end))
      .map((part, k) => ({
        source: 'test',
        scope: `run ${k + 1}`,
        items: part,
      }));
    const path = join(dir, 'from-items.sqlite');
    const store = openSqliteStore(path, { writerThread: true, writerThreadFromItems: 300 });
    try {
      await store.ingest(runs[0]!);
      await store.ingest(runs[1]!);
      expect(store.writerThreadStarted).toBe(false); // 250 items so far: not worth starting the thread
      expect(store.writerThreadCpuMs).toBe(0);
      await store.ingest(runs[2]!);
      expect(store.writerThreadStarted).toBe(true);
      const afterThird = store.writerThreadCpuMs;
      expect(afterThird).toBeGreaterThan(0); // 350 items in all: the thread wrote this run
      await store.ingest(runs[3]!);
      expect(store.writerThreadCpuMs).toBeGreaterThan(afterThird); // small, but the thread is running: on it
    } finally {
      await store.close();
    }
    const herePath = join(dir, 'from-items-here.sqlite');
    const here = openSqliteStore(herePath);
    try {
      for (const run of runs) await here.ingest(run);
    } finally {
      await here.close();
    }
    expect(dump(path)).toBe(dump(herePath));
  }, 60_000);

  it('rolls back a run that fails on the thread, records it as failed and keeps the runs before it (R1)', async () => {
    const thread = await imported('failing-thread', true, FAIL_THIRD_RUN);
    const here = await imported('failing-here', false, FAIL_THIRD_RUN);
    for (const r of [thread, here]) {
      expect(r.error?.message).toMatch(
        /^run 3 failed \(runs 1–2 are stored; importing the same files again completes the graph\): the disk is on fire$/,
      );
      expect(r.runs.map((run) => run.status)).toEqual(['failed', 'succeeded', 'succeeded']); // newest first
      expect(r.runs[0]!.notes).toContain('failed: the disk is on fire');
    }
    expect(dump(thread.path)).toBe(dump(here.path));

    // The same store, the fault gone: importing the same files again completes the graph.
    const store = openSqliteStore(thread.path, { writerThread: true });
    try {
      (store as unknown as { db: { exec(sql: string): void } }).db.exec('DROP TRIGGER fail_third_run');
      // The files whose last item runs 1–2 stored were recorded by them (R7): read no more.
      expect((await importPaths(store, [files], { itemsPerRun: 300 })).alreadyImported).toBeGreaterThan(0);
      const clean = openSqliteStore(join(dir, 'clean.sqlite'));
      try {
        await importPaths(clean, [files], { itemsPerRun: 300 });
        expect(await store.canonicalExport()).toEqual(await clean.canonicalExport());
      } finally {
        await clean.close();
      }
    } finally {
      await store.close();
    }
  }, 180_000);

  it('keeps the write-ahead log to about a run: it checkpoints each run after its commit', async () => {
    const path = join(dir, 'checkpointed.sqlite');
    const store = openSqliteStore(path, { writerThread: true });
    try {
      await importPaths(store, [files], { itemsPerRun: 200 });
      expect((await store.runs()).length).toBeGreaterThanOrEqual(8);
      // Unchecked, the log would hold every run's pages (more than the file); checkpointed, a run's or two.
      expect(statSync(`${path}-wal`).size).toBeLessThan(statSync(path).size / 2);
    } finally {
      await store.close();
    }
    // Closed, the store is its one file again, as after an import in process: the log checkpointed into it.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
  }, 60_000);

  it("rolls back the versions it was sent when the run's plan fails after them, and records the failure (R1)", async () => {
    const path = join(dir, 'plan-fails.sqlite');
    const store = openSqliteStore(path, { writerThread: true });
    const items = twoDaysOfItems();
    const [first, second] = [items.filter((_, i) => i % 2 === 0), items.filter((_, i) => i % 2 === 1)];
    try {
      await store.ingest({ source: 'test', scope: 'first', items: first });
      // What is stored, runs aside (a failed run is recorded).
      const stored = async () => {
        const { lastRun: _l, runs: _r, ...rest } = await store.stats();
        return rest;
      };
      const before = await stored();
      // The versions go to the thread before the re-examined slice is planned, which is where this plan fails.
      const failing = { source: 'test', scope: 'second', items: second, reexamine: { scopes: [], limit: 0 } };
      await expect(store.ingest(failing)).rejects.toThrow(/re-examine limit must be a positive integer, got 0/);
      expect(await stored()).toEqual(before);
      const runs = await store.runs();
      expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
      // The thread let the write lock go: the next run is stored.
      const next = await store.ingest({ source: 'test', scope: 'second', items: second });
      expect(next.counts.versions).toBeGreaterThan(0);
      expect((await stored()).versions).toBe(before.versions + next.counts.versions);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('writes runs asked for at once in turn, and commits them before the store closes', async () => {
    const path = join(dir, 'closing.sqlite');
    const store = openSqliteStore(path, { writerThread: true });
    const items = twoDaysOfItems();
    // Three runs asked for at once are written one after the other, each planned after the one before.
    const stored = [0, 1, 2].map((k) =>
      store.ingest({ source: 'test', scope: `closing ${k}`, items: items.filter((_, i) => i % 3 === k) }),
    );
    await store.close();
    // The thread was asked to end and did, rather than being terminated (which, in the middle of compiling,
    // printed V8's "Failing script" into `configgraph import --json`'s output).
    expect(store.writerThreadExitCode).toBe(0);
    const records = await Promise.all(stored);
    const again = openSqliteStore(path);
    try {
      expect((await again.runs()).map((r) => r.id)).toEqual(records.map((r) => r.id).reverse());
      expect((await again.stats()).versions).toBe(records.reduce((n, r) => n + r.counts.versions, 0));
    } finally {
      await again.close();
    }
  }, 60_000);
});
