// Honest time in the explorer (SPEC T1, T3): a deleted resource is found by its last known name, marked
// deleted, and opens at the last moment it existed; a resource Config recorded after its creation is drawn
// with its own mark and says when it was first recorded. Real server on the demo, Debian's Chromium.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explorerE2E, untilDrawn } from '../support/e2e.ts';
import { chromiumAvailable, DEMO, demoTimes, resourcesInView, screenshot } from './harness.ts';

const available = chromiumAvailable();
const KEY = (type: string, id: string) => `${DEMO.accountId}|${DEMO.region}|${type}|${id}`;
const VOLUME = KEY('AWS::EC2::Volume', DEMO.deletedVolumeId);

describe.skipIf(!available)('time in the explorer (headless Chromium, real server)', { timeout: 90_000 }, () => {
  const e2e = explorerE2E();
  let page: Page;

  async function openPage(path: string): Promise<void> {
    page = await e2e.open(path);
  }

  const drawn = () => untilDrawn(page);

  it('T3: a deleted resource found by name is marked deleted and opens at its last moment', async () => {
    // Its name as the store keeps it after the deletion (the deletion itself carries none).
    const { node } = await e2e.server.store.resource(DEMO.deletedVolumeId);
    const name = node.resourceName!;
    const last = node.lastExistedAt!;
    expect(name).toBeTruthy();
    expect(last).toBe(new Date(Date.parse(demoTimes.volumeDeleted) - 1).toISOString());

    await openPage('/');
    await page.locator('.search-input').first().fill(name);
    const option = page.locator('.search-option').filter({ hasText: DEMO.deletedVolumeId });
    await option.first().waitFor();
    // Marked in text, not by colour alone, with when it was deleted.
    expect(await option.first().locator('.option-badge').textContent()).toBe('deleted');
    expect(await option.first().textContent()).toContain('deleted 2026-03-09 08:30:00 UTC');
    await screenshot(page, 'time-01-deleted-suggestion');
    await option.first().dispatchEvent('pointerdown');

    await page.waitForURL(/[?&]r=/);
    await drawn();
    const params = new URL(page.url()).searchParams;
    expect(params.get('r')).toBe(VOLUME);
    expect(Date.parse(params.get('at') ?? '')).toBe(Date.parse(last));
    // At that moment it exists: drawn, not as deleted.
    const inView = await resourcesInView(page);
    expect(inView.find((r) => r.key === VOLUME)?.status).not.toMatch(/Deleted/);
    await page.getByRole('tab', { name: 'Details' }).click();
    await expect.poll(() => page.locator('.details-title').textContent()).toBe(name);
    expect(await page.locator('.details .notice').count()).toBe(0);
    await screenshot(page, 'time-02-deleted-at-last-moment');

    // Now (latest): the details say when it was deleted and last seen, and lead back to that moment.
    await openPage(`/?r=${encodeURIComponent(VOLUME)}`);
    await drawn();
    await page.getByRole('tab', { name: 'Details' }).click();
    const notice = page.locator('.notice-deleted');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      'Deleted at 2026-03-09 08:30:00 UTC, last seen 2026-03-09 08:29:59 UTC',
    );
    expect(await page.locator('.details-title').textContent()).toBe(name);
    await screenshot(page, 'time-03-deleted-details');
    await notice.getByRole('button', { name: 'Show it as of its last moment' }).click();
    await expect.poll(() => Date.parse(new URL(page.url()).searchParams.get('at') ?? '')).toBe(Date.parse(last));
  });

  it('T1: a resource created before Config first recorded it is drawn with its mark and says when it was first recorded', async () => {
    // The instance created midway: Config captures it at once and its root volume two seconds later.
    const instance = KEY('AWS::EC2::Instance', DEMO.createdInstanceId);
    const at = new Date(Date.parse(demoTimes.instanceCreated) + 1500).toISOString();
    const n = await e2e.server.store.neighborhood(instance, { at });
    const late = n.nodes.find((x) => x.beforeFirstRecord);
    expect(late, 'a neighbour first recorded after the instance').toBeDefined();
    await openPage(`/?r=${encodeURIComponent(instance)}&at=${encodeURIComponent(at)}`);
    await drawn();
    const inView = await resourcesInView(page);
    expect(inView.map((r) => r.key)).toContain(late!.key);
    await screenshot(page, 'time-04-first-recorded-later');
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    await page.locator(`ul.in-view > li[data-key="${late!.key}"] button.link-button`).click();
    await page.getByRole('tab', { name: 'Details' }).click();
    const notice = page.locator('.notice-first-recorded');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`First recorded at`);
    expect(await page.locator('.props').textContent()).toContain('First recorded');
    await screenshot(page, 'time-05-first-recorded-details');
  });
});
