// Two configgraph processes on one SQLite store (issue 14, item 9): a reader answers while another
// process is inside a write transaction; a second import waits for the first, saying whom it waits for,
// and both are stored; a lock left by a process that has ended (or whose pid now names another process)
// is taken over; a collection started by `serve` takes the same lock.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryFiles, generateEnvironment, SIZES, writeDeliveryFiles } from '../../world/generator/index.ts';
import { lockPathOf, processStartTicks } from '../../graph/stores/sqlite/writer-lock.ts';
import { ConfigWorld, placeboHistoryItems, startConfigEndpoint } from '../support/config-endpoint/index.ts';
import { FAKE_KEY_ID, FAKE_SECRET } from '../collector/helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'configgraph.js');
const ENV = { ...process.env, CONFIGGRAPH_STORE: '', NEO4J_URI: '' };

let dir: string;
let files: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-concurrency-'));
  files = join(dir, 'files');
  writeDeliveryFiles(files, deliveryFiles(generateEnvironment({ ...SIZES.small, seed: 'concurrency' }).items));
});
afterAll(() => {
  for (const c of started) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: ENV, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function start(args: string[], env: NodeJS.ProcessEnv = ENV): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let n = 0;
const storePath = () => join(dir, `store-${++n}.db`);

describe('one SQLite store, two processes', () => {
  it('a reader answers while another process is inside a write transaction', () => {
    const db = storePath();
    expect(cli(['import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${db}`]).code).toBe(0);
    const before = JSON.parse(cli(['stats', '--json', '--store', `sqlite:${db}`]).stdout) as { resources: number };
    const writer = new Database(db);
    try {
      writer.exec('BEGIN IMMEDIATE');
      writer.prepare("INSERT INTO meta (name, value) VALUES ('held-by-test', '1')").run();
      for (const command of [['stats'], ['runs'], ['search', 'i-']]) {
        const r = cli([...command, '--json', '--store', `sqlite:${db}`]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const during = JSON.parse(cli(['stats', '--json', '--store', `sqlite:${db}`]).stdout) as { resources: number };
      expect(during.resources).toBe(before.resources);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('a second import waits for the first, naming it, and both are stored', async () => {
    const db = storePath();
    const first = start(['import', files, '--store', `sqlite:${db}`]);
    await until('the first import holds the lock', () => existsSync(lockPathOf(db)));
    // Held still, so that the second surely finds it at work (and, before the lock, inside its transaction).
    first.child.kill('SIGSTOP');
    const second = start(['import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${db}`]);
    await until('the second says whom it waits for', () => second.stderr().includes('waiting for the store'));
    expect(second.stderr()).toContain(
      `configgraph import: waiting for the store: held by import pid ${first.child.pid} since `,
    );
    first.child.kill('SIGCONT');
    expect(await first.exit).toBe(0);
    expect(await second.exit).toBe(0);
    const runs = JSON.parse(cli(['runs', '--json', '--store', `sqlite:${db}`]).stdout) as { status: string }[];
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.status)).not.toContain('failed');
    expect(existsSync(lockPathOf(db))).toBe(false);
  }, 120_000);

  it('a lock is never seen empty: its holder, paused the moment it appears, is named in it', async () => {
    // Created empty and then written, a holder stopped between the two left an unreadable lock, which
    // others took over after a second while the holder still lived.
    for (let trial = 0; trial < 12; trial++) {
      const db = storePath();
      const holder = start(['import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${db}`]);
      await until('the lock appears', () => existsSync(lockPathOf(db)) || holder.child.exitCode !== null);
      holder.child.kill('SIGSTOP');
      try {
        if (existsSync(lockPathOf(db))) {
          const text = readFileSync(lockPathOf(db), 'utf8');
          expect(text, `trial ${trial}`).not.toBe('');
          expect((JSON.parse(text) as { pid: number }).pid).toBe(holder.child.pid);
        }
      } finally {
        holder.child.kill('SIGCONT');
      }
      expect(await holder.exit).toBe(0);
    }
  }, 120_000);

  it("a store in a folder that does not exist yet (a fresh clone's ./data) is created by serve --demo and by import", async () => {
    const served = join(dir, `new-folder-${++n}`, 'configgraph.db');
    const serve = start(['serve', '--demo', '--port', '0', '--store', `sqlite:${served}`]);
    await until(
      'serve is listening',
      () => /serving (http:\S+)\//.test(serve.stdout()) || serve.child.exitCode !== null,
    );
    expect(serve.stderr()).toBe('');
    expect(serve.stdout()).toContain('loaded the DEMO environment');
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    const imported = join(dir, `new-folder-${++n}`, 'configgraph.db');
    const r = cli(['import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${imported}`]);
    expect(r.stderr).not.toContain('cannot create');
    expect(r.code).toBe(0);
  }, 120_000);

  it('a lock left by a process that has ended is taken over, and said so', () => {
    const db = storePath();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const since = '2026-01-01T00:00:00.000Z';
    writeFileSync(lockPathOf(db), JSON.stringify({ pid: gone, command: 'import', since, host: hostname() }));
    const r = cli(['import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${db}`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`the store's lock was left by import pid ${gone} since ${since}, which has ended`);
    expect(existsSync(lockPathOf(db))).toBe(false);
  });

  it('a lock naming a live pid that another process took after the holder ended is taken over', () => {
    const db = storePath();
    // A process alive now, under the pid of a holder recorded as started at another time.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    started.push(other);
    const pid = other.pid!;
    const ticks = processStartTicks(pid);
    expect(ticks).toMatch(/^\d+$/);
    const since = '2026-01-01T00:00:00.000Z';
    const lock = { pid, command: 'import', since, host: hostname(), startTicks: String(Number(ticks) - 1) };
    writeFileSync(lockPathOf(db), JSON.stringify(lock));
    const r = spawnSync(
      process.execPath,
      [BIN, 'import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${db}`],
      { env: ENV, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.stderr).toContain(`the store's lock was left by import pid ${pid} since ${since}, which has ended`);
    expect(r.status).toBe(0);
    other.kill('SIGKILL');
  }, 60_000);

  it('serve --demo waits for an import holding the store, naming it, and then finds data and loads no demo', async () => {
    const db = storePath();
    const importing = start(['import', files, '--store', `sqlite:${db}`]);
    await until('the import holds the lock', () => existsSync(lockPathOf(db)));
    importing.child.kill('SIGSTOP');
    const serve = start(['serve', '--demo', '--port', '0', '--store', `sqlite:${db}`]);
    await until('serve says whom it waits for', () => serve.stderr().includes('waiting for the store'));
    expect(serve.stderr()).toContain(
      `configgraph serve: waiting for the store: held by import pid ${importing.child.pid} since `,
    );
    expect(serve.stdout()).not.toContain('serving');
    importing.child.kill('SIGCONT');
    expect(await importing.exit).toBe(0);
    await until('serve is listening', () => /serving (http:\S+)\//.test(serve.stdout()));
    expect(serve.stdout()).toContain('store already holds data: not loading the demo environment');
    // Serving does not hold the lock: a later import is not kept waiting by it.
    expect(existsSync(lockPathOf(db))).toBe(false);
    expect(cli(['import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${db}`]).code).toBe(0);
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    const runs = JSON.parse(cli(['runs', '--json', '--store', `sqlite:${db}`]).stdout) as { status: string }[];
    expect(runs).toHaveLength(2);
  }, 120_000);

  it('a collection started by serve takes the same lock: it fails at once naming an import holding it, and an import waits for it', async () => {
    const endpoint = await startConfigEndpoint({
      world: new ConfigWorld(placeboHistoryItems()),
      pageSize: { SelectResourceConfig: 1 },
    });
    try {
      const db = storePath();
      const env = {
        ...ENV,
        AWS_ACCESS_KEY_ID: FAKE_KEY_ID,
        AWS_SECRET_ACCESS_KEY: FAKE_SECRET,
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const serve = start(
        [
          'serve',
          '--port',
          '0',
          '--region',
          'us-east-1',
          '--endpoint-url',
          endpoint.url,
          '--store',
          `sqlite:${db}`,
        ].concat(['--checkpoint-dir', join(dir, `checkpoints-${n}`)]),
        env,
      );
      await until('serve is listening', () => /serving (http:\S+)\//.test(serve.stdout()));
      const url = /serving (http:\S+)\//.exec(serve.stdout())![1];
      const post = () =>
        fetch(`${url}/api/collections`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      const collectionEnded = async () => {
        for (;;) {
          const body = (await (await fetch(`${url}/api/collections/current`)).json()) as {
            collection: { state: string; error?: string };
          };
          if (body.collection.state !== 'running') return body.collection;
          await new Promise((r) => setTimeout(r, 20));
        }
      };

      // An import holds the store: the collection fails at once, saying who holds it.
      const importing = start(['import', files, '--store', `sqlite:${db}`]);
      await until('the import holds the lock', () => existsSync(lockPathOf(db)));
      importing.child.kill('SIGSTOP');
      expect((await post()).status).toBe(202);
      const refused = await collectionEnded();
      expect(refused.state).toBe('failed');
      expect(refused.error).toContain(`is being written by import pid ${importing.child.pid} since `);
      importing.child.kill('SIGCONT');
      expect(await importing.exit).toBe(0);

      // A collection holds the store: an import waits for it, naming it, and both are stored.
      expect((await post()).status).toBe(202);
      await until('the collection holds the lock', () => existsSync(lockPathOf(db)));
      serve.child.kill('SIGSTOP');
      const waiting = start(['import', 'test/fixtures/aws-config-developer-guide', '--store', `sqlite:${db}`]);
      await until('the import says whom it waits for', () => waiting.stderr().includes('waiting for the store'));
      expect(waiting.stderr()).toContain(`held by serve collection pid ${serve.child.pid} since `);
      serve.child.kill('SIGCONT');
      expect((await collectionEnded()).state).toBe('succeeded');
      expect(await waiting.exit).toBe(0);
      serve.child.kill('SIGTERM');
      expect(await serve.exit).toBe(0);
      const runs = JSON.parse(cli(['runs', '--json', '--store', `sqlite:${db}`]).stdout) as { status: string }[];
      expect(runs).toHaveLength(3);
      expect(runs.map((r) => r.status)).not.toContain('failed');
      expect(existsSync(lockPathOf(db))).toBe(false);
    } finally {
      await endpoint.close();
    }
  }, 120_000);
});
