// The real samples in test/fixtures (see its PROVENANCE.md), parsed by the real parser, in file order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigItem, ScopeSnapshot } from '../../graph/model.ts';
import { parseFileContent } from '../../graph/parse/index.ts';
import { listDataFiles } from '../../server/import.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export async function fixtureItems(): Promise<{ items: ConfigItem[]; snapshots: ScopeSnapshot[] }> {
  const { files } = listDataFiles([FIXTURES]);
  const items: ConfigItem[] = [];
  const snapshots: ScopeSnapshot[] = [];
  for (const f of files) {
    const r = parseFileContent(readFileSync(f), f.slice(FIXTURES.length + 1));
    items.push(...r.items);
    snapshots.push(...r.snapshots);
  }
  return { items, snapshots };
}
