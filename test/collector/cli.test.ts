// `configgraph collect` as a user runs it: a separate process, the SDK's default credential chain
// from the environment, a file store; one run is killed with SIGKILL midway and resumed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import {
  ConfigWorld,
  placeboHistoryItems,
  startConfigEndpoint,
  worldKey,
  type ConfigEndpoint,
  type WorldItem,
} from '../support/config-endpoint/index.ts';
import { FAKE_KEY_ID, FAKE_SECRET, readAll, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/configgraph.js', import.meta.url));

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  env.AWS_ACCESS_KEY_ID = FAKE_KEY_ID;
  env.AWS_SECRET_ACCESS_KEY = FAKE_SECRET;
  env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv, killWhen?: () => boolean): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killWhen
      ? setInterval(() => {
          if (killWhen()) child.kill('SIGKILL');
        }, 5)
      : undefined;
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * The placebo recordings are years old, and a resource whose current CI predates the --history span
 * needs no history call: each resource's CIs are moved (keeping their spacing) so its latest lands a
 * day before now, inside the `--history 7d` span the CLI run uses.
 */
function recentPlaceboItems(): WorldItem[] {
  const items = placeboHistoryItems();
  const latest = new Map<string, number>();
  for (const i of items)
    latest.set(worldKey(i), Math.max(latest.get(worldKey(i)) ?? 0, Date.parse(i.configurationItemCaptureTime)));
  const target = Date.now() - 24 * 3600_000;
  return items.map((i) => ({
    ...i,
    configurationItemCaptureTime: new Date(
      Date.parse(i.configurationItemCaptureTime) + target - latest.get(worldKey(i))!,
    ).toISOString(),
  }));
}

describe('configgraph collect (CLI process)', () => {
  let endpoint: ConfigEndpoint;
  const dir = tempDir('configgraph-collect-cli-');
  const world = new ConfigWorld(recentPlaceboItems(), { notQueryable: ['AWS::ECS::TaskDefinition'] });

  beforeAll(async () => {
    endpoint = await startConfigEndpoint({
      world,
      pageSize: { SelectResourceConfig: 1, GetResourceConfigHistory: 1 },
      latencyMs: 15,
      emptyHistoryPages: 1,
    });
  });
  afterAll(async () => {
    await endpoint.close();
    dir.remove();
  });

  const args = (db: string, ...more: string[]) => [
    'collect',
    '--region',
    'us-east-1',
    '--region',
    'us-east-2',
    '--endpoint-url',
    endpoint.url,
    '--store',
    `sqlite:${db}`,
    '--history',
    '7d',
    ...more,
  ];

  it('collects, prints a summary, and a SIGKILLed run resumes to the same graph', async () => {
    const whole = join(dir.path, 'whole.db');
    const first = await run(args(whole), childEnv());
    expect(first.stderr).not.toMatch(/Error|error:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/collected 9 resources/);
    expect(first.stdout).toMatch(/API calls: \d+ \(.*SelectResourceConfig \d+/);
    expect(first.stdout).toMatch(/history since \d{4}-.*: 9 resources in 9 windows, \d+ pages \(\d+ empty\)/);

    const killed = join(dir.path, 'killed.db');
    const before = endpoint.log.length;
    const k = await run(args(killed), childEnv(), () => endpoint.log.length - before >= 12);
    expect(k.signal).toBe('SIGKILL');
    const resumed = await run(args(killed, '--resume', '--json'), childEnv());
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { resumed: boolean; pagesReplayed: number; resources: number };
    expect(summary.resumed).toBe(true);
    expect(summary.pagesReplayed).toBeGreaterThan(0);

    const a = openSqliteStore(whole);
    const b = openSqliteStore(killed);
    try {
      expect(await b.canonicalExport()).toEqual(await a.canonicalExport());
      const all = JSON.stringify({ s: [first, k, resumed], runs: await b.runs(), files: readAll(dir.path).length });
      for (const secret of [FAKE_KEY_ID, FAKE_SECRET]) expect(all).not.toContain(secret);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);

  it('rejects bad flags with a usage error', async () => {
    const r = await run(
      [
        'collect',
        '--region',
        'eu-west-1',
        '--max-attempts',
        '0',
        '--endpoint-url',
        endpoint.url,
        '--store',
        `sqlite:${join(dir.path, 'x.db')}`,
      ],
      childEnv(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-attempts/);
    const noRegion = await run(
      ['collect', '--endpoint-url', endpoint.url, '--store', `sqlite:${join(dir.path, 'x.db')}`],
      childEnv(),
    );
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/no region given/);
  }, 60_000);

  it('says clearly when no credentials can be found, calls nothing and stores nothing', async () => {
    const env = childEnv();
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const calls = endpoint.log.length;
    const db = join(dir.path, 'nocreds.db');
    const r = await run(
      ['collect', '--region', 'eu-west-1', '--endpoint-url', endpoint.url, '--store', `sqlite:${db}`],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/credentials/i);
    // Nothing reached AWS and nothing was stored: no run, no resource (the store may exist, empty).
    expect(endpoint.log.length).toBe(calls);
    if (existsSync(db)) {
      const store = openSqliteStore(db);
      try {
        expect(await store.runs()).toEqual([]);
        expect((await store.stats()).resources).toBe(0);
      } finally {
        await store.close();
      }
    }
  }, 60_000);
});
