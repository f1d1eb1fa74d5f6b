// The order a folder's files are imported in (server/import-order.ts, inImportOrder): an account and region's
// ConfigHistory deliveries together by resource type, each type's windows in time order, so a streamed import
// brings a resource back in as few runs as it can; everything else keeps its listed place. The order never
// changes the graph: the same files imported in small runs give the export of one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { inImportOrder } from '../../server/import-order.ts';
import { importPaths, listDataFiles } from '../../server/import.ts';
import { deliveryFiles, generateEnvironment, SIZES, writeDeliveryFiles } from '../../world/generator/index.ts';

const region = 'AWSLogs/111122223333/Config/eu-west-1';
const history = (day: number, type: string, hour: string) => {
  const d = `202603${String(day).padStart(2, '0')}`;
  return `${region}/2026/3/${day}/ConfigHistory/111122223333_Config_eu-west-1_ConfigHistory_${type}_${d}T${hour}0000Z_${d}T${hour}5959Z_1.json.gz`;
};

describe('import order', () => {
  it('takes a region’s history by type and time, where its first file is listed, and keeps other files in place', () => {
    const listed = [
      'a/readme.json',
      history(10, 'AWS::EC2::VPC', '00'),
      history(10, 'AWS::EC2::Subnet', '00'),
      history(2, 'AWS::EC2::VPC', '06'),
      history(2, 'AWS::EC2::VPC', '00'),
      history(2, 'AWS::EC2::Subnet', '00'),
      `${region}/2026/3/2/ConfigSnapshot/111122223333_Config_eu-west-1_ConfigSnapshot_20260302T235959Z_x.json.gz`,
      history(3, 'AWS::EC2::Subnet', '00'),
      'z/other.json',
    ];
    expect(inImportOrder(listed)).toEqual([
      'a/readme.json',
      history(2, 'AWS::EC2::Subnet', '00'),
      history(3, 'AWS::EC2::Subnet', '00'),
      history(10, 'AWS::EC2::Subnet', '00'),
      history(2, 'AWS::EC2::VPC', '00'),
      history(2, 'AWS::EC2::VPC', '06'),
      history(10, 'AWS::EC2::VPC', '00'),
      `${region}/2026/3/2/ConfigSnapshot/111122223333_Config_eu-west-1_ConfigSnapshot_20260302T235959Z_x.json.gz`,
      'z/other.json',
    ]);
  });

  describe('a generated estate', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('lists every file once, and in small runs stores the graph one run stores', async () => {
      dir = mkdtempSync(join(tmpdir(), 'configgraph-order-'));
      const env = generateEnvironment({ ...SIZES.small, days: 10 });
      writeDeliveryFiles(join(dir, 'files'), deliveryFiles(env.items));
      const { files } = listDataFiles([join(dir, 'files')]);
      expect(new Set(files).size).toBe(files.length);
      expect(files).not.toEqual([...files].sort()); // reordered: day 10 sorts before day 2, types interleave
      const exports = [];
      for (const itemsPerRun of [300, 1_000_000]) {
        const store = openSqliteStore(join(dir, `store-${itemsPerRun}.sqlite`));
        try {
          const summary = await importPaths(store, [join(dir, 'files')], { itemsPerRun });
          expect(summary.runs.length > 1).toBe(itemsPerRun === 300);
          exports.push(await store.canonicalExport());
        } finally {
          await store.close();
        }
      }
      expect(exports[0]).toEqual(exports[1]);
    }, 120_000);
  });
});
