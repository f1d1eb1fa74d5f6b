// Import speed into Neo4j next to SQLite, on the generated estate (docs/benchmarks.md, "Neo4j store").
//   (a) Neo4j floor: the same rows as the SQLite floor (one per CI, one per relationship) created as bare
//       nodes with UNWIND batches (properties named in CREATE, a transaction's batches sent without waiting
//       for each), no index, no constraint, run twice and the faster kept; and the same data in the fewest entities (one
//       node per CI, its relationships as list properties); and a floor that writes the store's own
//       entities (what the ingest plan decides for an empty store) under the store's indexes, in batches
//       committed every 20,000 rows, without reads, logic or one transaction per run: what the store
//       cannot avoid writing
//   (b) configgraph: ingest the parsed items as one run into the SQLite store and into the Neo4j store
//   (c) the query workload of bench/lib/queries.ts through the port, against Neo4j
// Uses NEO4J_URI when set (its database is EMPTIED: pass --clear to agree), else starts the local Neo4j.
// Before measuring, the small estate goes through the floor and the store once and is cleared: a
// running server has a warm JIT and plan cache, a freshly started JVM is 2-3x slower (--cold skips it).
// For the same reason the neighbourhoods are asked once, unmeasured, between the import and the query
// workload (--cold skips it too): the first few hundred queries on a store the server has just grown cost
// it up to twice the CPU of the next (docs/benchmarks.md); the pass's figures are printed beside.
//
// Beside each wall-clock figure, the local server's CPU time (from /proc), which a shared machine moves
// much less. It also reports the most memory the run's transaction held (SHOW TRANSACTIONS, sampled): what the
// server's transaction memory limit must allow. --items-per-run N stores the import as several runs (R5).
// At the end it prints the issue's goals beside the figures, with the load average (re-measure idle).
//
//   tsx bench/neo4j-import.ts [--size small|medium|large] [--clear] [--cold] [--items-per-run N] [--queries N] [--json FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import neo4j, { type Driver } from 'neo4j-driver';
import type { RunRecord } from '../graph/model.ts';
import type { RunInput } from '../graph/store.ts';
import { ingestPlan } from '../graph/ingest/plan.ts';
import { runPlanSync } from '../graph/ingest/reads.ts';
import { MemoryState } from '../graph/stores/memory/state.ts';
import { openNeo4jStore } from '../graph/stores/neo4j/index.ts';
import {
  CREATE_RESOURCES,
  CREATE_VERSIONS,
  createdResourceRow,
  createEdgesStatement,
  edgeRow,
} from '../graph/stores/neo4j/ingest.ts';
import { groupBy, labelsOf } from '../graph/stores/neo4j/names.ts';
import { propertyMap, versionProps } from '../graph/stores/neo4j/query.ts';
import { importSummary, storeImport } from '../server/import.ts';
import { openSqliteStore } from '../graph/stores/sqlite/index.ts';
import { startLocalNeo4j, type LocalNeo4j } from '../test/neo4j-local/start.ts';
import { isSizeName, type S3ConfigItem } from '../world/generator/index.ts';
import { benchDataset } from './lib/dataset.ts';
import { floorParse } from './lib/floor.ts';
import { describeMachineNow, machineNow } from './lib/machine.ts';
import { fmtMs, perSecond, table, timed } from './lib/measure.ts';
import { neo4jCpuMs } from './lib/neo4j-cpu.ts';
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

const EDGE_FLOOR_PROPERTIES = ['source', 'name', 'targetType', 'targetId', 'targetName'];

const keyOfItem = (i: S3ConfigItem) => `${i.awsAccountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`;

/** Wall ms and the local server's CPU ms of one step (CPU NaN when Neo4j is not this process's child). */
interface Cost {
  ms: number;
  cpuMs: number;
}

async function costOf<T>(work: () => Promise<T>): Promise<Cost & { value: T }> {
  const [t0, c0] = [performance.now(), neo4jCpuMs()];
  const value = await work();
  return { ms: performance.now() - t0, cpuMs: neo4jCpuMs() - c0, value };
}

/**
 * Writes UNWIND batches, by default of 500 rows committed every 5,000: for bare nodes the fastest of the
 * sizes tried on the medium estate (2,000/20,000 took 1.6x as long, 5,000/50,000 2.5x: a large transaction
 * state costs more than the extra commits; 250/5,000, 500/2,500 and 1,000/10,000 were no faster). The
 * batches of a transaction are sent without waiting for each (Bolt runs them in order), so Node packs the
 * next while the server runs this one, as the store does (./graph/stores/neo4j/pipeline.ts).
 */
async function writeBare(
  driver: Driver,
  work: [string, object[]][],
  { batch, commit }: { batch: number; commit: number } = { batch: 500, commit: 5000 },
): Promise<Cost> {
  const session = driver.session();
  try {
    return await costOf(async () => {
      for (const [cypher, all] of work)
        for (let k = 0; k < all.length; k += commit) {
          const part = all.slice(k, k + commit);
          await session.executeWrite(async (tx) => {
            const sent: Promise<unknown>[] = [];
            for (let j = 0; j < part.length; j += batch)
              sent.push(tx.run(cypher, { rows: part.slice(j, j + batch) }).summary());
            await Promise.all(sent);
          });
        }
    });
  } finally {
    await session.close();
  }
}

/**
 * The Neo4j floor: the same rows as the SQLite floor (one per CI with its key, time, status and JSON, one
 * per relationship) created as bare nodes, without index or constraint.
 */
async function floorInsertNeo4j(driver: Driver, items: S3ConfigItem[]): Promise<Cost & { rows: number }> {
  const versions = items.map((i) => ({
    key: keyOfItem(i),
    captureTime: i.configurationItemCaptureTime,
    status: i.configurationItemStatus,
    body: JSON.stringify(i),
  }));
  const edges = items.flatMap((i) =>
    i.relationships.map((r) => ({
      source: keyOfItem(i),
      name: r.name,
      targetType: r.resourceType,
      targetId: r.resourceId ?? null,
      targetName: r.resourceName ?? null,
    })),
  );
  // Properties named in CREATE: resolved once, when planned, where `SET n = row` looks up every key of
  // every row (10% less of the server's CPU for this floor at medium).
  const cost = await writeBare(driver, [
    [`UNWIND $rows AS row CREATE (n:FloorVersion ${propertyMap(Object.keys(versions[0] ?? {}))})`, versions],
    [`UNWIND $rows AS row CREATE (n:FloorEdge ${propertyMap(EDGE_FLOOR_PROPERTIES)})`, edges],
  ]);
  return { ...cost, rows: versions.length + edges.length };
}

/**
 * The same data in the fewest entities: one node per CI, its relationships as list properties of it. Not
 * rows the SQLite floor writes, but the least Neo4j has to store for the same information: it shows what
 * a node per relationship row costs.
 */
async function floorListsNeo4j(driver: Driver, items: S3ConfigItem[]): Promise<Cost> {
  const rows = items.map((i) => ({
    key: keyOfItem(i),
    captureTime: i.configurationItemCaptureTime,
    status: i.configurationItemStatus,
    body: JSON.stringify(i),
    relationshipNames: i.relationships.map((r) => r.name),
    targetTypes: i.relationships.map((r) => r.resourceType),
    targetIds: i.relationships.map((r) => r.resourceId ?? ''),
    targetNames: i.relationships.map((r) => r.resourceName ?? ''),
  }));
  return writeBare(driver, [
    [`UNWIND $rows AS row CREATE (n:FloorVersion ${propertyMap(Object.keys(rows[0] ?? {}))})`, rows],
  ]);
}

/**
 * A floor that writes what the store must write: the entities of the run as the ingest plan decides them
 * for an empty store (resources with their state and search text, placeholders, versions, `HAS_VERSION` and
 * typed relationships with their properties), with the store's own statements and under the store's
 * indexes (created when the store opened), but without reads, logic or one transaction for the run:
 * the store's batches of 2,000 rows, committed every 20,000. What the store costs above it is its reads,
 * its decisions and the atomic run (R1).
 */
async function floorStoreEntities(driver: Driver, input: RunInput): Promise<Cost & { rows: number }> {
  const w = runPlanSync(ingestPlan(input, 'floor', new Date().toISOString()), new MemoryState().reads);
  const states = new Map(w.states.map((s) => [s.key, s]));
  const work: [string, object[]][] = [
    [CREATE_RESOURCES, w.resources.map((r) => createdResourceRow(r, states.get(r.key)))],
    [
      'UNWIND $rows AS row CREATE (r:Resource) SET r = row.props SET r:$(row.labels)',
      w.placeholders.map((ph) => ({
        labels: labelsOf(ph.identity.resourceType),
        props: { ...ph.identity, key: ph.key, resourceName: ph.resourceName, recorded: false },
      })),
    ],
    [CREATE_VERSIONS, [...w.versions, ...w.inferred].map((v) => versionProps(v, v))],
    ...[...groupBy(w.edges, (e) => e.type)].map(([type, edges]): [string, object[]] => [
      createEdgesStatement(type),
      edges.map(edgeRow),
    ]),
  ];
  // The store's batches of 2,000; commits every 20,000 rows: under these indexes, commits of 5,000 rows
  // took twice as long (each commit also updates and reopens the text index), and one transaction for the
  // large estate would outgrow a 4 GiB server's transaction memory.
  const cost = await writeBare(driver, work, { batch: 2000, commit: 20_000 });
  return { ...cost, rows: work.reduce((n, [, r]) => n + r.length, 0) };
}

/** The issue's goals for Neo4j (issue 13), printed beside each figure so that a re-run can be read alone. */
const GOALS = {
  ingestVsFloor: 1.3,
  searchP95: 60,
  depth2P95: 50,
  depth3P95: 150,
};

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

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

  const machine = machineNow();
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  console.log(
    `configgraph Neo4j import benchmark — size ${size}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadAtStart} (1 / 5 / 15 min)\n` +
      `this machine now: ${describeMachineNow(machine)}\n`,
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
      await floorStoreEntities(driver, {
        source: 'bench',
        scope: 'warm-up',
        items: warm.items,
        snapshots: warm.snapshots,
      });
      await clearDatabase(driver);
      await store.ingest({ source: 'bench', scope: 'warm-up', items: warm.items, snapshots: warm.snapshots });
      await clearDatabase(driver);
      console.log(
        `warm-up: the small estate through the floor and the store, then cleared (${fmtMs(performance.now() - t0)} ms)\n`,
      );
    }

    const failed = (what: string) => (e: unknown) => {
      console.log(`Neo4j floor (${what}) failed: ${(e as Error).message}\n`);
      return { ms: Number.NaN, cpuMs: Number.NaN, rows: 0 };
    };
    const bareFloor = async () => {
      const cost = await floorInsertNeo4j(driver, floorItems).catch(failed('bare nodes'));
      await clearDatabase(driver);
      return cost;
    };
    // The bare floor runs twice, first and after the other floors, and the faster counts: as the store's
    // ingest "again", it is then measured on a server that has run it and on store files already grown.
    const floorTries = [await bareFloor()];
    const floorLists = await floorListsNeo4j(driver, floorItems).catch(failed('lists'));
    await clearDatabase(driver);
    const input: RunInput = { source: 'bench', scope: size, items, snapshots };
    const floorEntities = await floorStoreEntities(driver, input).catch(failed("the store's entities"));
    await clearDatabase(driver);
    floorTries.push(await bareFloor());
    const floor = floorTries.reduce((a, b) => (b.ms < a.ms ? b : a));

    const sqlite = openSqliteStore(join(dir, 'store.db'));
    const sqliteIngest = await timed(() => sqlite.ingest(input));
    await sqlite.close();

    // The store ingest runs twice on an emptied database: the first pays for a JVM that has not yet
    // compiled this workload (a freshly started server), the second is a server that has been running.
    // The transaction's memory is sampled during the first only, so that its queries do not weigh on the
    // second, the one compared with the floor.
    const attempts: (Cost & { value: RunRecord[] })[] = [];
    const peak = watchTransactionMemory(driver);
    let peakBytes = 0;
    let runs = 1;
    try {
      for (let i = 0; i < 2; i++) {
        if (i > 0) {
          peakBytes = await peak.stop();
          await clearDatabase(driver);
        }
        attempts.push(
          await costOf(async () => {
            const records = await storeImport(store, input, itemsPerRun);
            runs = records.length;
            return records;
          }),
        );
      }
    } catch (e) {
      console.log(
        `Neo4j store ingest failed: ${(e as Error).message}\n(SQLite ingest: ${fmtMs(sqliteIngest.ms)} ms; most transaction memory seen: ${mib(Math.max(peakBytes, await peak.stop()))})`,
      );
      await store.close();
      await driver.close();
      return 1;
    }
    const [first, neoIngest] = attempts as [Cost & { value: RunRecord[] }, Cost & { value: RunRecord[] }];
    const { resources, versions, edges, duplicates, inferredDeletions } = importSummary(
      input,
      neoIngest.value,
      data.files.length,
    );
    const c = { resources, versions, edges, duplicates, inferredDeletions };

    // Each step's wall clock and the server's CPU (the local Neo4j only), each against the bare floor's.
    const cpu = (x: Cost) => (Number.isNaN(x.cpuMs) ? '' : fmtMs(x.cpuMs));
    const vsFloor = (x: Cost) => [
      (x.ms / floor.ms).toFixed(2) + '×',
      Number.isNaN(x.cpuMs) ? '' : (x.cpuMs / floor.cpuMs).toFixed(2) + '×',
    ];
    const storeRow = (when: string, x: Cost) => [
      `Neo4j store ingest, ${when}${runs > 1 ? ` (${runs} runs)` : ''}`,
      fmtMs(x.ms),
      perSecond(items.length, x.ms),
      perSecond(distinct, x.ms),
      cpu(x),
      ...vsFloor(x),
    ];
    const floorRow = (what: string, x: Cost) => [
      what,
      fmtMs(x.ms),
      perSecond(items.length, x.ms),
      '',
      cpu(x),
      ...vsFloor(x),
    ];
    console.log(
      table(
        ['step', 'ms', 'items/s', 'distinct CIs/s', 'Neo4j CPU ms', 'wall vs floor', 'CPU vs floor'],
        [
          floorRow(`Neo4j floor (bare nodes; best of ${floorTries.map((f) => fmtMs(f.ms)).join(' and ')} ms)`, floor),
          floorRow('Neo4j floor, relationships as lists', floorLists),
          floorRow("Neo4j floor, the store's entities under its indexes", floorEntities),
          [
            'SQLite store ingest',
            fmtMs(sqliteIngest.ms),
            perSecond(items.length, sqliteIngest.ms),
            perSecond(distinct, sqliteIngest.ms),
            '',
            (sqliteIngest.ms / floor.ms).toFixed(2) + '×',
            '',
          ],
          storeRow('first after start', first),
          storeRow('again', neoIngest),
        ],
      ),
    );
    console.log(
      `\nNeo4j stored: ${c.resources} resources, ${c.versions} versions, ${c.edges} edges, ${c.duplicates} duplicates (floor: ${floor.rows} rows; the store's entities: ${floorEntities.rows} rows)`,
    );
    console.log(
      `most memory a run's transaction held: ${mib(peakBytes)} (${runs > 1 ? `runs of up to ${itemsPerRun} items` : `${mib((peakBytes / distinct) * 1000)} per 1,000 distinct CIs`})\n`,
    );

    const firstPass = values.cold ? [] : await measureQueries(store, env, { samples, only: /^neighborhood instance/ });
    if (firstPass.length)
      console.log(
        `first pass right after the import, not counted: ${firstPass
          .map(
            (q) =>
              `${q.name.replace('neighborhood instance ', '')} p50 / p95 ${fmtMs(q.latency.p50)} / ${fmtMs(q.latency.p95)} ms`,
          )
          .join('; ')}\n`,
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
    const p95 = (name: string) => queries.find((q) => q.name === name)?.latency.p95 ?? Number.NaN;
    const search = p95('search (id, private IP, Name tag)');
    const depth2 = p95('neighborhood instance depth 2');
    const depth3 = p95('neighborhood instance depth 3');
    const ratio = neoIngest.ms / floor.ms;
    console.log(
      `\ngoals (issue 13; set for the large estate on an idle machine) — load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} now, ${loadAtStart} at start:\n` +
        table(
          ['goal', 'figure', 'goal', 'verdict'],
          [
            [
              'Neo4j store ingest (again) vs Neo4j floor',
              ratio.toFixed(2) + '×',
              `≤ ${GOALS.ingestVsFloor}×`,
              verdict(ratio <= GOALS.ingestVsFloor),
            ],
            ["  … the server's CPU vs the floor's", (neoIngest.cpuMs / floor.cpuMs).toFixed(2) + '×', '', ''],
            ['  … vs the floor with relationships as lists', (neoIngest.ms / floorLists.ms).toFixed(2) + '×', '', ''],
            [
              "  … vs the floor writing the store's entities (batches, no reads, no logic)",
              (neoIngest.ms / floorEntities.ms).toFixed(2) + '×',
              '',
              '',
            ],
            ['search p95', fmtMs(search) + ' ms', `< ${GOALS.searchP95} ms`, verdict(search < GOALS.searchP95)],
            [
              'neighbourhood depth 2 p95',
              fmtMs(depth2) + ' ms',
              `< ${GOALS.depth2P95} ms`,
              verdict(depth2 < GOALS.depth2P95),
            ],
            [
              'neighbourhood depth 3 p95',
              fmtMs(depth3) + ' ms',
              `< ${GOALS.depth3P95} ms`,
              verdict(depth3 < GOALS.depth3P95),
            ],
          ],
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
            machine,
            distinct,
            items: items.length,
            floor,
            floorTries,
            floorLists,
            floorEntities,
            loadAverage: { start: loadAtStart, end: loadavg() },
            goals: GOALS,
            sqliteIngestMs: sqliteIngest.ms,
            neo4jIngestMs: neoIngest.ms,
            neo4jIngestCpuMs: neoIngest.cpuMs,
            neo4jFirstIngestMs: first.ms,
            neo4jFirstIngestCpuMs: first.cpuMs,
            runs,
            peakTransactionBytes: peakBytes,
            counts: c,
            firstPass,
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
