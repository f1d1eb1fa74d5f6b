// `configgraph serve` as a user runs it: the real CLI in its own process, the demo loaded into an
// empty store, the configuration printed without the token, a graceful stop on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TOKEN = 'serve-test-token-5f2d9c1e7a';

describe('configgraph serve', () => {
  const work = mkdtempSync(join(tmpdir(), 'configgraph-serve-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    'loads the demo into an empty store, prints its configuration without the token, serves, and stops on SIGTERM',
    { timeout: 120_000 },
    async () => {
      const store = `sqlite:${join(work, 'store.db')}`;
      const child = spawn(
        process.execPath,
        ['bin/configgraph.js', 'serve', '--demo', '--port', '0', '--store', store, '--log-requests'],
        {
          cwd: ROOT,
          env: { ...process.env, CONFIGGRAPH_TOKEN: TOKEN, CONFIGGRAPH_LOG_LEVEL: 'info' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

      const deadline = Date.now() + 90_000;
      let url: string | undefined;
      while (url === undefined && Date.now() < deadline) {
        url = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
        if (url === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(url, `${stdout}\n${stderr}`).toBeDefined();
      expect(stdout).toMatch(/loaded the DEMO environment \(synthetic, not your AWS data\)/);
      expect(stdout).toMatch(/auth: +bearer token required/);
      expect(stdout).toMatch(new RegExp(`store: +${store.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));

      const health = await fetch(`${url}/api/health`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(health.status).toBe(200);
      const body = (await health.json()) as { lastRun: { source: string } };
      expect(body.lastRun.source).toBe('demo');
      expect((await fetch(`${url}/api/health`)).status).toBe(401);

      // An embedded store's export is built in a worker thread: a complete file that verifies, and an
      // unknown resource is still a 404.
      const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };
      const exported = await fetch(`${url}/api/export?format=json`, auth);
      expect(exported.status).toBe(200);
      const file = join(work, 'served-export.json');
      writeFileSync(file, Buffer.from(await exported.arrayBuffer()));
      const verified = spawnSync(process.execPath, ['bin/configgraph.js', 'verify', file], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(verified.status, verified.stdout).toBe(0);
      expect((await fetch(`${url}/api/export?format=json&ref=i-nope`, auth)).status).toBe(404);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/stopping/);
      // With --log-requests, request logs went to stdout as JSON lines; the token appears nowhere.
      expect(stdout).toMatch(/"msg":"request"/);
      expect(stdout + stderr).not.toContain(TOKEN);

      // A second start finds data and does not load the demo again.
      const again = spawn(
        process.execPath,
        ['bin/configgraph.js', 'serve', '--demo', '--port', '0', '--store', store],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out2 = '';
      again.stdout.on('data', (c: Buffer) => (out2 += c.toString('utf8')));
      const done2 = new Promise<number | null>((resolve) => again.once('exit', (code) => resolve(code)));
      while (!/serving/.test(out2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out2).toMatch(/store already holds data: not loading the demo environment/);
      // Without --log-requests (and at the default info level) browsing leaves the terminal quiet.
      const url2 = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(out2)?.[1];
      expect((await fetch(`${url2}/api/health`)).status).toBe(200);
      again.kill('SIGTERM');
      expect(await done2).toBe(0);
      expect(out2).not.toMatch(/"msg":"request"/);
    },
  );

  it('on a busy port says which port and which flag to use, and exits 1 (not a raw EADDRINUSE)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const child = spawn(
        process.execPath,
        ['bin/configgraph.js', 'serve', '--port', String(port), '--store', `sqlite:${join(work, 'busy.db')}`],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code, out).toBe(1);
      expect(out).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(out).toContain(`--port ${port + 1}`);
      expect(out).toContain(`npm start -- --port ${port + 1}`);
      expect(out).not.toContain('EADDRINUSE');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
