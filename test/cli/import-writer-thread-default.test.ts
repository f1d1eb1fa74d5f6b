// Whether `configgraph import` writes a file store's runs on the store's writer thread: on a machine with a
// second core unless CONFIGGRAPH_WRITER_THREAD=0 (docs/benchmarks.md, "Ingest on the second core"); reads and
// other writers never do.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { withStore, writerThreadOn, type StoreUse } from '../../server/cli/common.ts';

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
});
