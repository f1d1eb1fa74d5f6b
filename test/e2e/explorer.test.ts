// The explorer end to end: Vite build → real server (startServer) on the demo environment →
// Debian's Chromium. Each test drives the UI as a user would and checks what the page shows.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explorerE2E, untilDrawn } from '../support/e2e.ts';
import { chromiumAvailable, DEMO, demoTimes, idOf, newWatchedPage, resourcesInView, screenshot } from './harness.ts';

const available = chromiumAvailable();
const KEY = (type: string, id: string) => `${DEMO.accountId}|${DEMO.region}|${type}|${id}`;
const INSTANCE = KEY('AWS::EC2::Instance', DEMO.instanceId);

describe.skipIf(!available)('explorer in headless Chromium against the real server', { timeout: 90_000 }, () => {
  // After each test, also: nothing left the machine (every request went to our server).
  const e2e = explorerE2E({ ownRequestsOnly: true });
  let page: Page;

  async function openPage(path = '/'): Promise<void> {
    page = await e2e.open(path);
  }

  /** Waits until the graph for the current state is loaded, drawn and its panel rendered. */
  const drawn = () => untilDrawn(page);

  async function inViewIds(): Promise<string[]> {
    return (await resourcesInView(page)).map((r) => idOf(r.key)).sort();
  }

  it('searches an instance and shows its network interface, volumes, security groups, subnet and VPC', async () => {
    await openPage('/');
    await expect.poll(() => page.locator('.message').textContent()).toContain('Find a resource');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^search-/);
    await page.keyboard.type(DEMO.instanceName);
    // Answers to the shorter prefixes typed on the way may arrive first (the instance is among those of
    // "de" already); wait for the answer to the whole name, whose best hit is the instance.
    await expect.poll(() => page.getByRole('option').first().textContent()).toContain(DEMO.instanceId);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]r=/);
    await drawn();
    expect(new URL(page.url()).searchParams.get('r')).toBe(INSTANCE);
    const ids = await inViewIds();
    for (const id of [
      DEMO.networkInterfaceId,
      DEMO.rootVolumeId,
      DEMO.dataVolumeId,
      DEMO.securityGroupId,
      DEMO.appSecurityGroupId,
      DEMO.publicSubnetId,
      DEMO.vpcId,
    ])
      expect(ids, id).toContain(id);
    expect(ids).not.toContain(DEMO.deletedVolumeId);
    // The details panel shows the instance.
    await page.getByRole('tab', { name: 'Details' }).click();
    await expect.poll(() => page.locator('.details-title').textContent()).toBe(DEMO.instanceName);
    expect(await page.locator('.props').textContent()).toContain(DEMO.instanceId);
    expect(await page.locator('.rel-name').allTextContents()).toContain('"Is attached to Volume"');
    await screenshot(page, '01-instance-neighbourhood');
    // The search was remembered.
    await page.locator('.search-input').first().fill('');
    await page.locator('.search-input').first().focus();
    await expect.poll(() => page.getByRole('option').filter({ hasText: DEMO.instanceName }).count()).toBeGreaterThan(0);
  });

  it('expands and collapses a node by double-clicking it', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}&view=hops&group=0`);
    await drawn();
    const before = await inViewIds();
    const subnetKey = KEY('AWS::EC2::Subnet', DEMO.publicSubnetId);
    // Select the subnet from the list (the view centres on it), then double-click a part of it that no other
    // resource covers (a force layout may draw two resources overlapping).
    const dblclickSubnet = async () => {
      await page.locator(`ul.in-view > li[data-key="${subnetKey}"] button.link-button`).click();
      const box = (await page.locator('#cy').boundingBox())!;
      const at = await page.evaluate((key) => {
        const cy = (document.getElementById('cy') as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
        const it = cy.getElementById(key).renderedBoundingBox({ includeLabels: false });
        const others = cy
          .nodes()
          .filter((n) => n.id() !== key)
          .map((n) => n.renderedBoundingBox({ includeLabels: true }));
        for (let fy = 0.5; fy > 0; fy -= 0.1)
          for (const fx of [0.5, 0.3, 0.7, 0.15, 0.85]) {
            for (const y of [it.y1 + it.h * fy, it.y1 + it.h * (1 - fy)]) {
              const x = it.x1 + it.w * fx;
              if (!others.some((o) => x >= o.x1 && x <= o.x2 && y >= o.y1 && y <= o.y2)) return { x, y };
            }
          }
        return undefined;
      }, subnetKey);
      expect(at, 'some part of the subnet not covered by another resource').toBeDefined();
      await page.mouse.dblclick(box.x + at!.x, box.y + at!.y);
    };
    await dblclickSubnet();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('x')).toEqual([subnetKey]);
    await drawn();
    const after = await inViewIds();
    expect(after.length).toBeGreaterThan(before.length);
    for (const id of before) expect(after).toContain(id);
    await screenshot(page, '02-expanded-subnet');
    // Double-click again: collapsed back to the instance's neighbourhood.
    await dblclickSubnet();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('x')).toEqual([]);
    await drawn();
    expect(await inViewIds()).toEqual(before);
  });

  it('opens the history of a security group and shows a real diff, then the graph as of that version', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}`);
    await drawn();
    const sgKey = KEY('AWS::EC2::SecurityGroup', DEMO.securityGroupId);
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    await page.locator(`ul.in-view > li[data-key="${sgKey}"] button.link-button`).click();
    await page.getByRole('tab', { name: 'History' }).click();
    const version = page.locator(`li.version[data-time="${demoTimes.securityGroupRuleChanged}"]`);
    await version.waitFor();
    const text = (await version.textContent()) ?? '';
    expect(text).toMatch(/configuration change/);
    expect(text).toContain('ipPermissions');
    // Who did it, from the demo's CloudTrail log (SPEC A2).
    expect(text).toContain(
      `Changed by: arn:aws:sts::${DEMO.accountId}:assumed-role/NetworkAdmin/alice@example.com (RevokeSecurityGroupIngress`,
    );
    // Old and new values, side by side.
    expect(await version.locator('.change-values del').count()).toBeGreaterThan(0);
    expect(await version.locator('.change-values ins').count()).toBeGreaterThan(0);
    const tagVersion = page.locator(`li.version[data-time="${demoTimes.securityGroupTagChanged}"]`);
    expect(await tagVersion.locator('.change-group h4').allTextContents()).toContain('Tags');
    await screenshot(page, '03-history');
    await version.getByRole('button', { name: /2026-03-05 10:15:00 UTC/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe(demoTimes.securityGroupRuleChanged);
    await drawn();
    expect(await page.locator('.notice-bar').textContent()).toContain('as of 2026-03-05 10:15:00 UTC');
    expect(await page.locator('.as-of-readout').textContent()).toBe('2026-03-05 10:15:00 UTC');
  });

  it('brings a deleted volume back when the time slider moves before its deletion', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}`);
    await drawn();
    expect(await inViewIds()).not.toContain(DEMO.deletedVolumeId);
    const slider = page.locator('#as-of');
    const min = Date.parse((await slider.getAttribute('data-min'))!);
    const max = Date.parse((await slider.getAttribute('data-max'))!);
    const target = Date.parse(demoTimes.volumeAttached);
    expect(target).toBeGreaterThan(min);
    expect(target).toBeLessThan(max);
    await slider.fill(String(Math.round(((target - min) / (max - min)) * 1000)));
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).not.toBeNull();
    await drawn();
    const at = new URL(page.url()).searchParams.get('at')!;
    // Within one slider step of the moment chosen, and before the detachment.
    expect(Math.abs(Date.parse(at) - target)).toBeLessThan((max - min) / 1000 + 1000);
    expect(at < demoTimes.volumeDetached).toBe(true);
    await expect.poll(inViewIds).toContain(DEMO.deletedVolumeId);
    await screenshot(page, '04-time-slider-volume-back');
    // "Now" takes it away again.
    await page.getByRole('button', { name: 'Now' }).click();
    await drawn();
    await expect.poll(inViewIds).not.toContain(DEMO.deletedVolumeId);
  });

  it('compares two times and colours what was removed and changed', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}`);
    await drawn();
    await page.getByLabel('Compare two times').check();
    // The pickers are datetime-local in UTC (seconds shown).
    await page.locator('#compare-from').fill(demoTimes.volumeAttached.slice(0, 19));
    await page.locator('#compare-to').fill(demoTimes.afterVolumeDeleted.slice(0, 19));
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe(demoTimes.volumeAttached);
    await drawn();
    const items = await resourcesInView(page);
    const volume = items.find((i) => idOf(i.key) === DEMO.deletedVolumeId);
    expect(volume?.mark).toBe('removed');
    // The instance itself changed (its volume was detached) between the two times.
    expect(items.find((i) => i.key === INSTANCE)?.mark).toBe('changed');
    const unmarked = items.filter((i) => !i.mark).map((i) => idOf(i.key));
    expect(unmarked).toContain(DEMO.vpcId);
    expect(await page.locator('.legend').textContent()).toMatch(/Removed \(\d+\)/);
    await screenshot(page, '05-compare');
  });

  it('exports PNG and draw.io files that are what they claim', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}&panel=export`);
    await drawn();
    await page.getByRole('tab', { name: 'Export' }).click();
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#export-png').click()]);
    const pngBytes = readFileSync(await png.path());
    expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngBytes.length).toBeGreaterThan(5000);

    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const svgText = readFileSync(await svg.path(), 'utf8');
    expect(svgText).toContain('<svg');
    expect(svgText).toContain(DEMO.instanceName);

    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
    const exported = JSON.parse(readFileSync(await json.path(), 'utf8')) as unknown;
    expect(JSON.stringify(exported)).toContain(INSTANCE);
    expect(JSON.stringify(exported)).toMatch(/sha-?256/i);

    const [drawio] = await Promise.all([page.waitForEvent('download'), page.locator('#export-drawio').click()]);
    expect(drawio.suggestedFilename()).toMatch(/\.drawio$/);
    const xml = readFileSync(await drawio.path(), 'utf8');
    // Parse it in the browser's XML parser and walk from the instance up through its containers.
    const chain = await page.evaluate(
      ({ xml, key }) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        if (doc.getElementsByTagName('parsererror').length) return { error: 'not well-formed' };
        const objects = new Map<string, Element>();
        for (const o of Array.from(doc.getElementsByTagName('object'))) objects.set(o.getAttribute('id') ?? '', o);
        const start = Array.from(objects.values()).find((o) => o.getAttribute('key') === key);
        const labels: string[] = [];
        let cell = start?.getElementsByTagName('mxCell')[0];
        while (cell) {
          const parent = objects.get(cell.getAttribute('parent') ?? '');
          if (!parent) break;
          labels.push(parent.getAttribute('label') ?? '');
          cell = parent.getElementsByTagName('mxCell')[0];
        }
        return { root: doc.documentElement.nodeName, found: start !== undefined, labels };
      },
      { xml, key: INSTANCE },
    );
    expect(chain).toMatchObject({ root: 'mxfile', found: true });
    const joined = (chain as { labels: string[] }).labels.join(' | ');
    expect(joined).toContain(DEMO.publicSubnetId);
    expect(joined).toContain(DEMO.vpcId);
    expect(joined).toContain(DEMO.accountId);
    expect(await page.locator('.export-status').textContent()).toMatch(/Saved .*\.drawio/);
  });

  it('reproduces the same view from a shared URL', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}`);
    await drawn();
    // An instance opens in Attachments; hop depth is the other way to choose what is shown.
    await page.locator('#view').selectOption('hops');
    await drawn();
    await page.locator('#depth').selectOption('2');
    await drawn();
    await page.locator('#layout').selectOption('grid');
    await drawn();
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    await page.locator('fieldset.facet input[data-value="AWS::EC2::SecurityGroup"]').uncheck();
    await drawn();
    await page.locator('#grouping').uncheck();
    await drawn();
    // Hide one node by hand.
    const eip = (await resourcesInView(page)).find((r) => r.key.includes('|AWS::EC2::EIP|'))!;
    await page.locator(`ul.in-view > li[data-key="${eip.key}"]`).getByRole('button', { name: /^Hide/ }).click();
    await drawn();
    expect(new URL(page.url()).searchParams.getAll('xn')).toEqual([eip.key]);
    const shared = page.url();
    const ids = await inViewIds();
    expect(ids.some((id) => id.startsWith('sg-'))).toBe(false);
    expect(ids).not.toContain(idOf(eip.key));
    await screenshot(page, '06-before-share');

    const other = await newWatchedPage(e2e.browser, e2e.server.url);
    await other.page.goto(shared);
    const otherPage = other.page;
    await otherPage.waitForFunction(
      () => document.querySelector('.canvas-wrap')?.getAttribute('aria-busy') === 'false',
    );
    expect(await otherPage.locator('#view').inputValue()).toBe('hops');
    expect(await otherPage.locator('#depth').inputValue()).toBe('2');
    expect(await otherPage.locator('#layout').inputValue()).toBe('grid');
    expect(await otherPage.locator('#grouping').isChecked()).toBe(false);
    const page0 = page;
    page = otherPage;
    expect(await inViewIds()).toEqual(ids);
    await screenshot(page, '07-from-shared-url');
    expect(other.watch.errors).toEqual([]);
    expect(other.watch.cspViolations).toEqual([]);
    page = page0;
    await other.context.close();
    // Reloading the original keeps it too.
    await page.reload();
    await drawn();
    expect(await inViewIds()).toEqual(ids);
  });

  it('renders hostile tags and names as text and runs nothing', async () => {
    await openPage('/');
    await page.keyboard.press('/');
    await page.keyboard.type(DEMO.hostileInstanceId);
    // Suggestions follow the typing; wait for the ones for the whole id, not a stale prefix's.
    const firstOption = async () =>
      (await page
        .getByRole('option')
        .first()
        .textContent({ timeout: 5000 })
        .catch(() => '')) ?? '';
    await expect.poll(firstOption, { timeout: 15_000 }).toContain(DEMO.hostileInstanceId);
    expect(await firstOption()).toContain(`O'Brien's "quoted"`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]r=/);
    await drawn();
    await page.getByRole('tab', { name: 'Details' }).click();
    await page.locator('table.tags').waitFor();
    const cells = await page.locator('table.tags td').allTextContents();
    for (const [k, v] of Object.entries(DEMO.hostileTags)) {
      expect(cells).toContain(k);
      expect(cells).toContain(v);
    }
    expect(await page.locator('.details-title').textContent()).toBe(DEMO.hostileTags['Name']);
    // Only our own images exist (icons from /assets and nothing with src=x); no script or bold element came from data.
    const imgs = await page.evaluate(() => Array.from(document.images).map((i) => i.getAttribute('src') ?? ''));
    expect(imgs.length).toBeGreaterThan(0);
    for (const src of imgs) expect(src).toMatch(/^\/assets\/[\w-]+\.svg$/);
    expect(await page.locator('#panel script, #panel b, .search-list b').count()).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(1);
    // Also in the history and the configuration tree.
    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('li.version').first().waitFor();
    expect(
      await page.evaluate(() => Array.from(document.images).filter((i) => i.getAttribute('src') === 'x').length),
    ).toBe(0);
    await page.getByRole('tab', { name: 'Details' }).click();
    await page.locator('table.tags').waitFor();
    await screenshot(page, '08-hostile-tags-as-text');
  });

  it('finds how two resources are connected (path A → B)', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}`);
    await drawn();
    await page.getByRole('tab', { name: 'Path' }).click();
    const input = page.getByRole('combobox', { name: 'Path to' });
    await input.fill(DEMO.internetGatewayId);
    await page.getByRole('option').filter({ hasText: DEMO.internetGatewayId }).first().waitFor();
    await input.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('path')).toContain(DEMO.internetGatewayId);
    await drawn();
    const steps = page.locator('ol.path-steps > li');
    await steps.first().waitFor();
    const text = (await steps.allTextContents()).join(' / ');
    expect(text).toContain(DEMO.instanceName);
    expect(text).toContain(DEMO.internetGatewayId);
    expect(await inViewIds()).toContain(DEMO.internetGatewayId);
    await screenshot(page, '09-path');
  });

  it('asks before drawing a large graph, and can draw it with the WebGL renderer', async () => {
    await openPage('/');
    await page.evaluate(() =>
      localStorage.setItem('configgraph.settings', JSON.stringify({ maxElements: 50, webgl: false })),
    );
    // Without boxes: with them, the links to a node's own box are hidden (SPEC G9) and depth 2 stays under 50.
    await page.goto(`/?r=${encodeURIComponent(INSTANCE)}&view=hops&depth=2&group=0`);
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Draw \d+ elements\?/);
    await dialog.getByRole('button', { name: "Don't draw" }).click();
    await expect.poll(() => page.locator('.message').textContent()).toContain('Not drawn');
    await page.reload();
    // This Chromium has no GPU (--disable-gpu: SwiftShader): WebGL is offered as what it is here, slower.
    const webglButton = page.getByRole('dialog').getByRole('button', { name: 'Draw with WebGL' });
    expect(await webglButton.textContent()).toContain('slower here');
    await webglButton.click();
    await drawn();
    // Depth 2 reaches well beyond the 10 resources of depth 1.
    expect((await inViewIds()).length).toBeGreaterThan(12);
    expect(await page.locator('#webgl').isChecked()).toBe(true);
    const setting = await page.locator('label.check', { has: page.locator('#webgl') }).textContent();
    expect(setting).toContain('software rendering, slower than the default');
    expect(setting).not.toContain('faster');
    await screenshot(page, '10-large-webgl');
  });

  it('redacts names in exported pictures and data files when asked', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}&panel=export`);
    await drawn();
    await page.getByRole('tab', { name: 'Export' }).click();
    await page.getByLabel('Redact names, tags and ids').check();
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const text = readFileSync(await svg.path(), 'utf8');
    expect(text).toContain('EC2 Instance 1');
    expect(text).not.toContain(DEMO.instanceName);
    expect(text).not.toContain(DEMO.instanceId);
    expect(text).not.toContain(DEMO.accountId);
    // Data exports are redacted by the server: no id, name or account in the draw.io file either.
    const [drawio] = await Promise.all([page.waitForEvent('download'), page.locator('#export-drawio').click()]);
    const xml = readFileSync(await drawio.path(), 'utf8');
    expect(xml).toContain('<mxfile');
    for (const secret of [DEMO.instanceId, DEMO.instanceName, DEMO.accountId, DEMO.vpcId])
      expect(xml).not.toContain(secret);
    // The view itself is back to its real labels.
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    expect(await page.locator('ul.in-view').textContent()).toContain(DEMO.instanceName);
  });

  it('says what to do when a reference matches nothing', async () => {
    await openPage('/?r=i-00000000000000000');
    await expect.poll(() => page.locator('.message').textContent()).toContain('Nothing matches that reference');
    expect(await page.locator('.message').getAttribute('class')).toContain('message-error');
    // The browser itself logs the 404 response; that one line is expected, nothing else.
    expect(e2e.watch.errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    e2e.watch.errors.length = 0;
    await screenshot(page, '11-not-found');
  });

  it('gives every control an accessible name and a keyboard path through the page', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}`);
    await drawn();
    // Tab order starts at the skip link, then the search box.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    for (const panel of ['Details', 'History', 'Filters & list', 'Path', 'Export']) {
      await page.getByRole('tab', { name: panel }).click();
      await page.waitForTimeout(300);
      const unnamed = await page.evaluate(() => {
        const controls = Array.from(
          document.querySelectorAll<HTMLElement>(
            'button, input, select, textarea, a[href], [role=tab], [role=combobox]',
          ),
        );
        return controls
          .filter((el) => el.offsetParent !== null)
          .filter((el) => {
            const labelled =
              (el as HTMLInputElement).labels?.length ||
              el.getAttribute('aria-label') ||
              el.getAttribute('aria-labelledby') ||
              el.getAttribute('title');
            const text = el.tagName === 'INPUT' || el.tagName === 'SELECT' ? '' : (el.textContent ?? '').trim();
            return !labelled && !text;
          })
          .map((el) => el.outerHTML.slice(0, 120));
      });
      expect(unnamed, panel).toEqual([]);
    }
    // Arrow keys move between the side panel's tabs.
    await page.getByRole('tab', { name: 'Details' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('History');
    expect(new URL(page.url()).searchParams.get('panel')).toBe('history');
  });

  it('G3 G9: the demo (recorded from both ends) draws its VPC outside its subnets; screenshots at 1600×1000', async () => {
    for (const [name, key] of [
      ['demo-instance', INSTANCE],
      ['demo-vpc', KEY('AWS::EC2::VPC', DEMO.vpcId)],
    ] as const) {
      await openPage(`/?r=${encodeURIComponent(key)}`);
      await page.setViewportSize({ width: 1600, height: 1000 });
      await page.reload();
      await drawn();
      const summary = page.locator('#graph-summary');
      expect(Number(await summary.getAttribute('data-groups'))).toBeGreaterThanOrEqual(5);
      // Config's links from a resource to its own subnet or VPC are counted, not drawn.
      expect(await page.locator('.enclosing-note').textContent()).toMatch(
        /[1-9]\d* containment links? to their own box hidden/,
      );
      await screenshot(page, name);
    }
  });

  it('keeps the positions of what is drawn when the graph grows', async () => {
    await openPage(`/?r=${encodeURIComponent(INSTANCE)}&view=hops`);
    await drawn();
    // Positions are read from the SVG export, which serialises what Cytoscape drew.
    const positions = async (): Promise<Map<string, string>> => {
      await page.getByRole('tab', { name: 'Export' }).click();
      const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
      const text = readFileSync(await svg.path(), 'utf8');
      const out = new Map<string, string>();
      for (const m of text.matchAll(
        /<g class="resource"><rect x="([-\d.]+)" y="([-\d.]+)"[^>]*\/>(?:<rect class="non-compliant"[^>]*\/>)?<text[^>]*>([^<]*)<\/text><text[^>]*>([^<]*)<\/text>/g,
      ))
        out.set(`${m[3]} ${m[4]}`, `${m[1]},${m[2]}`);
      return out;
    };
    const before = await positions();
    // The instance and its 8 neighbours.
    expect(before.size).toBe(9);
    const subnetKey = KEY('AWS::EC2::Subnet', DEMO.publicSubnetId);
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    await page
      .locator(`ul.in-view > li[data-key="${subnetKey}"]`)
      .getByRole('button', { name: /^Expand/ })
      .click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('x')).toEqual([subnetKey]);
    await drawn();
    const after = await positions();
    await screenshot(page, '13-grown-incrementally');
    expect(after.size).toBeGreaterThan(before.size);
    const moved = [...before].filter(([label, pos]) => after.get(label) !== pos).map(([label]) => label);
    expect(moved).toEqual([]);
  });
});
