// A server that needs its token: the landing page says so and offers the field at once (not only after a
// failed link), and with the token the explorer works. Real server, real Chromium.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { demoRunInput } from '../../world/demo-load.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';
import { buildClient, chromiumAvailable, launchBrowser, newWatchedPage, removeBuild, screenshot } from './harness.ts';

const available = chromiumAvailable();
const TOKEN = 'a-token-for-the-e2e-test-0123456789';
let server: RunningServer;
let browser: Browser;

describe.skipIf(!available)('a token-protected server in headless Chromium', () => {
  beforeAll(async () => {
    const clientDir = await buildClient();
    const store = openSqliteStore(':memory:');
    const { description: _d, ...demo } = demoRunInput();
    await store.ingest(demo);
    server = await startServer({ store, logger: createLogger({ level: 'silent' }), port: 0, clientDir, token: TOKEN });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeBuild();
  });

  it('the landing page asks for the token, and with it shows the last run', async () => {
    const { context, page, watch } = await newWatchedPage(browser, server.url);
    try {
      await page.goto('/');
      const banner = page.getByRole('region', { name: 'Collection status' });
      await expect.poll(() => banner.textContent()).toContain('needs its access token');
      const field = banner.getByLabel('Access token');
      await field.fill(TOKEN);
      await banner.getByRole('button', { name: 'Use token' }).click();
      await expect.poll(() => banner.textContent()).toMatch(/Last .* run/);
      await screenshot(page, 'token-landing');
      // The token stays out of the URL.
      expect(page.url()).not.toContain(TOKEN);
      expect(watch.dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
