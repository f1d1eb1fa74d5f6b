// Import speed into Neo4j next to SQLite, on the generated estate (docs/benchmarks.md, "Neo4j store").
//   (a) Neo4j floor: the same rows as the SQLite floor (one per CI, one per relationship) created as bare
//       nodes with UNWIND in one transaction, no index, no constraint
//   (b) configgraph: ingest the parsed items as one run into the SQLite store and into the Neo4j store
//   (c) the query workload of bench/lib/queries.ts through the port, against Neo4j
// Uses NEO4J_URI when set (its database is EMPTIED: pass --clear to agree), else starts the local Neo4j.
// Before measuring, the small estate goes through the floor and the store once and is cleared: a
// running server has a warm JIT and plan cache, a freshly started JVM is 2-3x slower (--cold skips it).
//
// It also reports the most memory the run's transaction held (SHOW TRANSACTIONS, sampled): what the
// server's transaction memory limit must allow. --items-per-run N stores the import as several runs (R5).
//
//   tsx bench/neo4j-import.ts [--size small|medium|large] [--clear] [--cold] [--items-per-run N] [--queries N] [--json FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import neo4j, { type Driver } from 'neo4j-driver';
import type { RunRecord } from '../graph/model.ts';
import type { RunInput } from '../graph/store.ts';
import { openNeo4jStore } from '../graph/stores/neo4j/index.ts';
import { importSummary, storeImport } from '../server/import.ts';
import { openSqliteStore } from '../graph/stores/sqlite/index.ts';
import { startLocalNeo4j, type LocalNeo4j } from '../test/neo4j-local/start.ts';
import { isSizeName, type S3ConfigItem } from '../world/generator/index.ts';
import { benchDataset } from './lib/dataset.ts';
import { floorParse } from './lib/floor.ts';
import { fmtMs, perSecond, table, timed } from './lib/measure.ts';
import { measureQueries } from './lib/queries.ts';

const USAGE =
  'usage: tsx bench/neo4j-import.ts [--size small|medium|large] [--clear] [--cold] [--items-per-run N] [--queries N] [--json FILE]';

async function clearDatabase(driver: Driver): Promise<void> {
  for (;;) {
    const res = await driver.executeQuery('MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS c');
    if (Number(res.records[0]?.get('c')) === 0) return;
  }
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

/** Samples the memory of open transactions (other than its own) until stopped; returns the most seen. */
function watchTransactionMemory(driver: Driver): { stop: () => Promise<number> } {
  let most = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const r = await driver.executeQuery(
          "SHOW TRANSACTIONS YIELD estimatedUsedHeapMemory AS m, currentQuery AS q WHERE NOT q STARTS WITH 'SHOW' RETURN max(m) AS m",
        );
        const m: unknown = r.records[0]?.get('m');
        most = Math.max(most, neo4j.isInt(m) ? m.toNumber() : Number(m ?? 0));
      } catch {
        /* sampling is best effort */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return most;
    },
  };
}

/**
 * The Neo4j floor: bare nodes for the same rows as the SQLite floor, UNWIND batches of 2,000, committed
 * every 20,000 rows (the floor needs no atomicity, and one transaction would not fit a large estate).
 */
async function floorInsertNeo4j(driver: Driver, items: S3ConfigItem[]): Promise<{ ms: number; rows: number }> {
  const versions = items.map((i) => ({
    key: `${i.awsAccountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`,
    captureTime: i.configurationItemCaptureTime,
    status: i.configurationItemStatus,
    body: JSON.stringify(i),
  }));
  const edges = items.flatMap((i) =>
    i.relationships.map((r) => ({
      source: `${i.awsAccountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`,
      name: r.name,
      targetType: r.resourceType,
      targetId: r.resourceId ?? null,
      targetName: r.resourceName ?? null,
    })),
  );
  const work: [string, object[]][] = [];
  for (let k = 0; k < versions.length; k += 20_000)
    work.push(['UNWIND $rows AS row CREATE (n:FloorVersion) SET n = row', versions.slice(k, k + 20_000)]);
  for (let k = 0; k < edges.length; k += 20_000)
    work.push(['UNWIND $rows AS row CREATE (n:FloorEdge) SET n = row', edges.slice(k, k + 20_000)]);
  const session = driver.session();
  const t0 = performance.now();
  try {
    for (const [cypher, part] of work) {
      await session.executeWrite(async (tx) => {
        for (let k = 0; k < part.length; k += 2000) await tx.run(cypher, { rows: part.slice(k, k + 2000) });
      });
    }
  } finally {
    await session.close();
  }
  return { ms: performance.now() - t0, rows: versions.length + edges.length };
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        size: { type: 'string', default: 'medium' },
        clear: { type: 'boolean' },
        cold: { type: 'boolean' },
        'items-per-run': { type: 'string' },
        queries: { type: 'string', default: '20' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const size = values.size ?? 'medium';
  const samples = Number(values.queries);
  const itemsPerRun = values['items-per-run'] === undefined ? undefined : Number(values['items-per-run']);
  if (
    !isSizeName(size) ||
    !(Number.isInteger(samples) && samples > 0) ||
    (itemsPerRun !== undefined && !(Number.isInteger(itemsPerRun) && itemsPerRun > 0))
  ) {
    console.error(USAGE);
    return 2;
  }
  if (process.env.NEO4J_URI && !values.clear) {
    console.error(
      `NEO4J_URI is set: this benchmark empties that database. Pass --clear to agree, or unset NEO4J_URI to use a local Neo4j.`,
    );
    return 2;
  }

  console.log(
    `configgraph Neo4j import benchmark — size ${size}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  const data = benchDataset(size);
  const { env, items, snapshots } = data;
  const distinct = env.items.length;
  console.log(
    `generated ${distinct} CIs of ${env.resourceCount} resources; ${items.length} items parsed from ${data.files.length} S3 files\n`,
  );
  const floorItems = floorParse(data.files).items;

  let local: LocalNeo4j | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'configgraph-bench-neo4j-'));
  try {
    let uri = process.env.NEO4J_URI;
    if (!uri) {
      local = await startLocalNeo4j();
      uri = local.uri;
      console.log(
        `started the local Neo4j at ${uri} (embedded 5.26; heap ${process.env.NEO4J_LOCAL_HEAP || '1g'}, page cache ${process.env.NEO4J_LOCAL_PAGECACHE || '64m'})\n`,
      );
    }
    const user = process.env.NEO4J_USER;
    const password = process.env.NEO4J_PASSWORD;
    const driver = neo4j.driver(uri, user || password ? neo4j.auth.basic(user ?? 'neo4j', password ?? '') : undefined);
    await clearDatabase(driver);
    const store = await openNeo4jStore({ uri, ...(user ? { user } : {}), ...(password ? { password } : {}) });

    if (!values.cold) {
      const warm = benchDataset('small');
      const t0 = performance.now();
      await floorInsertNeo4j(driver, floorParse(warm.files).items);
      await clearDatabase(driver);
      await store.ingest({ source: 'bench', scope: 'warm-up', items: warm.items, snapshots: warm.snapshots });
      await clearDatabase(driver);
      console.log(
        `warm-up: the small estate through the floor and the store, then cleared (${fmtMs(performance.now() - t0)} ms)\n`,
      );
    }

    const floor = await floorInsertNeo4j(driver, floorItems).catch((e: unknown) => {
      console.log(`Neo4j floor failed: ${(e as Error).message}\n`);
      return { ms: Number.NaN, rows: 0 };
    });
    await clearDatabase(driver);

    const input: RunInput = { source: 'bench', scope: size, items, snapshots };
    const sqlite = openSqliteStore(join(dir, 'store.db'));
    const sqliteIngest = await timed(() => sqlite.ingest(input));
    await sqlite.close();

    // The store ingest runs twice on an emptied database: the first pays for a JVM that has not yet
    // compiled this workload (a freshly started server), the second is a server that has been running.
    const attempts: { ms: number; value: RunRecord[] }[] = [];
    const peak = watchTransactionMemory(driver);
    let runs = 1;
    try {
      for (let i = 0; i < 2; i++) {
        if (i > 0) await clearDatabase(driver);
        attempts.push(
          await timed(async () => {
            const records = await storeImport(store, input, itemsPerRun);
            runs = records.length;
            return records;
          }),
        );
      }
    } catch (e) {
      console.log(
        `Neo4j store ingest failed: ${(e as Error).message}\n(SQLite ingest: ${fmtMs(sqliteIngest.ms)} ms; most transaction memory seen: ${mib(await peak.stop())})`,
      );
      await store.close();
      await driver.close();
      return 1;
    }
    const [first, neoIngest] = attempts as [{ ms: number; value: RunRecord[] }, { ms: number; value: RunRecord[] }];
    const peakBytes = await peak.stop();
    const { resources, versions, edges, duplicates, inferredDeletions } = importSummary(
      input,
      neoIngest.value,
      data.files.length,
    );
    const c = { resources, versions, edges, duplicates, inferredDeletions };

    const neoRow = (when: string, ms: number) => [
      `Neo4j store ingest, ${when}${runs > 1 ? ` (${runs} runs)` : ''}`,
      fmtMs(ms),
      perSecond(items.length, ms),
      perSecond(distinct, ms),
      (ms / floor.ms).toFixed(1) + '×',
    ];
    console.log(
      table(
        ['step', 'ms', 'items/s', 'distinct CIs/s', 'vs Neo4j floor'],
        [
          ['Neo4j floor (bare nodes)', fmtMs(floor.ms), perSecond(items.length, floor.ms), '', '1.0×'],
          [
            'SQLite store ingest',
            fmtMs(sqliteIngest.ms),
            perSecond(items.length, sqliteIngest.ms),
            perSecond(distinct, sqliteIngest.ms),
            (sqliteIngest.ms / floor.ms).toFixed(1) + '×',
          ],
          neoRow('first after start', first.ms),
          neoRow('again', neoIngest.ms),
        ],
      ),
    );
    console.log(
      `\nNeo4j stored: ${c.resources} resources, ${c.versions} versions, ${c.edges} edges, ${c.duplicates} duplicates (floor: ${floor.rows} rows)`,
    );
    console.log(
      `most memory a run's transaction held: ${mib(peakBytes)} (${runs > 1 ? `runs of up to ${itemsPerRun} items` : `${mib((peakBytes / distinct) * 1000)} per 1,000 distinct CIs`})\n`,
    );

    const queries = await measureQueries(store, env, { samples });
    console.log(
      table(
        ['query (Neo4j)', 'runs', 'p50 ms', 'p95 ms', 'max ms', 'avg result'],
        queries.map((q) => [
          q.name,
          q.latency.runs,
          fmtMs(q.latency.p50),
          fmtMs(q.latency.p95),
          fmtMs(q.latency.max),
          q.avgResult,
        ]),
      ),
    );
    await store.close();
    await driver.close();
    if (values.json) {
      writeFileSync(
        values.json,
        JSON.stringify(
          {
            size,
            node: process.version,
            date: new Date().toISOString(),
            distinct,
            items: items.length,
            floor,
            sqliteIngestMs: sqliteIngest.ms,
            neo4jIngestMs: neoIngest.ms,
            neo4jFirstIngestMs: first.ms,
            runs,
            peakTransactionBytes: peakBytes,
            counts: c,
            queries,
          },
          null,
          2,
        ),
      );
    }
  } finally {
    await local?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

process.exitCode = await main();
