// Whether `configgraph import` writes a file store's runs on the store's writer thread: on a machine with a
// second core unless CONFIGGRAPH_WRITER_THREAD=0 (docs/benchmarks.md, "Ingest on the second core"); reads and
// other writers never do.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../graph/stores/sqlite/index.ts';
import { WRITER_THREAD_FROM_ITEMS, withStore, writerThreadOn, type StoreUse } from '../../server/cli/common.ts';
import { deliveryFiles, generateEnvironment, SIZES } from '../../world/generator/index.ts';
import { parseFiles } from '../../bench/lib/dataset.ts';

describe('the writer thread of configgraph import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'configgraph-writer-default-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is on with a second core, off on one, and either when CONFIGGRAPH_WRITER_THREAD says so', () => {
    expect(writerThreadOn({}, 2)).toBe(true);
    expect(writerThreadOn({}, 1)).toBe(false);
    expect(writerThreadOn({ CONFIGGRAPH_WRITER_THREAD: '0' }, 2)).toBe(false);
    expect(writerThreadOn({ CONFIGGRAPH_WRITER_THREAD: '1' }, 1)).toBe(true);
  });

  it('is what the store of an import is opened with, and only of an import', async () => {
    const offThread = async (use: StoreUse, env: NodeJS.ProcessEnv) =>
      withStore(
        {
          stdout: new PassThrough(),
          stderr: new PassThrough(),
          env,
          values: { store: join(dir, 'store.sqlite') },
          positionals: [],
        },
        use,
        async (store) => 'ingestsOffThread' in store && store.ingestsOffThread === true,
      );
    const twoCores = availableParallelism() > 1;
    expect(await offThread({ writer: 'import' }, {})).toBe(twoCores);
    expect(await offThread({ writer: 'import' }, { CONFIGGRAPH_WRITER_THREAD: '0' })).toBe(false);
    expect(await offThread({ writer: 'import' }, { CONFIGGRAPH_WRITER_THREAD: '1' })).toBe(true);
    expect(await offThread({ writer: 'collect' }, { CONFIGGRAPH_WRITER_THREAD: '1' })).toBe(false);
  });

  it(`starts once an import has brought ${WRITER_THREAD_FROM_ITEMS} items: a smaller import is written in-process`, async () => {
    const { items } = parseFiles(deliveryFiles(generateEnvironment({ ...SIZES.small, days: 2 }).items));
    // Enough items for the threshold: the same CIs again are repeats, as the snapshots' are.
    const many = Array.from({ length: Math.ceil(WRITER_THREAD_FROM_ITEMS / items.length) }, () => items).flat();
    expect(items.length).toBeLessThan(WRITER_THREAD_FROM_ITEMS);
    const ctx = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: { CONFIGGRAPH_WRITER_THREAD: '1' },
      values: { store: join(dir, 'threshold.sqlite') },
      positionals: [],
    };
    await withStore(ctx, { writer: 'import' }, async (store) => {
      const sqlite = store as SqliteStore;
      await sqlite.ingest({ source: 'test', scope: 'small', items });
      expect(sqlite.writerThreadStarted).toBe(false);
      expect(sqlite.writerThreadCpuMs).toBe(0);
      await sqlite.ingest({ source: 'test', scope: 'large', items: many.slice(0, WRITER_THREAD_FROM_ITEMS) });
      expect(sqlite.writerThreadStarted).toBe(true);
      expect(sqlite.writerThreadCpuMs).toBeGreaterThan(0);
    });
  }, 60_000);
});
