// configgraph serve: the HTTP API and the explorer. Binds to 127.0.0.1 unless told otherwise (and
// then only with CONFIGGRAPH_TOKEN); --demo fills an empty store with the demo environment.
import { InvalidInputError } from '../../../graph/errors.ts';
import { parseDocument } from '../../../graph/parse/index.ts';
import type { GraphStore } from '../../../graph/store.ts';
import { describeStoreSpec, openStore, storeSpec } from '../../../graph/stores/open.ts';
import { DEFAULT_CLIENT_DIR } from '../../http/client.ts';
import type { CollectionControl } from '../../http/collections.ts';
import { createLogger } from '../../http/logging.ts';
import { checkBindingIsSafe } from '../../http/security.ts';
import { startServer } from '../../http/start.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { stringOption } from '../common.ts';

/** `15m`, `1h`, `90s`, `1h30m` → milliseconds; at least one minute, so AWS is not hammered. */
export function parseInterval(value: string): number {
  const re = /(\d+)\s*(h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    total += Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000);
    matched = re.lastIndex;
  }
  if (matched !== value.length || total < 60_000) {
    throw new InvalidInputError(`--collect-every "${value}" is not an interval of at least a minute`, 'e.g. 15m, 1h, 1h30m');
  }
  return total;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidInputError(`port "${value}" is not a port`, 'an integer from 0 to 65535 (0 picks a free one)');
  return Number(value);
}

/** Loads the demo environment into an empty store; says so, so nobody mistakes it for their AWS data. */
async function loadDemoIfEmpty(store: GraphStore, ctx: CliContext): Promise<void> {
  if ((await store.runs()).length > 0) {
    ctx.stdout.write('store already holds data: not loading the demo environment\n');
    return;
  }
  const { demoEnvironment } = await import('../../demo.ts');
  const demo = demoEnvironment();
  const parsed = parseDocument(demo.items, 'demo-environment');
  const run = await store.ingest({
    source: 'demo',
    scope: 'demo environment',
    items: parsed.items,
    snapshots: parsed.snapshots,
    skipped: parsed.skipped,
    notes: [...parsed.notes, 'synthetic demo data, not from AWS'],
  });
  ctx.stdout.write(`loaded the DEMO environment (synthetic, not your AWS data): ${run.counts.items} items, ${run.counts.resources} resources\n`);
  ctx.stdout.write(`${demo.description}\n`);
}

/** The collector's refresh service, when the collector is installed (server/collect/service.ts). */
async function loadCollector(store: GraphStore, env: NodeJS.ProcessEnv): Promise<CollectionControl | undefined> {
  let mod: Record<string, unknown>;
  try {
    // A variable specifier: the collector is optional, and absent installs must still type-check.
    const specifier = '../../collect/service.ts';
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const factory = mod.createCollectionService;
  if (typeof factory !== 'function') return undefined;
  return (await (factory as (o: { store: GraphStore; env: NodeJS.ProcessEnv }) => unknown)({ store, env })) as CollectionControl;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the HTTP API and the explorer (http://127.0.0.1:8080)',
  usage: 'serve [--port 8080] [--host 127.0.0.1] [--store S] [--demo] [--collect-every 15m] [--cors-origin URL]...',
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    demo: { type: 'boolean' },
    'collect-every': { type: 'string' },
    'cors-origin': { type: 'string', multiple: true },
    'client-dir': { type: 'string' },
  },
  async run(ctx) {
    const env = ctx.env;
    const host = stringOption(ctx, 'host') ?? env.CONFIGGRAPH_HOST ?? '127.0.0.1';
    const port = parsePort(stringOption(ctx, 'port') ?? env.CONFIGGRAPH_PORT ?? '8080');
    const token = env.CONFIGGRAPH_TOKEN === undefined || env.CONFIGGRAPH_TOKEN === '' ? undefined : env.CONFIGGRAPH_TOKEN;
    const corsFlag = ctx.values['cors-origin'];
    const cors = Array.isArray(corsFlag)
      ? corsFlag.map(String)
      : (env.CONFIGGRAPH_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    const collectEveryText = stringOption(ctx, 'collect-every');
    const collectEvery = collectEveryText === undefined ? undefined : parseInterval(collectEveryText);
    const clientDir = stringOption(ctx, 'client-dir') ?? DEFAULT_CLIENT_DIR;
    try {
      checkBindingIsSafe(host, token);
    } catch (err) {
      ctx.stderr.write(`configgraph serve: ${(err as Error).message}\n`);
      return 2;
    }

    const spec = storeSpec(stringOption(ctx, 'store'), env);
    const storeLabel = describeStoreSpec(spec);
    const store = await openStore(spec, env);
    let closeServer: (() => Promise<void>) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      if (ctx.values.demo) await loadDemoIfEmpty(store, ctx);
      const collection = await loadCollector(store, env);
      if (collectEvery !== undefined && collection === undefined) {
        throw new InvalidInputError('--collect-every needs the collector, which is not available in this installation', 'serve without --collect-every');
      }
      const logger = createLogger();
      const running = await startServer({
        store,
        logger,
        host,
        port,
        storeLabel,
        clientDir,
        ...(token === undefined ? {} : { token }),
        ...(cors.length > 0 ? { cors } : {}),
        ...(collection === undefined ? {} : { collection }),
      });
      closeServer = running.close;
      if (collectEvery !== undefined && collection !== undefined) {
        timer = setInterval(() => {
          Promise.resolve(collection.start({ trigger: 'schedule' })).catch((err: unknown) => logger.warn({ err }, 'scheduled collection did not start'));
        }, collectEvery);
      }
      // The configuration in force, never the token itself.
      ctx.stdout.write(
        [
          `configgraph is serving ${running.url}/`,
          `  explorer:  ${running.url}/  (from ${clientDir})`,
          `  API:       ${running.url}/api  (OpenAPI: ${running.url}/api/openapi.json)`,
          `  store:     ${storeLabel}`,
          `  auth:      ${token === undefined ? 'off (loopback only)' : 'bearer token required on /api (CONFIGGRAPH_TOKEN, not shown)'}`,
          `  CORS:      ${cors.length > 0 ? cors.join(', ') : 'off'}`,
          `  collector: ${collection === undefined ? 'not available' : collectEvery === undefined ? 'on demand (POST /api/collections)' : `every ${collectEveryText}`}`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      ctx.stdout.write('stopping: finishing requests in flight...\n');
    } finally {
      if (timer !== undefined) clearInterval(timer);
      if (closeServer !== undefined) await closeServer();
      await store.close();
    }
    return 0;
  },
};
