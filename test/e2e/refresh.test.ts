// "Refresh now" end to end: the real server with a real CollectionService collecting, through the
// AWS SDK over HTTP, from the local endpoint that speaks the AWS Config protocol. The banner must
// show progress while it runs and the new run when it is done.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { CollectionService } from '../../server/collect/service.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';
import { tempDir, useFakeCredentials } from '../collector/helpers.ts';
import { ConfigWorld, placeboHistoryItems, startConfigEndpoint, type ConfigEndpoint } from '../support/config-endpoint/index.ts';
import { buildClient, chromiumAvailable, launchBrowser, newWatchedPage, removeBuild, screenshot } from './harness.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('refresh now, with a collector', { timeout: 90_000 }, () => {
  let endpoint: ConfigEndpoint;
  let store: GraphStore;
  let service: CollectionService;
  let server: RunningServer;
  let browser: Browser;
  const dir = tempDir();

  beforeAll(async () => {
    useFakeCredentials();
    const clientDir = await buildClient();
    // Latency makes the collection last long enough for the banner to show it running.
    endpoint = await startConfigEndpoint({ world: new ConfigWorld(placeboHistoryItems()), pageSize: { SelectResourceConfig: 1 }, latencyMs: 60 });
    store = openSqliteStore(':memory:');
    service = new CollectionService(store, {
      regions: ['us-east-1', 'us-east-2'],
      endpointUrl: endpoint.url,
      checkpointDir: dir.path,
      retryBaseMs: 5,
      rateLimits: { default: { perSecond: 1000, burst: 100 } },
    });
    server = await startServer({
      store,
      logger: createLogger({ level: 'warn' }),
      clientDir,
      port: 0,
      collection: {
        start: (body) => service.start(CollectionService.parseRequest(body)),
        current: () => service.status(),
      },
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeBuild();
    service?.close();
    await store?.close();
    await endpoint?.close();
    dir.remove();
  });

  it('starts a collection, shows its progress, then the new run', async () => {
    const { context, page, watch } = await newWatchedPage(browser, server.url);
    await page.goto('/');
    await expect.poll(() => page.locator('.status-text').textContent()).toContain('No collection or import has run yet');
    const button = page.getByRole('button', { name: 'Refresh now' });
    await button.waitFor();
    await button.click();
    await expect.poll(() => page.locator('.status-progress').textContent(), { timeout: 20_000 }).toMatch(/Refreshing…/);
    expect(await button.isDisabled()).toBe(true);
    await screenshot(page, '12-refresh-progress');
    await expect.poll(() => page.locator('.status-progress').textContent(), { timeout: 60_000 }).toMatch(/Refresh (finished|succeeded)/);
    await expect.poll(() => page.locator('.status-text').textContent()).toMatch(/succeeded/);
    expect(await button.isDisabled()).toBe(false);
    expect((await store.runs()).length).toBe(1);
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    await context.close();
  });
});
