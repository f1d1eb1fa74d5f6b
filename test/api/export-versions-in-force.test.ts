// A JSON export carries the version in force at `at` of every exported resource, read from the store page
// by page (store.versionsInForce) rather than by reading every version of the estate (issue 14, item 13).
// The bytes must not move: the content's hash and its `versions` are those the earlier path wrote for the same
// data, recorded here for the small generated estate at three times, and recomputed by the rule itself
// (versionAt over each resource's versions) for the JSON content as a whole.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { benchDataset } from '../../bench/lib/dataset.ts';
import { canonicalJson } from '../../graph/canonical.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { compareVersions, versionAt } from '../../graph/versions.ts';
import { buildExport } from '../../server/export/index.ts';

async function text(chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

describe('JSON export: the versions in force, page by page', () => {
  it('writes the bytes the earlier path wrote, whatever the time', async () => {
    const data = benchDataset('small');
    const store = openSqliteStore(':memory:');
    try {
      await store.ingest({ source: 'test', scope: 'small', items: data.items, snapshots: data.snapshots });
      const [start, end] = [Date.parse(data.env.start), Date.parse(data.env.end)];
      const times = [start + 86_400_000, (start + end) / 2, end].map((t) => new Date(t).toISOString());
      const hashes: string[] = [];
      for (const at of times) {
        const file = await text(
          (await buildExport(store, { format: 'json', at }, { store: 'test', now: new Date('2030-01-01T00:00:00Z') }))
            .chunks,
        );
        const parsed = JSON.parse(file) as {
          content: { nodes: { key: string; recorded: boolean }[]; versions: unknown[] };
          manifest: { sha256: string; counts: { versions: number } };
        };
        // The rule, applied to every version of each exported recorded resource.
        const expected = [];
        for (const n of parsed.content.nodes.filter((x) => x.recorded)) {
          const v = versionAt((await store.versionsOf(n.key)).sort(compareVersions), at);
          if (v === undefined) continue;
          const { source: _s, runId: _r, ...rest } = v;
          expected.push(rest);
        }
        expect(parsed.content.versions.length).toBeGreaterThan(50);
        expect(canonicalJson(parsed.content.versions)).toBe(canonicalJson(expected));
        expect(parsed.manifest.counts.versions).toBe(expected.length);
        const content = file.slice('{"content":'.length, file.indexOf(',"manifest":'));
        expect(content).toBe(canonicalJson(parsed.content));
        expect(parsed.manifest.sha256).toBe(createHash('sha256').update(content).digest('hex'));
        hashes.push(parsed.manifest.sha256);
      }
      expect(hashes).toEqual(EARLIER);
    } finally {
      await store.close();
    }
  });
});

/** The content's SHA-256 (the manifest's) as the earlier path (every version read, versionAt per resource) wrote it. */
const EARLIER = [
  'c7bfb54a7ba027e3bacb7b919b7e1d17cc9e8ae020f64411df010ce7b5f642ac',
  '0d58661bd2362f3413e4ee0ab47765585564f933fac736ae8c49db3bf4ad8bd5',
  'e5590c7965e8c3fb46c4bcb094ee4734a4f24352b24509625ef9fb33718dbae3',
];
