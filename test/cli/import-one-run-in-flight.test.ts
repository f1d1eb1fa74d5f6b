// A streamed import into a store that writes off the main thread (`ingestsOffThread`, the SQLite writer thread)
// reads and parses the next run while the store writes the last, and no further: handing over a run waits for
// the one before to be stored. Without that wait the import parsed ahead of the writes and held every parsed
// run at once (docs/benchmarks.md, "Ingest on the second core": 2.4 GiB at xlarge).
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../graph/model.ts';
import type { GraphStore, RunInput } from '../../graph/store.ts';
import { openMemoryStore } from '../../graph/stores/memory/index.ts';
import { StreamedImport } from '../../server/import.ts';
import { piece, settledNow } from '../support/import-pieces.ts';

/** A store whose runs are stored only when the test says so, as a writer thread's commit arrives later. */
function slowWriter(): { store: GraphStore; started: RunInput[]; commit: () => void } {
  const memory = openMemoryStore();
  const started: RunInput[] = [];
  const commits: (() => void)[] = [];
  const store = Object.create(memory) as GraphStore;
  Object.defineProperty(store, 'ingestsOffThread', { value: true });
  store.ingest = (run: RunInput): Promise<RunRecord> => {
    started.push(run);
    return new Promise<void>((resolve) => commits.push(resolve)).then(() => memory.ingest(run));
  };
  return { store, started, commit: () => commits.shift()!() };
}

describe('a streamed import into a store that writes off the main thread', () => {
  it('hands over a run, goes on parsing the next, then waits for the first to be stored (one run in flight)', async () => {
    const { store, started, commit } = slowWriter();
    const stream = new StreamedImport(store, { source: 'files', scope: 'test' }, 2);

    // The first full run goes to the store, and the import is free to read the next file meanwhile.
    expect(await settledNow(stream.add(piece(0)))).toBe(true);
    expect(started).toHaveLength(1);

    // The second run is full while the first is still being written: the import waits here.
    const second = stream.add(piece(10));
    expect(await settledNow(second)).toBe(false);
    expect(started).toHaveLength(1);

    commit(); // the first run is stored: the second is handed over and the import reads on
    expect(await settledNow(second)).toBe(true);
    expect(started).toHaveLength(2);

    const finished = stream.finish();
    for (let i = 0; i < 10 && !(await settledNow(finished)); i++) if (started.length > 1) commit();
    const summary = await finished;
    expect(summary.resources).toBe(6);
    expect(summary.runs.length).toBe(started.length);
  });
});
