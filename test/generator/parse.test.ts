// Every generated CI, in both spellings, goes through the real parser without a single skip.
import { describe, expect, it } from 'vitest';
import { parseDocument, parseFileContent } from '../../graph/parse/index.ts';
import { deliveryFiles, generateEnvironment, SIZES } from '../../world/generator/index.ts';

const env = generateEnvironment(SIZES.small);

describe('generated items parse with configgraph', () => {
  it('API-spelled items (an array of CIs) parse without skips, deletions included', () => {
    const r = parseDocument(env.items, 'generated.json');
    expect(r.skipped).toEqual([]);
    expect(r.items).toHaveLength(env.items.length);
    const deleted = r.items.filter((i) => i.status === 'ResourceDeleted');
    expect(deleted.length).toBeGreaterThan(0);
    for (const d of deleted) expect(d.configuration).toBeNull();
    const lambda = r.items.find((i) => i.resourceType === 'AWS::Lambda::Function');
    expect(
      lambda?.relationships?.some((x) => x.resourceType === 'AWS::IAM::Role' && x.resourceName && !x.resourceId),
    ).toBe(true);
  });

  it('S3 ConfigHistory and ConfigSnapshot files parse without skips', () => {
    const files = deliveryFiles(env.items);
    let historyItems = 0;
    let snapshots = 0;
    for (const f of files) {
      const r = parseFileContent(f.body, f.key);
      expect(r.skipped, f.key).toEqual([]);
      expect(r.items, f.key).toHaveLength(f.itemCount);
      if (f.kind === 'ConfigHistory') historyItems += r.items.length;
      else snapshots += r.snapshots.length;
    }
    expect(historyItems).toBe(env.items.length);
    expect(snapshots).toBeGreaterThan(0);
  });
});
