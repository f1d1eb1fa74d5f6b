// `npm run bench:collector`: the API calls `configgraph collect --history 7d` makes on an estate
// where most resources did not change, through the real AWS SDK over real HTTP against the local
// Config endpoint, printed per 1,000 resources beside the minimum any collector needs: the Select
// pages plus one history call per changed resource per 7-day window.
//
//   tsx bench/collector-calls.ts [--vpcs N] [--days N] [--change-rate R] [--history 7d] [--json FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../graph/stores/sqlite/index.ts';
import { collect } from '../server/collect/collector.ts';
import { historyWindows } from '../server/collect/history.ts';
import { resolveHistoryStart } from '../server/collect/options.ts';
import { ConfigWorld, generatorItems, startConfigEndpoint } from './support/config-endpoint/index.ts';
import { benchFlags } from './lib/args.ts';
import { fmtMs, table } from './lib/measure.ts';

const USAGE =
  'usage: tsx bench/collector-calls.ts [--vpcs N] [--days N] [--change-rate R] [--history 7d] [--json FILE]';
const REGIONS = ['us-east-1', 'eu-west-1'];
const PAGE = 100;

async function main(): Promise<number> {
  const values = benchFlags(
    {
      vpcs: { type: 'string', default: '6' },
      days: { type: 'string', default: '30' },
      'change-rate': { type: 'string', default: '0.01' },
      history: { type: 'string', default: '7d' },
      json: { type: 'string' },
    },
    USAGE,
  );
  if (typeof values === 'number') return values;
  const vpcs = Number(values.vpcs);
  const days = Number(values.days);
  const changeRate = Number(values['change-rate']);
  if (![vpcs, days].every((n) => Number.isInteger(n) && n > 0) || !(changeRate >= 0 && changeRate <= 1)) {
    console.error(USAGE);
    return 2;
  }

  // The SDK signs with whatever credentials it finds; the local endpoint ignores them.
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCHCOLLECTOR';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench-collector-not-a-secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';

  const g = generatorItems({
    seed: 'bench-collector',
    accounts: 1,
    regions: REGIONS,
    vpcsPerRegion: vpcs,
    subnetsPerVpc: 6,
    instancesPerSubnet: 8,
    days,
    changeRate,
  });
  const world = new ConfigWorld(g.items, { globalRegion: REGIONS[0]! });
  const account = world.accounts()[0]!;
  const now = new Date(g.end);
  const since = resolveHistoryStart(values.history ?? '7d', now);
  const windows = historyWindows(since, now.toISOString()).length;

  // The minimum: every current resource must be read (Select, 100 per page), and the history of
  // each one that changed inside the span costs one call per window.
  let resources = 0;
  let changed = 0;
  let selectPages = 0;
  for (const region of REGIONS) {
    const current = world.current({ accountId: account, region });
    resources += current.length;
    selectPages += Math.max(1, Math.ceil(current.length / PAGE));
    changed += current.filter((c) => c.configurationItemCaptureTime >= since).length;
  }
  const minimum = selectPages + changed * windows;
  // What a collector calling history for every resource makes (this one before it skipped quiet ones).
  const everyResource = selectPages + REGIONS.length + resources * windows;

  const endpoint = await startConfigEndpoint({ world, callerAccount: account });
  const dir = mkdtempSync(join(tmpdir(), 'configgraph-bench-collect-'));
  const store = openSqliteStore(':memory:');
  try {
    console.log(
      `configgraph collector benchmark — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n` +
        `estate: ${resources} resources in ${REGIONS.length} regions of one account, ${world.size()} CIs over ${days} days ` +
        `(change rate ${changeRate}/resource/day); --history ${values.history} from ${since}: ` +
        `${changed} resources changed inside it (${((changed / resources) * 100).toFixed(1)}%), ${windows} window(s)\n`,
    );
    const t0 = performance.now();
    const summary = await collect(store, {
      regions: REGIONS,
      endpointUrl: endpoint.url,
      checkpointDir: dir,
      history: values.history,
      now,
      // The endpoint is local: no real-world pacing.
      rateLimits: { default: { perSecond: 100_000, burst: 1000 } },
    });
    const ms = performance.now() - t0;
    const per1000 = (n: number) => ((n * 1000) / resources).toFixed(1);
    const rows = [
      ['minimum (Select pages + changed resources × windows)', minimum, per1000(minimum), '1.00×'],
      [
        'configgraph collect',
        summary.totalCalls,
        per1000(summary.totalCalls),
        `${(summary.totalCalls / minimum).toFixed(2)}×`,
      ],
      [
        'history for every resource (no skipping)',
        everyResource,
        per1000(everyResource),
        `${(everyResource / minimum).toFixed(2)}×`,
      ],
    ];
    console.log(table(['', 'calls', 'per 1,000 resources', 'vs minimum'], rows));
    const ops = Object.entries(summary.apiCalls).sort((a, b) => b[1] - a[1]);
    console.log(
      `\nconfiggraph: ${ops.map(([op, n]) => `${op} ${n}`).join(', ')}; ${summary.resources} resources, ${summary.items} CIs ` +
        `in ${fmtMs(ms)} ms; history: ${summary.history?.resources ?? 0} fetched, ${summary.history?.unchangedInSpan ?? 0} unchanged since ${since}`,
    );
    if (summary.resources !== resources)
      throw new Error(`collected ${summary.resources} resources, the estate has ${resources}`);
    if (values.json) {
      writeFileSync(
        values.json,
        JSON.stringify(
          {
            node: process.version,
            date: new Date().toISOString(),
            estate: { resources, cis: world.size(), days, changeRate, history: values.history, changed, windows },
            minimum,
            everyResource,
            calls: summary.apiCalls,
            totalCalls: summary.totalCalls,
            callsPerThousandResources: summary.callsPerThousandResources,
            ms,
          },
          null,
          2,
        ),
      );
      console.log(`results written to ${values.json}`);
    }
  } finally {
    await store.close();
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

process.exitCode = await main();
