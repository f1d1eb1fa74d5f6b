// A streamed import hands each run's read-free part (graph/ingest/prepare.ts's RunPreparation) to the store
// that stores it, and, while a store that writes off the main thread is still writing the run before, does
// that part then (the main thread would wait idle). The SQLite store plans with the preparation it is handed,
// in process and on its writer thread: one preparation per run, whose id is the stored run's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunPreparation } from '../../graph/ingest/prepare.ts';
import type { RunRecord } from '../../graph/model.ts';
import type { GraphStore, IngestAhead, RunInput } from '../../graph/store.ts';
import { openMemoryStore } from '../../graph/stores/memory/index.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { StreamedImport } from '../../server/import.ts';
import { piece, settledNow } from '../support/import-pieces.ts';

afterEach(() => vi.restoreAllMocks());

describe('a streamed import prepares each run ahead', () => {
  it("hands the store each run's own preparation, done while the run before is still being written", async () => {
    const memory = openMemoryStore();
    const handed: { run: RunInput; ahead: IngestAhead | undefined }[] = [];
    const commits: (() => void)[] = [];
    const store = Object.create(memory) as GraphStore;
    Object.defineProperty(store, 'ingestsOffThread', { value: true });
    store.ingest = (run: RunInput, ahead?: IngestAhead): Promise<RunRecord> => {
      handed.push({ run, ahead });
      return new Promise<void>((resolve) => commits.push(resolve)).then(() => memory.ingest(run));
    };
    // Which runs were prepared ahead (with their content hashes), and how many runs were stored by then.
    const preparedAhead: { run: RunInput; committed: number }[] = [];
    const original = Object.getOwnPropertyDescriptor(RunPreparation.prototype, 'prepare')!.value as (
      this: RunPreparation,
      ahead?: boolean,
    ) => void;
    vi.spyOn(RunPreparation.prototype, 'prepare').mockImplementation(function (this: RunPreparation, ahead) {
      if (ahead) preparedAhead.push({ run: this.run, committed: handed.length - commits.length });
      original.call(this, ahead);
    });

    const stream = new StreamedImport(store, { source: 'files', scope: 'test' }, 2);
    await stream.add(piece(0)); // the first run is handed over: nothing was in flight, the store prepares it
    const second = stream.add(piece(10)); // full while the first is written: prepared now, then waits
    expect(await settledNow(second)).toBe(false);
    expect(preparedAhead).toHaveLength(1);
    expect(preparedAhead[0]!.committed).toBe(0); // before the first run was stored
    commits.shift()!();
    expect(await settledNow(second)).toBe(true);
    expect(handed).toHaveLength(2);
    expect(preparedAhead[0]!.run).toBe(handed[1]!.run);

    const finished = stream.finish();
    for (let i = 0; i < 20 && !(await settledNow(finished)); i++) commits.shift()?.();
    await finished;
    // Every run that brought items came with its own preparation (what SQLite and Neo4j plan with).
    const withItems = handed.filter((h) => h.run.items.length);
    expect(withItems.length).toBeGreaterThanOrEqual(3);
    for (const { run, ahead } of withItems) {
      expect(ahead?.preparation).toBeInstanceOf(RunPreparation);
      expect(ahead?.preparation?.run).toBe(run);
    }
  });
});

describe.each([false, true])('the SQLite store (writer thread: %s)', (writerThread) => {
  it('plans each run with the preparation it is handed: one per run, whose id is the run stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'configgraph-prepared-'));
    const store = openSqliteStore(join(dir, 'store.sqlite'), { writerThread });
    const ingest = store.ingest.bind(store);
    const handed: { id: string; record: RunRecord }[] = [];
    store.ingest = async (run: RunInput, ahead?: IngestAhead) => {
      const given = ahead?.preparation;
      const record = await ingest(run, ahead);
      if (given instanceof RunPreparation) handed.push({ id: given.id, record });
      return record;
    };
    const created = vi.spyOn(RunPreparation.prototype, 'get');
    try {
      const stream = new StreamedImport(store, { source: 'files', scope: 'test' }, 2);
      for (let at = 0; at < 12; at += 3) await stream.add(piece(at));
      const { runs } = await stream.finish();
      expect(handed.length).toBeGreaterThanOrEqual(5);
      for (const { id, record } of handed) expect(record.id).toBe(id);
      // Each preparation used once (a store preparing again would get a second one, of another id).
      const used = new Set(created.mock.contexts.map((p) => (p as RunPreparation).id));
      expect(used.size).toBe(runs.length);
      expect((await store.stats()).resources).toBe(12);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
