// Views by purpose and the explorer's details, end to end in Chromium: on the demo, and on a world
// recorded from both ends as real Config records it (test/support/both-ends-world.ts plus the public
// RDK samples). Screenshots at 1600×1000 go to test/screenshots.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';
import { ACCOUNT, REGION } from '../support/ci-builder.ts';
import { bothEndsWorld } from '../support/both-ends-world.ts';
import { explorerE2E, untilDrawn } from '../support/e2e.ts';
import { fixtureItems } from '../support/fixtures.ts';
import { chromiumAvailable, DEMO, demoTimes, idOf, resourcesInView, screenshot } from './harness.ts';

const available = chromiumAvailable();
const DEMO_KEY = (type: string, id: string) => `${DEMO.accountId}|${DEMO.region}|${type}|${id}`;
const INSTANCE = DEMO_KEY('AWS::EC2::Instance', DEMO.instanceId);
const VPC = DEMO_KEY('AWS::EC2::VPC', DEMO.vpcId);
const REAL = (type: string, id: string) => `${ACCOUNT}|${REGION}|${type}|${id}`;

/** WCAG relative luminance and contrast ratio of two CSS rgb()/rgba() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe.skipIf(!available)('views by purpose and explorer details in Chromium', { timeout: 90_000 }, () => {
  // Dialogs and CSP violations are checked after each test; page errors are not, as this file never did.
  const e2e = explorerE2E({ checkErrors: false });
  let realStore: GraphStore;
  let real: RunningServer;
  let page: Page;

  // A second server, on the real-shaped world, serving the same build.
  beforeAll(async () => {
    realStore = openSqliteStore(':memory:');
    const { items, snapshots } = await fixtureItems();
    await realStore.ingest({ source: 'fixtures', scope: 'rdk', items, snapshots });
    await realStore.ingest({ source: 'test', scope: 'both-ends', items: bothEndsWorld() });
    real = await startServer({
      store: realStore,
      logger: createLogger({ level: 'warn' }),
      clientDir: e2e.clientDir,
      storeLabel: 'sqlite::memory: (both ends)',
      port: 0,
    });
  }, 180_000);

  afterAll(async () => {
    await real?.close();
    await realStore?.close();
  });

  async function openPage(base: string, path: string, size = { width: 1600, height: 1000 }): Promise<void> {
    page = await e2e.open(path, { base, viewport: size });
    await drawn();
  }

  const drawn = () => untilDrawn(page);

  async function inView(): Promise<string[]> {
    return (await resourcesInView(page)).map((r) => r.key);
  }

  it('W1: the demo instance opens in Attachments, reaching its subnet’s route table and the internet gateway', async () => {
    await openPage(e2e.server.url, `/?r=${encodeURIComponent(INSTANCE)}`);
    expect(await page.locator('#view').inputValue()).toBe('attachments');
    expect(await page.locator('#depth').isDisabled()).toBe(true);
    const keys = await inView();
    expect(keys.some((k) => k.includes('|AWS::EC2::RouteTable|'))).toBe(true);
    for (const id of [DEMO.internetGatewayId, DEMO.networkInterfaceId, DEMO.publicSubnetId, DEMO.securityGroupId])
      expect(keys.map(idOf)).toContain(id);
    expect(keys.map(idOf)).not.toContain(DEMO.privateSubnetId);
    await page.getByRole('tab', { name: 'Details' }).click();
    await screenshot(page, '20-instance-attachments');
  });

  it('W2: the demo VPC opens in Network with its subnets and counted members that open on click', async () => {
    await openPage(e2e.server.url, `/?r=${encodeURIComponent(VPC)}`);
    expect(await page.locator('#view').inputValue()).toBe('network');
    const items = await resourcesInView(page);
    const ids = items.map((i) => idOf(i.key));
    expect(ids).toContain(DEMO.publicSubnetId);
    expect(ids).toContain(DEMO.privateSubnetId);
    expect(ids).not.toContain(DEMO.instanceId);
    const folds = items.filter((i) => i.key.startsWith('fold:'));
    expect(folds.length).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Details' }).click();
    await screenshot(page, '21-vpc-network');
    // Open the folded instances of the public subnet from the accessible list (the same action as a click on the node).
    const fold = folds.find((f) => f.key.includes(DEMO.publicSubnetId) && f.key.endsWith('AWS::EC2::Instance'))!;
    expect(fold).toBeDefined();
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    await page.locator(`ul.in-view > li[data-key="${fold.key}"] button`).first().click();
    await drawn();
    expect(new URL(page.url()).searchParams.getAll('fold')).toEqual([fold.key]);
    const after = (await inView()).map(idOf);
    expect(after).toContain(DEMO.instanceId);
    expect((await inView()).filter((k) => k === fold.key)).toEqual([]);
  });

  it('W1–W3 on data recorded from both ends: NAT and internet gateways reached, members counted, the cut hub named', async () => {
    await openPage(real.url, `/?r=${encodeURIComponent(REAL('AWS::EC2::Instance', 'i-1'))}`);
    // No compliance items in this world: the legend says nothing of non-compliance.
    expect(await page.locator('.legend').count()).toBe(1);
    expect(await page.locator('.legend-non-compliant').count()).toBe(0);
    const ids = (await inView()).map(idOf);
    for (const id of ['subnet-1', 'rtb-1', 'nat-1', 'igw-1', 'acl-1', 'eni-1', 'eipalloc-1']) expect(ids).toContain(id);
    expect(ids.some((id) => id.startsWith('i-b'))).toBe(false);

    await page.goto(`/?r=${encodeURIComponent(REAL('AWS::EC2::VPC', 'vpc-1'))}`);
    await drawn();
    const items = await resourcesInView(page);
    expect(items.map((i) => idOf(i.key))).toEqual(expect.arrayContaining(['subnet-1', 'subnet-2', 'rtb-2', 'igw-1']));
    expect(items.filter((i) => idOf(i.key).startsWith('i-b'))).toEqual([]);
    const label = await page
      .locator(`ul.in-view > li[data-key^="fold:${REAL('AWS::EC2::Subnet', 'subnet-2')}"]`)
      .textContent();
    expect(label).toContain('45 instances');
    // rtb-2 routes to 45 peerings: it is a hub, and the notice names it with the count.
    await expect.poll(() => page.locator('.notice-bar').textContent()).toMatch(/rtb-2.*was cut: 45 of its neighbours/);
    await screenshot(page, '22-both-ends-network');

    // The public RDK VPC (recorded from both ends by real Config): subnets, not a VPC inside a subnet's members.
    await page.goto(`/?r=vpc-0990dc6d`);
    await drawn();
    const rdk = (await inView()).map(idOf);
    expect(rdk).toEqual(expect.arrayContaining(['subnet-29428871', 'acl-b48fd1d0', 'igw-a5f227c1', 'rtb-50b9b034']));
  });

  it('names a cut hub in the hop-depth view too', async () => {
    await openPage(real.url, `/?r=${encodeURIComponent(REAL('AWS::EC2::Instance', 'i-b00'))}&view=hops&depth=2`);
    await expect.poll(() => page.locator('.notice-bar').textContent()).toMatch(/vpc-1 \(EC2 VPC\) was cut: \d+ of its/);
  });

  it('compare: "to" defaults to the latest capture, a list of what changed is clickable, and nothing covers the graph', async () => {
    await openPage(e2e.server.url, `/?r=${encodeURIComponent(INSTANCE)}`);
    await page.getByLabel('Compare two times').check();
    const to = await page.locator('#compare-to').inputValue();
    // The latest capture the view knows, not the wall clock (the demo ends on a fixed day).
    expect(`${to}Z` <= demoTimes.end.replace('.000Z', 'Z')).toBe(true);
    expect(await page.locator('#compare-to').getAttribute('type')).toBe('datetime-local');
    expect(await page.locator('.time-bar').textContent()).toContain('UTC');
    await page.locator('#compare-from').fill(demoTimes.volumeAttached.slice(0, 19));
    await page.locator('#compare-to').fill(demoTimes.afterVolumeDeleted.slice(0, 19));
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await drawn();
    const summary = page.locator('#change-summary');
    await summary.waitFor();
    const removed = summary.locator(
      `ul[data-mark="removed"] button[data-kind="resource"][data-key$="|${DEMO.deletedVolumeId}"]`,
    );
    expect(await removed.count()).toBeGreaterThan(0);
    expect(await summary.locator('ul[data-mark="removed"] button[data-kind="connection"]').count()).toBeGreaterThan(0);
    await removed.first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sel')).toContain(DEMO.deletedVolumeId);
    // The notices sit above the graph: their box and the graph's do not overlap.
    const notice = await page.locator('.notice-bar').boundingBox();
    const graph = await page.locator('#cy').boundingBox();
    expect(notice && graph && notice.y + notice.height <= graph.y + 0.5).toBe(true);
    await screenshot(page, '23-compare-list');

    // Both ends can also be picked from the History list.
    await page.getByRole('tab', { name: 'History' }).click();
    const versions = page.locator('li.version');
    await versions.first().waitFor();
    await versions.last().getByRole('button', { name: 'Compare from' }).click();
    await drawn();
    const url = new URL(page.url());
    expect(url.searchParams.get('from')).toBe(await versions.last().getAttribute('data-time'));
  });

  it('the selected history version is readable (WCAG AA, 4.5:1), also under the pointer', async () => {
    await openPage(e2e.server.url, `/?r=${DEMO.securityGroupId}&view=hops&panel=history`);
    const button = page.locator('li.version .version-button').nth(1);
    await button.click();
    await drawn();
    const pressed = page.locator('li.version .version-button[aria-pressed="true"]');
    await pressed.hover();
    const { color, background } = await pressed.evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, background: s.backgroundColor };
    });
    expect(contrast(color, background)).toBeGreaterThanOrEqual(4.5);
  });

  it('a failed request keeps the view on screen, says what failed, and never says "succeeded"', async () => {
    await openPage(e2e.server.url, `/?r=${encodeURIComponent(INSTANCE)}`);
    const before = await inView();
    expect(before.length).toBeGreaterThan(5);
    // The server goes away: every API call fails from now on.
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.locator('.search-input').first().fill('demo-web');
    await expect.poll(() => page.locator('.status-banner').textContent()).toMatch(/failed/i);
    await page.locator('#view').selectOption('hops');
    await drawn();
    expect(await page.locator('.notice-bar').textContent()).toMatch(/Could not load/);
    expect(await page.locator('.status-banner').textContent()).not.toMatch(/succeeded/);
    expect(await inView()).toEqual(before);
    expect(await page.locator('.message').isHidden()).toBe(true);
    await screenshot(page, '24-failed-request-keeps-view');
  });
});
