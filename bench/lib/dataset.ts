// The benchmark dataset, shared by every store's benchmark (bench/run.ts for SQLite, and
// bench/neo4j-import.ts for Neo4j): a generated environment, delivered as the gzipped S3 files
// Config writes, and those files parsed by configgraph.
import type { ConfigItem, ScopeSnapshot } from '../../graph/model.ts';
import { parseFileContent } from '../../graph/parse/index.ts';
import {
  deliveryFiles,
  generateEnvironment,
  SIZES,
  type DeliveryFile,
  type GeneratedEnvironment,
  type SizeName,
} from '../../world/generator/index.ts';

export interface BenchDataset {
  size: SizeName;
  env: GeneratedEnvironment;
  /** ConfigHistory files for the whole period plus one ConfigSnapshot per account and region at the end. */
  files: DeliveryFile[];
  /** Gzipped bytes of all files. */
  gzBytes: number;
  items: ConfigItem[];
  snapshots: ScopeSnapshot[];
  timings: { generateMs: number; filesMs: number; parseMs: number };
}

/** Parse every file with configgraph; throws if anything is skipped (the generator's output must be clean). */
export function parseFiles(files: DeliveryFile[]): { items: ConfigItem[]; snapshots: ScopeSnapshot[] } {
  const items: ConfigItem[] = [];
  const snapshots: ScopeSnapshot[] = [];
  for (const f of files) {
    const r = parseFileContent(f.body, f.key);
    if (r.skipped.length > 0)
      throw new Error(`benchmark data: ${f.key}: ${r.skipped.length} items skipped, first: ${r.skipped[0]?.reason}`);
    for (const i of r.items) items.push(i);
    for (const s of r.snapshots) snapshots.push(s);
  }
  return { items, snapshots };
}

/** Generate, deliver as S3 files and (unless `parse: false`) parse them with configgraph. */
export function benchDataset(size: SizeName, opts: { seed?: string; parse?: boolean } = {}): BenchDataset {
  const t0 = performance.now();
  const env = generateEnvironment({ ...SIZES[size], ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const t1 = performance.now();
  const files = deliveryFiles(env.items);
  const t2 = performance.now();
  const { items, snapshots } = opts.parse === false ? { items: [], snapshots: [] } : parseFiles(files);
  const t3 = performance.now();
  const gzBytes = files.reduce((n, f) => n + f.body.length, 0);
  return {
    size,
    env,
    files,
    gzBytes,
    items,
    snapshots,
    timings: { generateMs: t1 - t0, filesMs: t2 - t1, parseMs: t3 - t2 },
  };
}
