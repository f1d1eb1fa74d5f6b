// "Refresh now" end to end: `configgraph serve` with its collector collecting, through the AWS SDK
// over HTTP, from the local endpoint that speaks the AWS Config protocol. The banner must
// show progress while it runs and the new run when it is done.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectingServer, type CollectingServer } from '../support/collecting-server.ts';
import { buildClient, chromiumAvailable, launchBrowser, newWatchedPage, removeBuild, screenshot } from './harness.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('refresh now, with a collector', { timeout: 90_000 }, () => {
  let running: CollectingServer;
  let browser: Browser;

  beforeAll(async () => {
    const clientDir = await buildClient();
    // Latency makes the collection last long enough for the banner to show it running.
    running = await startCollectingServer(60, { clientDir });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    removeBuild();
  });

  it('starts a collection, shows its progress, then the new run', async () => {
    const { context, page, watch } = await newWatchedPage(browser, running.url);
    await page.goto('/');
    await expect
      .poll(() => page.locator('.status-text').textContent())
      .toContain('No collection or import has run yet');
    const button = page.getByRole('button', { name: 'Refresh now' });
    await button.waitFor();
    await button.click();
    await expect.poll(() => page.locator('.status-progress').textContent(), { timeout: 20_000 }).toMatch(/Refreshing…/);
    expect(await button.isDisabled()).toBe(true);
    await screenshot(page, '12-refresh-progress');
    await expect
      .poll(() => page.locator('.status-progress').textContent(), { timeout: 60_000 })
      .toMatch(/Refresh (finished|succeeded)/);
    await expect.poll(() => page.locator('.status-text').textContent()).toMatch(/succeeded/);
    expect(await button.isDisabled()).toBe(false);
    expect(await (await fetch(`${running.url}/api/runs`)).json()).toHaveLength(1);
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    await context.close();
  });
});
