// Compliance in the explorer, end to end in Chromium on the demo: the web security group that carol
// opened to SSH from anywhere carries the non-compliant mark while it was open (on the drawing, in the
// list and in its details), keeps it under "non-compliant only", loses it once dave closed the port,
// and its history names carol beside the transition. A screenshot goes to test/screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explorerE2E, untilDrawn } from '../support/e2e.ts';
import { chromiumAvailable, DEMO, demoTimes, resourcesInView, screenshot } from './harness.ts';

const available = chromiumAvailable();
const DEMO_KEY = (type: string, id: string) => `${DEMO.accountId}|${DEMO.region}|${type}|${id}`;
const INSTANCE = DEMO_KEY('AWS::EC2::Instance', DEMO.instanceId);
const SG = DEMO_KEY('AWS::EC2::SecurityGroup', DEMO.securityGroupId);
/** SSH open to the internet, already evaluated NON_COMPLIANT. */
const OPEN = demoTimes.sshOpen;

describe.skipIf(!available)('compliance in the explorer (Chromium, demo)', { timeout: 90_000 }, () => {
  const e2e = explorerE2E();
  let page: Page;

  async function open(query: Record<string, string>): Promise<void> {
    page = await e2e.open(`/?${new URLSearchParams({ r: INSTANCE, ...query }).toString()}`, {
      viewport: { width: 1600, height: 1000 },
    });
    await untilDrawn(page);
  }

  async function groupInList(): Promise<{ nonCompliant: string | null } | undefined> {
    await resourcesInView(page);
    const li = page.locator(`ul.in-view > li[data-key="${SG}"]`);
    if ((await li.count()) === 0) return undefined;
    return { nonCompliant: await li.getAttribute('data-non-compliant') };
  }

  it('marks the security group while SSH is open: border, label, list, details, legend; the filter keeps it', async () => {
    await open({ at: OPEN, sel: SG });
    expect(demoTimes.sshNonCompliantSince < OPEN && OPEN < demoTimes.sshClosed).toBe(true);
    expect(await groupInList()).toEqual({ nonCompliant: 'restricted-ssh' });
    // The details panel lists its rule results with status and since.
    await page.getByRole('tab', { name: 'Details' }).click();
    const rule = page.locator('.details .rule-result[data-rule="restricted-ssh"]');
    await rule.waitFor();
    expect(await rule.getAttribute('data-status')).toBe('NON_COMPLIANT');
    expect(await rule.textContent()).toContain('since');
    expect(await page.locator('.legend-non-compliant').textContent()).toMatch(/non-compliant.*\(\d+\)/);
    await screenshot(page, '30-compliance-ssh-open');

    // Non-compliant only, from the filters panel: it stays, and the link keeps it.
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    await page.locator('#non-compliant-only').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('nc') === '1');
    await page.waitForFunction(() => document.querySelector('.canvas-wrap')?.getAttribute('aria-busy') === 'false');
    const kept = await resourcesInView(page);
    expect(kept.map((r) => r.key)).toContain(SG);
    // Only the start resource and resources breaking a rule remain.
    const marked = await page.locator('ul.in-view > li[data-non-compliant]').count();
    expect(kept.length).toBeLessThanOrEqual(marked + 1);

    // The rule picker marks the group and names the rule on it.
    await page.locator('#rule-picker').selectOption('restricted-ssh');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('rule') === 'restricted-ssh');
    expect(await page.locator('.legend-breaks-rule').textContent()).toContain('restricted-ssh (1)');
  });

  it('after dave closed the port and Config re-evaluated, the mark is gone', async () => {
    await open({ at: demoTimes.afterSshClosed, sel: SG });
    expect(demoTimes.sshCompliantAgainSince < demoTimes.afterSshClosed).toBe(true);
    expect(await groupInList()).toEqual({ nonCompliant: null });
    await page.getByRole('tab', { name: 'Details' }).click();
    const rule = page.locator('.details .rule-result[data-rule="restricted-ssh"]');
    await rule.waitFor();
    expect(await rule.getAttribute('data-status')).toBe('COMPLIANT');
  });

  it('the history panel shows the transition and names carol', async () => {
    await open({ at: OPEN, sel: SG, panel: 'history' });
    const became = page.locator('.compliance-transition.became-non-compliant[data-rule="restricted-ssh"]');
    await became.first().waitFor();
    const text = (await became.first().textContent()) ?? '';
    expect(text).toContain('became non-compliant with restricted-ssh');
    expect(text).toContain('carol');
    expect(await page.locator('.compliance-transition').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('became compliant with restricted-ssh')]),
    );
  });
});
