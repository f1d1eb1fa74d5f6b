// configgraph serve: the HTTP API and the explorer. Binds to 127.0.0.1 unless told otherwise (and
// then only with CONFIGGRAPH_TOKEN); --demo fills an empty store with the demo environment; the
// collector's flags (--region…) enable "refresh now", and --collect-every a schedule.
import { InvalidInputError } from '../../../graph/errors.ts';
import type { GraphStore } from '../../../graph/store.ts';
import { describeMigration } from '../../../graph/stores/migrations.ts';
import { describeStoreSpec, openStore, sqliteFileOf, storeSpec } from '../../../graph/stores/open.ts';
import { takeWriterLock, type WriterLock } from '../../../graph/stores/sqlite/writer-lock.ts';
import { readableAsIs } from '../../../graph/stores/sqlite/upgrade.ts';
import { exportsOffThread } from '../../export/off-thread.ts';
import { DEFAULT_CLIENT_DIR } from '../../http/client.ts';
import type { Logger } from 'pino';
import { CollectionService, parseCollectEvery } from '../../collect/service.ts';
import { createLogger } from '../../http/logging.ts';
import { checkBindingIsSafe } from '../../http/security.ts';
import { startServer } from '../../http/start.ts';
import type { CliContext } from '../command.ts';
import { stringOption, writerLockOptions } from '../common.ts';
import { collectOptionsFrom } from './collect.ts';

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new InvalidInputError(`port "${value}" is not a port`, 'an integer from 0 to 65535 (0 picks a free one)');
  return Number(value);
}

function isAddressInUse(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

/** What to do when the port is taken: the port, and the flag for `configgraph serve` and `npm start`. */
export function busyPortMessage(host: string, port: number): string {
  const other = port === 65535 ? 8081 : port + 1;
  return (
    `configgraph serve: port ${port} on ${host} is already in use (another configgraph, or another program).\n` +
    `  Choose another port: configgraph serve --port ${other}   or   npm start -- --port ${other}\n`
  );
}

/** Loads the demo environment into an empty store; says so, so nobody mistakes it for their AWS data. */
async function loadDemoIfEmpty(store: GraphStore, ctx: CliContext): Promise<void> {
  if ((await store.runs()).length > 0) {
    ctx.stdout.write('store already holds data: not loading the demo environment\n');
    return;
  }
  const { demoRunInput } = await import('../../../world/demo-load.ts');
  const { description, ...demo } = demoRunInput();
  // Its own start time, not the demo's end: the run is when it was loaded.
  const run = await store.ingest({ ...demo, startedAt: new Date().toISOString() });
  ctx.stdout.write(
    `loaded the DEMO environment (synthetic, not your AWS data): ${run.counts.items} items, ${run.counts.resources} resources, ${run.counts.events ?? 0} CloudTrail events\n`,
  );
  ctx.stdout.write(`${description}\n`);
}

/** Whether the user asked for AWS collection (refresh now / schedule): only then is AWS ever called. */
function wantsCollector(ctx: CliContext): boolean {
  return ['region', 'all-regions', 'aggregator', 'collect-every'].some((name) => ctx.values[name] !== undefined);
}

/** The collector's service, configured from the same flags as `configgraph collect`. */
function makeCollector(
  store: GraphStore,
  ctx: CliContext,
  logger: Logger,
  sqliteFile: string | undefined,
): CollectionService {
  const settings = collectOptionsFrom(ctx);
  if (settings.regions.length === 0) {
    throw new InvalidInputError(
      'the collector needs a region',
      '--region R (repeatable), --all-regions, or AWS_REGION in the environment',
    );
  }
  const { resume: _resume, ...rest } = settings;
  // The same writer lock as `configgraph import` and `collect`; never waited for (see collect/service.ts).
  const lock =
    sqliteFile === undefined
      ? undefined
      : () => takeWriterLock(sqliteFile, { command: 'serve collection', wait: false });
  return new CollectionService(store, rest, (line) => logger.info({ collector: true }, line), lock);
}

export async function runServe(ctx: CliContext): Promise<number> {
  const env = ctx.env;
  const host = stringOption(ctx, 'host') ?? env.CONFIGGRAPH_HOST ?? '127.0.0.1';
  const port = parsePort(stringOption(ctx, 'port') ?? env.CONFIGGRAPH_PORT ?? '8080');
  const token = env.CONFIGGRAPH_TOKEN === undefined || env.CONFIGGRAPH_TOKEN === '' ? undefined : env.CONFIGGRAPH_TOKEN;
  const corsFlag = ctx.values['cors-origin'];
  const cors = Array.isArray(corsFlag)
    ? corsFlag.map(String)
    : (env.CONFIGGRAPH_CORS_ORIGINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
  // Host names served besides loopback ones and the bind address (a DNS-rebinding guard).
  const allowFlag = ctx.values['allow-host'];
  const allowedHosts = Array.isArray(allowFlag)
    ? allowFlag.map(String)
    : (env.CONFIGGRAPH_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
  const collectEveryText = stringOption(ctx, 'collect-every');
  const collectEvery = collectEveryText === undefined ? undefined : parseCollectEvery(collectEveryText);
  const clientDir = stringOption(ctx, 'client-dir') ?? DEFAULT_CLIENT_DIR;
  try {
    checkBindingIsSafe(host, token);
  } catch (err) {
    ctx.stderr.write(`configgraph serve: ${(err as Error).message}\n`);
    return 2;
  }

  const spec = storeSpec(stringOption(ctx, 'store'), env);
  const storeLabel = describeStoreSpec(spec);
  const sqliteFile = sqliteFileOf(spec, env);
  // Creating, migrating or filling an embedded store writes it: that is done under the writer lock, waiting
  // for an import or collection at work (and saying so). Serving itself only reads, so the lock is let go
  // before the server starts and never keeps an import waiting.
  const settingUp: WriterLock | undefined =
    sqliteFile !== undefined && (ctx.values.demo === true || !readableAsIs(sqliteFile))
      ? await takeWriterLock(sqliteFile, writerLockOptions(ctx, 'serve'))
      : undefined;
  let store: GraphStore;
  try {
    store = await openStore(spec, env, {
      onMigrated: (r) => ctx.stderr.write(`configgraph serve: ${describeMigration(r)}\n`),
    });
  } catch (err) {
    settingUp?.release();
    throw err;
  }
  let closeServer: (() => Promise<void>) | undefined;
  let service: CollectionService | undefined;
  try {
    try {
      if (ctx.values.demo) await loadDemoIfEmpty(store, ctx);
    } finally {
      settingUp?.release();
    }
    const logger = createLogger();
    service = wantsCollector(ctx) ? makeCollector(store, ctx, logger, sqliteFile) : undefined;
    const running = await startServer({
      store,
      logger,
      logRequests: ctx.values['log-requests'] === true,
      host,
      port,
      storeLabel,
      clientDir,
      ...(token === undefined ? {} : { token }),
      ...(cors.length > 0 ? { cors } : {}),
      ...(allowedHosts.length > 0 ? { allowedHosts } : {}),
      ...(service === undefined ? {} : { collection: service.asControl() }),
      // An embedded store's exports are built in worker threads, so they never stall other requests.
      ...(sqliteFile === undefined ? {} : { exports: exportsOffThread(`sqlite:${sqliteFile}`) }),
    }).catch((err: unknown) => {
      if (!isAddressInUse(err)) throw err;
      ctx.stderr.write(busyPortMessage(host, port));
      return undefined;
    });
    if (running === undefined) return 1;
    closeServer = () => running.close();
    if (collectEvery !== undefined) service?.schedule(collectEvery);
    // Listening for the stop before saying we serve: a pipe is written synchronously, so whoever reads the line
    // below may signal us before the next statement runs.
    const stopped = new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    // The configuration in force, never the token itself.
    ctx.stdout.write(
      [
        `configgraph is serving ${running.url}/`,
        `  explorer:  ${running.url}/  (from ${clientDir})`,
        `  API:       ${running.url}/api  (OpenAPI: ${running.url}/api/openapi.json)`,
        `  store:     ${storeLabel}`,
        `  auth:      ${token === undefined ? 'off (loopback only)' : 'bearer token required on /api (CONFIGGRAPH_TOKEN, not shown)'}`,
        `  CORS:      ${cors.length > 0 ? cors.join(', ') : 'off'}`,
        `  hosts:     loopback names${host === '0.0.0.0' || host === '::' ? '' : `, ${host}`}${allowedHosts.length > 0 ? `, ${allowedHosts.join(', ')}` : ''}`,
        `  collector: ${service === undefined ? 'off (start with --region R to enable "refresh now")' : collectEvery === undefined ? 'on demand (POST /api/collections)' : `every ${collectEveryText} and on demand`}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await stopped;
    ctx.stdout.write('stopping: finishing requests in flight...\n');
  } finally {
    // A running collection is interrupted at a page boundary; its checkpoint lets the next one resume.
    await service?.close();
    if (closeServer !== undefined) await closeServer();
    await store.close();
  }
  return 0;
}
