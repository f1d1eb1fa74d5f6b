// Who may talk to the server: only the Host names it serves (no DNS rebinding), state changes only from
// its own origin (or with the token) and as JSON, and tokens that are real tokens. Real HTTP throughout.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { CollectionControl } from '../../server/http/collections.ts';
import { createLogger } from '../../server/http/logging.ts';
import { checkBindingIsSafe } from '../../server/http/security.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';

/** A collection control that only counts the collections it was asked to start. */
function countingControl(): CollectionControl & { started: number } {
  const control = {
    started: 0,
    start() {
      control.started += 1;
      return { started: true, id: `c${control.started}` };
    },
    current: () => null,
  };
  return control;
}

/** Raw HTTP, so the Host and Origin headers are exactly what an attacker's browser would send. */
function send(
  server: RunningServer,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

let server: RunningServer;
let control: ReturnType<typeof countingControl>;

beforeAll(async () => {
  control = countingControl();
  server = await startServer({
    store: openSqliteStore(':memory:'),
    logger: createLogger({ level: 'silent' }),
    port: 0,
    collection: control,
    allowedHosts: ['configgraph.internal'],
  });
});
afterAll(() => server.close());

describe('Host names (DNS rebinding)', () => {
  it('answers loopback names and the names it was told to serve', async () => {
    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      `[::1]:${server.port}`,
      'configgraph.internal',
    ])
      expect((await send(server, { path: '/api/stats', headers: { Host: host } })).status, host).toBe(200);
  });

  it('refuses any other Host, for the API and the explorer alike, saying how to allow it', async () => {
    for (const path of ['/api/export?format=json', '/api/stats', '/']) {
      const r = await send(server, { path, headers: { Host: `evil.example:${server.port}` } });
      expect(r.status, path).toBe(421);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
      expect(r.body).toContain('--allow-host');
    }
  });
});

describe('state-changing requests', () => {
  const post = (headers: Record<string, string>, body = '{}') =>
    send(server, {
      method: 'POST',
      path: '/api/collections',
      headers: { Host: `127.0.0.1:${server.port}`, ...headers },
      body,
    });

  it('a page on another origin cannot start a collection, whatever its content type', async () => {
    const before = control.started;
    for (const contentType of ['text/plain', 'application/json', undefined]) {
      const r = await post({ Origin: 'http://evil.example', ...(contentType ? { 'Content-Type': contentType } : {}) });
      expect(r.status, String(contentType)).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'cross_origin' } });
    }
    expect(control.started).toBe(before);
  });

  it('a state change must be JSON, even from the same origin', async () => {
    const before = control.started;
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const r = await post({
        Origin: `http://127.0.0.1:${server.port}`,
        ...(contentType ? { 'Content-Type': contentType } : {}),
      });
      expect(r.status, String(contentType)).toBe(415);
    }
    expect(control.started).toBe(before);
  });

  it('the explorer on its own origin (and a local tool sending no Origin) can start one', async () => {
    const before = control.started;
    expect((await post({ Origin: `http://127.0.0.1:${server.port}`, 'Content-Type': 'application/json' })).status).toBe(
      202,
    );
    expect((await post({ 'Content-Type': 'application/json' })).status).toBe(202);
    expect(control.started).toBe(before + 2);
  });

  it('a method a route does not take is 405 with Allow, not 404', async () => {
    const r = await send(server, {
      method: 'DELETE',
      path: '/api/stats',
      headers: { Host: `127.0.0.1:${server.port}` },
    });
    expect(r.status).toBe(405);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});

describe('tokens and parameters', () => {
  it('a token of spaces (or with spaces) is refused at start', () => {
    expect(() => checkBindingIsSafe('127.0.0.1', ' '.repeat(20))).toThrow(/token/i);
    expect(() => checkBindingIsSafe('0.0.0.0', 'abcdefgh ijklmnopq')).toThrow(/space/i);
    expect(() => checkBindingIsSafe('0.0.0.0', 'abcdefghijklmnopq')).not.toThrow();
  });

  it.each(['depth=', 'depth=01', 'depth=+1', 'depth=1.0'])('%s is a 400, not a default', async (qs) => {
    const r = await send(server, {
      path: `/api/resources/x/neighborhood?${qs}`,
      headers: { Host: `127.0.0.1:${server.port}` },
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('the explorer files', () => {
  it('source maps are not served; the scripts they describe are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'configgraph-client-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
    const s = await startServer({
      store: openSqliteStore(':memory:'),
      logger: createLogger({ level: 'silent' }),
      port: 0,
      clientDir: dir,
    });
    try {
      const host = { Host: `127.0.0.1:${s.port}` };
      expect((await send(s, { path: '/assets/app.js', headers: host })).status).toBe(200);
      const map = await send(s, { path: '/assets/app.js.map', headers: host });
      expect(map.status).toBe(404);
      expect(map.body).not.toContain('secret.ts');
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
