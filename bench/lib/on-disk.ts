// Issue 13's figures for an estate already written as S3 delivery files, without holding the estate in
// memory, so it fits the organisation-scale estate (`npm run bench -- --size xlarge`, `npm run bench:disk`):
//   (a) the floor, streamed file by file: gunzip + JSON.parse, and one INSERT per CI and per relationship into
//       bare tables in one transaction (./floor.ts's rows), its wall time and file size;
//   (b) `configgraph import DIR` as a user runs it (wall time, peak RSS), then again (the same bytes);
//   (c) search and neighbourhood latencies on the imported store, for instances picked evenly from the files.
// Every figure is printed beside its goal; the JSON result goes to a file (default .tmp/bench/disk.json).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { S3ConfigItem } from '../../world/generator/index.ts';
import { cliImport, fileSize, repoRoot } from './cli-import.ts';
import { floorTables } from './floor.ts';
import { fmtMs, latencies, table } from './measure.ts';
import { every } from './queries.ts';

const GOALS = { ingestRatio: 2, peakRssBytes: 1024 ** 3, reimportSpeedup: 5, searchP95: 30, depth2P95: 50 };

function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(p));
    else if (/\.json(\.gz)?$/.test(e.name)) out.push(p);
  }
  return out;
}

interface Instance {
  id: string;
  ip: string;
  name: string;
  deleted: boolean;
}

/** The floor, one file at a time; also remembers each instance's latest id, IP and Name for the queries. */
function streamedFloor(files: string[], db: string) {
  const instances = new Map<string, Instance & { time: string }>();
  const { db: out, insert } = floorTables(db);
  let parseMs = 0;
  let insertMs = 0;
  let items = 0;
  out.exec('BEGIN');
  for (const file of files) {
    const t0 = performance.now();
    const raw = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const doc = JSON.parse(text) as { configurationItems: S3ConfigItem[] };
    const t1 = performance.now();
    parseMs += t1 - t0;
    for (const i of doc.configurationItems) insert(i);
    items += doc.configurationItems.length;
    insertMs += performance.now() - t1;
    for (const i of doc.configurationItems) {
      if (i.resourceType !== 'AWS::EC2::Instance') continue;
      const seen = instances.get(i.resourceId);
      if (seen && seen.time >= i.configurationItemCaptureTime) continue;
      const c = (i.configuration ?? {}) as { privateIpAddress?: string };
      instances.set(i.resourceId, {
        id: i.resourceId,
        ip: c.privateIpAddress ?? i.resourceId,
        name: i.tags?.Name ?? i.resourceId,
        deleted: i.configurationItemStatus === 'ResourceDeleted',
        time: i.configurationItemCaptureTime,
      });
    }
  }
  const t2 = performance.now();
  out.exec('COMMIT');
  insertMs += performance.now() - t2;
  out.close();
  return { parseMs, insertMs, items, instances: [...instances.values()].filter((i) => !i.deleted) };
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

export interface OnDiskOptions {
  /** Where the JSON result goes (default .tmp/bench/disk.json). */
  json?: string;
  /** Keep the work folder (floor and store databases) and say where it is. */
  keep?: boolean;
  /** Added to the JSON result (e.g. the estate's size and manifest). */
  extra?: Record<string, unknown>;
}

/** Measures the estate whose delivery files are in `dir`, prints every figure beside its goal, writes the JSON. */
export async function measureOnDisk(dir: string, values: OnDiskOptions = {}): Promise<void> {
  const files = filesBelow(dir);
  const work = mkdtempSync(join(tmpdir(), 'configgraph-disk-'));
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(`${files.length} delivery files in ${dir}; load average ${load()}`);
  try {
    const floorDb = join(work, 'floor.sqlite');
    const cpu0 = process.cpuUsage();
    const floor = streamedFloor(files, floorDb);
    const floorCpu = process.cpuUsage(cpu0);
    const floorCpuMs = (floorCpu.user + floorCpu.system) / 1000;
    const floorMs = floor.parseMs + floor.insertMs;
    const floorBytes = fileSize(floorDb);
    rmSync(floorDb, { force: true });
    rmSync(`${floorDb}-wal`, { force: true });
    console.log(
      `floor: ${floor.items} CIs parsed in ${(floor.parseMs / 1000).toFixed(1)} s, inserted in ${(floor.insertMs / 1000).toFixed(1)} s, ${mib(floorBytes)}; load ${load()}`,
    );

    const db = join(work, 'store.sqlite');
    const first = cliImport(dir, db);
    const storeBytes = fileSize(db);
    console.log(`import: ${first.output.split('\n')[0]}; load ${load()}`);
    const again = cliImport(dir, db);
    console.log(`re-import: ${again.output.split('\n')[0]}; load ${load()}`);

    const store = openSqliteStore(db, { readonly: true });
    const picked = every(floor.instances, 20);
    const terms = picked.flatMap((i) => [i.id, i.ip, i.name]);
    const search = await latencies(terms, (t) => store.search(t));
    const depth = [];
    for (const d of [1, 2, 3]) depth.push(await latencies(picked, (i) => store.neighborhood(i.id, { depth: d })));
    await store.close();

    const ratio = first.ms / floorMs;
    // The import's CPU includes Node's start-up and reading the files; the floor's, reading them too.
    const cpuRatio = first.cpuMs / floorCpuMs;
    const speedup = first.ms / again.ms;
    const rows: (string | number)[][] = [
      [
        'configgraph import ÷ floor (parse + insert)',
        `${ratio.toFixed(2)}× (${(first.ms / 1000).toFixed(1)} s ÷ ${(floorMs / 1000).toFixed(1)} s)`,
        `≤ ${GOALS.ingestRatio}×`,
        met(ratio <= GOALS.ingestRatio),
      ],
      [
        '  in CPU time (user + system)',
        `${cpuRatio.toFixed(2)}× (${(first.cpuMs / 1000).toFixed(1)} s ÷ ${(floorCpuMs / 1000).toFixed(1)} s)`,
        '',
        '',
      ],
      [
        'peak RSS of the import',
        mib(first.peakRssBytes),
        `< ${mib(GOALS.peakRssBytes)}`,
        met(first.peakRssBytes < GOALS.peakRssBytes),
      ],
      [
        're-import of the same bytes',
        `${speedup.toFixed(1)}× faster (${(again.ms / 1000).toFixed(1)} s)`,
        `≥ ${GOALS.reimportSpeedup}×`,
        met(speedup >= GOALS.reimportSpeedup),
      ],
      [
        'store file ÷ floor tables',
        `${(storeBytes / floorBytes).toFixed(2)} (${mib(storeBytes)} ÷ ${mib(floorBytes)})`,
        '< 1',
        met(storeBytes < floorBytes),
      ],
      [
        'search p50 / p95',
        `${fmtMs(search.p50)} / ${fmtMs(search.p95)} ms`,
        `p95 < ${GOALS.searchP95} ms`,
        met(search.p95 < GOALS.searchP95),
      ],
      ...depth.map((l, k) => [
        `neighbourhood depth ${k + 1} p50 / p95`,
        `${fmtMs(l.p50)} / ${fmtMs(l.p95)} ms`,
        k === 1 ? `p95 < ${GOALS.depth2P95} ms` : '',
        k === 1 ? met(l.p95 < GOALS.depth2P95) : '',
      ]),
    ];
    console.log(`\n${table(['figure', 'measured', 'goal', ''], rows)}\nload average at the end ${load()}`);
    const jsonPath = values.json ?? join(repoRoot, '.tmp', 'bench', 'disk.json');
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(
      jsonPath,
      JSON.stringify(
        {
          ...values.extra,
          dir,
          files: files.length,
          floor: {
            items: floor.items,
            parseMs: floor.parseMs,
            insertMs: floor.insertMs,
            cpuMs: floorCpuMs,
            fileBytes: floorBytes,
          },
          import: { ms: first.ms, cpuMs: first.cpuMs, peakRssBytes: first.peakRssBytes, fileBytes: storeBytes },
          reimport: { ms: again.ms, peakRssBytes: again.peakRssBytes },
          search,
          neighborhood: depth,
          goals: GOALS,
          loadAverage: loadavg(),
        },
        null,
        2,
      ),
    );
    console.log(`JSON: ${jsonPath}`);
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}
