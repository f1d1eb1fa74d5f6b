// A short, bounded load test of the HTTP API on loopback: search and neighbourhood (depth 1 and 2)
// against the SQLite store holding a generated environment, with autocannon. The floor is an /api
// route that touches no store (the JSON 404), measured in the same run, so the ratios show what the
// store work costs on top of Express, logging and the security middleware.
//
//   npx tsx bench/api-load.ts [small|medium|large] [--seconds 8] [--connections 10]
import { rmSync } from 'node:fs';
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
    return [
      title,
      Math.round(result.requests.average),
      fmtMs(result.latency.p50),
      fmtMs(result.latency.p97_5),
      fmtMs(result.latency.p99),
      fmtMs(result.latency.max),
      // autocannon counts a timeout (no answer within 10 s) as an error too.
      `${result.errors}${result.timeouts > 0 ? ` (${result.timeouts} timeouts)` : ''}`,
      non2xx,
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
  const failures = rows.slice(1).reduce((n, r) => n + parseInt(String(r[6]), 10) + Number(r[7]), 0);
  console.log(
    failures === 0 ? 'search and neighbourhood: 0 errors' : `search and neighbourhood: ${failures} errors or non-2xx`,
  );
  if (failures > 0) process.exitCode = 1;
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
