// "Refresh now" as a user runs it: `configgraph serve --region … --endpoint-url …` in its own process
// (the server and collector control exactly as serve builds them), collecting from the local endpoint
// that speaks the Config protocol and serves the placebo history (one item per page, with latency, so a
// collection lasts long enough to be seen running), into a fresh SQLite store.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir, useFakeCredentials } from '../collector/helpers.ts';
import { ConfigWorld, placeboHistoryItems, startConfigEndpoint } from './config-endpoint/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface CollectingServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Everything the server printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops the server (SIGTERM, as Ctrl-C would) and the endpoint, and removes the store and checkpoints. */
  close(): Promise<void>;
}

export async function startCollectingServer(
  latencyMs: number,
  opts: { clientDir?: string } = {},
): Promise<CollectingServer> {
  useFakeCredentials();
  const dir = tempDir('configgraph-collecting-server-');
  const endpoint = await startConfigEndpoint({
    world: new ConfigWorld(placeboHistoryItems()),
    pageSize: { SelectResourceConfig: 1 },
    latencyMs,
  });
  const args = [
    'bin/configgraph.js',
    'serve',
    '--port',
    '0',
    '--store',
    `sqlite:${join(dir.path, 'store.db')}`,
    '--region',
    'us-east-1',
    '--region',
    'us-east-2',
    '--endpoint-url',
    endpoint.url,
    '--checkpoint-dir',
    join(dir.path, 'checkpoints'),
    ...(opts.clientDir === undefined ? [] : ['--client-dir', opts.clientDir]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, CONFIGGRAPH_LOG_LEVEL: 'warn', CONFIGGRAPH_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await endpoint.close();
    dir.remove();
  };
  const url = await new Promise<string | undefined>((resolve) => {
    const look = (): void => {
      const found = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      if (found !== undefined) resolve(found);
    };
    child.stdout.on('data', look);
    void exited.then(() => resolve(undefined));
  });
  if (url === undefined) {
    await close();
    throw new Error(`configgraph serve did not start:\n${output}`);
  }
  return { url, output: () => output, close };
}
