// A short, bounded load test of the HTTP API on loopback: search and neighbourhood (depth 1 and 2)
// against the SQLite store holding a generated environment, with autocannon. The floor is an /api
// route that touches no store (the JSON 404), measured in the same run, so the ratios show what the
// store work costs on top of Express, logging and the security middleware.
//
//   npx tsx bench/api-load.ts [small|medium|large] [--seconds 8] [--connections 10]
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { isSizeName } from '../world/generator/index.ts';
import { fmtMs, table } from './lib/measure.ts';
import { estateStore, startServeProcess } from './lib/serve.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '8' }, connections: { type: 'string', default: '10' } },
});
const size = positionals[0] ?? 'medium';
if (!isSizeName(size)) throw new Error(`size "${size}": use small, medium or large`);
const seconds = Math.min(60, Math.max(1, Number(values.seconds)));
const connections = Math.min(100, Math.max(1, Number(values.connections)));
const [GOAL_CONNECTIONS, GOAL_SECONDS] = [50, 30];

const { work, dbPath, data, stats, ingestMs } = await estateStore(size, 'bench-api');

async function main(): Promise<void> {
  // Queries users would type: instance ids and names.
  const instances = data.items.filter((i) => i.resourceType === 'AWS::EC2::Instance');
  const ids = [...new Set(instances.map((i) => i.resourceId))].slice(0, 200);
  const names = [
    ...new Set(instances.map((i) => i.resourceName ?? i.tags?.Name).filter((n): n is string => !!n)),
  ].slice(0, 200);
  const searchTerms = [...ids.slice(0, 100), ...names.slice(0, 100)];
  if (ids.length === 0) throw new Error('the generated environment has no instances');

  // The server runs as `configgraph serve` in its own process, as a user runs it, so the load
  // generator does not share its event loop. Its request logs are read and dropped.
  const server = await startServeProcess(dbPath);
  async function load(title: string, paths: string[]): Promise<(string | number)[]> {
    let i = 0;
    const result = await autocannon({
      url: server.url,
      connections,
      duration: seconds,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
    });
    const non2xx = result.non2xx;
    // What the errors were: autocannon counts a timeout (no answer within 10 s) and a reset connection as
    // errors; a 4xx or 5xx answer (a 503 for a refused request included) is a non-2xx.
    const kinds = [
      result.timeouts > 0 ? `${result.timeouts} timeouts` : '',
      result.resets > 0 ? `${result.resets} resets` : '',
    ].filter(Boolean);
    return [
      title,
      Math.round(result.requests.average),
      fmtMs(result.latency.p50),
      fmtMs(result.latency.p97_5),
      fmtMs(result.latency.p99),
      fmtMs(result.latency.max),
      `${result.errors}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`,
      `${non2xx}${result['5xx'] > 0 ? ` (${result['5xx']} 5xx)` : ''}`,
    ];
  }

  const enc = encodeURIComponent;
  const rows = [
    await load('floor: /api JSON 404 (no store)', ['/api/__floor']),
    await load(
      'search ?q=id|name',
      searchTerms.map((q) => `/api/search?q=${enc(q)}&limit=20`),
    ),
    await load(
      'neighborhood depth 1',
      ids.map((id) => `/api/resources/${enc(id)}/neighborhood?depth=1`),
    ),
    await load(
      'neighborhood depth 2',
      ids.map((id) => `/api/resources/${enc(id)}/neighborhood?depth=2`),
    ),
  ];
  await server.stop();

  const floor = Number(rows[0]?.[1]) || 1;
  console.log(
    `\nconfiggraph API load test — ${size} environment: ${stats.resources} resources, ${stats.versions} versions, ${stats.edges} edges`,
  );
  console.log(
    `ingest ${fmtMs(ingestMs)} ms; ${connections} connections, ${seconds} s per scenario, loopback, ${process.version}\n`,
  );
  console.log(
    table(
      ['scenario', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'max ms', 'errors', 'non-2xx', 'vs floor'],
      rows.map((r, i) => [...r, i === 0 ? '1.00' : (Number(r[1]) / floor).toFixed(2)]),
    ),
  );
  console.log('\nnon-2xx is expected only for the floor (a 404 by design).');
  // The store's scenarios must answer every request: any error or non-2xx there fails the run.
  const failures = rows.slice(1).reduce((n, r) => n + parseInt(String(r[6]), 10) + parseInt(String(r[7]), 10), 0);
  // Issue 14's goal, beside the figures it is about; the machine's load says how far to trust them.
  console.log(
    `goal: ${GOAL_CONNECTIONS} clients for ${GOAL_SECONDS} s on the large estate, 0 errors, p99 reported — ` +
      `this run: ${connections} clients, ${seconds} s, ${size}; search and neighbourhood ` +
      `${failures === 0 ? '0 errors' : `${failures} errors or non-2xx`}; p99 ${rows
        .slice(1)
        .map((r) => `${String(r[0])} ${String(r[4])} ms`)
        .join(', ')}; load average now ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores`,
  );
  if (failures > 0) process.exitCode = 1;
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
