// A page on another origin, in a real Chromium, can neither read the graph nor start a collection:
// not by a cross-origin fetch (CORS stays closed, state changes need JSON from our origin), and not by
// DNS rebinding (its own name in Host is refused). The rebinding name is mapped to 127.0.0.1 with
// Chromium's --host-resolver-rules, so the browser really sends `Host: evil.example:PORT`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { demoRunInput } from '../../world/demo-load.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';
import { CHROMIUM, chromiumAvailable } from './harness.ts';

const available = chromiumAvailable();
let server: RunningServer;
let attacker: Server;
let attackerPort: number;
let browser: Browser;
let started = 0;

/** The attacker's page: tries to read the export and to start a collection at the victim's port. */
const attackPage = (victim: string) => `<!doctype html><script>
window.results = (async () => {
  const out = {};
  try { const r = await fetch('${victim}/api/export?format=json'); out.read = r.status; out.body = (await r.text()).slice(0, 50); }
  catch (e) { out.read = 'blocked'; }
  try { await fetch('${victim}/api/collections', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{}' }); out.post = 'sent'; }
  catch (e) { out.post = 'blocked'; }
  try { await fetch('${victim}/api/collections', { method: 'POST', mode: 'no-cors', body: new Blob(['{}'], { type: 'application/json' }) }); out.post2 = 'sent'; }
  catch (e) { out.post2 = 'blocked'; }
  return out;
})();
</script>`;

describe.skipIf(!available)('another origin in Chromium', () => {
  beforeAll(async () => {
    const store = openSqliteStore(':memory:');
    const { description: _d, ...demo } = demoRunInput();
    await store.ingest(demo);
    server = await startServer({
      store,
      logger: createLogger({ level: 'silent' }),
      port: 0,
      clientDir: '/nonexistent',
      collection: {
        start: () => {
          started += 1;
          return { started: true };
        },
        current: () => null,
      },
    });
    attacker = createServer((req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(attackPage(`http://127.0.0.1:${server.port}`));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.address() as AddressInfo).port;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--host-resolver-rules=MAP evil.example 127.0.0.1',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await server?.close();
  });

  it('a page on another origin cannot read the graph or start a collection', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${attackerPort}/`);
    const results = await page.evaluate(
      () => (window as unknown as { results: Promise<Record<string, unknown>> }).results,
    );
    expect(results.read).toBe('blocked');
    expect(started).toBe(0);
    await page.close();
  });

  it('a rebinding name that resolves to 127.0.0.1 is refused: no graph, no collection', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://evil.example:${server.port}/api/export?format=json`);
    expect(response?.status()).toBe(421);
    expect(await page.content()).not.toContain('"resources"');
    // The same page, now "same-origin" with the victim's port, tries a state change.
    const post = await page.evaluate(async () => {
      const r = await fetch('/api/collections', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      return r.status;
    });
    expect(post).toBe(421);
    expect(started).toBe(0);
    await page.close();
  });
});
