// Readable views on data shaped like real AWS Config (relationships recorded from both ends): the public
// samples of account 264683526309 plus hand-built CIs (test/support/both-ends.ts), served by the real
// server and drawn in Chromium. What is drawn is read from #graph-summary and from the SVG export, which
// serialises what Cytoscape drew (SPEC G1–G10).
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';
import { bothEndsItems, REAL, realKey } from '../support/both-ends.ts';
import {
  buildClient,
  chromiumAvailable,
  launchBrowser,
  newWatchedPage,
  removeBuild,
  resourcesInView,
  screenshot,
  type PageWatch,
} from './harness.ts';

const available = chromiumAvailable();
const VPC = realKey('AWS::EC2::VPC', REAL.vpc);
const INSTANCE = realKey('AWS::EC2::Instance', REAL.instance);

interface Box {
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Drawn {
  groups: Box[];
  resources: Map<string, Box>;
  /** Each connection's caption: its lines as drawn, and joined by spaces (a twin's `A /` and `B`: `A / B`). */
  edges: { label: string; lines: string[]; mid: string }[];
  text: string;
}

describe.skipIf(!available)('readable views on both-ends data in headless Chromium', { timeout: 90_000 }, () => {
  let store: GraphStore;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    store = openSqliteStore(':memory:');
    await store.ingest({
      source: 'both-ends fixture',
      scope: 'test',
      items: bothEndsItems(),
      startedAt: '2016-11-02T00:00:00.000Z',
    });
    server = await startServer({
      store,
      logger: createLogger({ level: 'warn' }),
      clientDir: await buildClient(),
      storeLabel: 'sqlite::memory: (e2e both ends)',
      port: 0,
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    removeBuild();
  });

  afterEach(async () => {
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    await context?.close();
  });

  async function open(path: string, size = { width: 1280, height: 800 }, { webgl = false } = {}): Promise<void> {
    ({ context, page, watch } = await newWatchedPage(browser, server.url));
    await page.setViewportSize(size);
    if (webgl)
      await context.addInitScript(() =>
        localStorage.setItem('configgraph.settings', JSON.stringify({ maxElements: 600, webgl: true })),
      );
    await page.goto(path);
    await drawn();
  }

  async function drawn(): Promise<void> {
    await page.waitForFunction(
      () =>
        document.querySelector('.canvas-wrap')?.getAttribute('aria-busy') === 'false' &&
        Number(document.querySelector('#graph-summary')?.getAttribute('data-nodes')) > 0,
    );
  }

  async function summary(): Promise<{ nodes: number; edges: number; groups: number; text: string }> {
    const el = page.locator('#graph-summary');
    return {
      nodes: Number(await el.getAttribute('data-nodes')),
      edges: Number(await el.getAttribute('data-edges')),
      groups: Number(await el.getAttribute('data-groups')),
      text: (await el.textContent()) ?? '',
    };
  }

  /** What Cytoscape drew, read from the SVG export. */
  async function exported(): Promise<Drawn> {
    await page.getByRole('tab', { name: 'Export' }).click();
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const text = readFileSync(await svg.path(), 'utf8');
    const num = (s: string | undefined) => Number(s);
    const groups = [
      ...text.matchAll(
        /<g class="group"><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*\/><text[^>]*>([^<]*)<\/text>/g,
      ),
    ].map((m) => ({ x: num(m[1]), y: num(m[2]), w: num(m[3]), h: num(m[4]), label: m[5] ?? '' }));
    const resources = new Map<string, Box>();
    for (const m of text.matchAll(
      /<g class="resource"><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*\/>((?:<text[^>]*>[^<]*<\/text>)+)/g,
    )) {
      const lines = [...(m[5] ?? '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]);
      const label = lines.join(' ');
      resources.set(label, { label, x: num(m[1]), y: num(m[2]), w: num(m[3]), h: num(m[4]) });
    }
    const edges = [
      ...text.matchAll(
        /<g class="edge"><line[^>]*\/><text x="([-\d.]+)" y="([-\d.]+)"[^>]*>((?:<tspan[^>]*>[^<]*<\/tspan>)+)<\/text>/g,
      ),
    ].map((m) => {
      const lines = [...(m[3] ?? '').matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => t[1] ?? '');
      return { mid: `${m[1]},${m[2]}`, label: lines.join(' '), lines };
    });
    return { groups, resources, edges, text };
  }

  const inside = (r: Box, g: Box) => r.x >= g.x && r.y >= g.y && r.x + r.w <= g.x + g.w && r.y + r.h <= g.y + g.h;
  const find = (d: Drawn, id: string) => [...d.resources.values()].find((r) => r.label.includes(id));

  it('G3 G8 G9: the VPC view draws no VPC inside a subnet, no reverse twin twice, no link to a node’s own box', async () => {
    await open(`/?r=${encodeURIComponent(VPC)}`);
    const s = await summary();
    const d = await exported();
    const vpc = find(d, REAL.vpc)!;
    expect(vpc).toBeDefined();
    const subnetBoxes = d.groups.filter((g) => g.label.startsWith('Subnet '));
    // The sample VPC lists four subnets (two recorded here, two placeholders): four boxes.
    expect(subnetBoxes.map((g) => g.label).sort()).toEqual(
      [REAL.subnet, REAL.subnetC, 'subnet-38c20312', 'subnet-e83ba2d5'].map((s) => `Subnet ${s}`).sort(),
    );
    for (const box of subnetBoxes) expect(inside(vpc, box)).toBe(false);
    const vpcBox = d.groups.find((g) => g.label === `VPC ${REAL.vpc}`)!;
    expect(inside(vpc, vpcBox)).toBe(true);
    for (const box of subnetBoxes) expect(inside(box, vpcBox)).toBe(true);
    // The subnet resource is in its own box, the route table at VPC level (outside every subnet box).
    const subnet = find(d, REAL.subnet)!;
    expect(
      inside(
        subnet,
        subnetBoxes.find((b) => b.label.includes(REAL.subnet))!,
      ),
    ).toBe(true);
    const rtb = find(d, REAL.routeTable)!;
    for (const box of subnetBoxes) expect(inside(rtb, box)).toBe(false);
    // Every drawn edge joins a different pair (two edges of one pair share their midpoint).
    expect(d.edges).toHaveLength(s.edges);
    expect(new Set(d.edges.map((e) => e.mid)).size).toBe(d.edges.length);
    // The VPC "Contains" everything in its box: none of those links is drawn by default.
    expect(d.edges.filter((e) => /Contains Subnet|Is contained in Vpc/.test(e.label))).toEqual([]);
    // Twins that are drawn keep both of Config's names.
    expect(d.edges.map((e) => e.label)).toContain('Is attached to NetworkAcl / Is attached to Subnet');
    // G4: the internet gateway attached to the VPC is drawn in its box (so that link is its own box's), and
    // the route that leads to it is still drawn.
    const igw = find(d, REAL.igw)!;
    expect(inside(igw, vpcBox)).toBe(true);
    for (const box of subnetBoxes) expect(inside(igw, box)).toBe(false);
    expect(d.edges.map((e) => e.label)).toContain('Routes to');
    expect(s.text).toMatch(/^\d+ resources, \d+ connections in \d+ boxes$/);
    await expect
      .poll(() => page.locator('.enclosing-note').textContent())
      .toMatch(/\d+ containment links to their own box hidden/);
  });

  it('G9: the instance view hides its link to its own subnet and VPC until the toggle shows them', async () => {
    await open(`/?r=${encodeURIComponent(INSTANCE)}`);
    const before = await summary();
    const hidden = Number(
      /(\d+) containment link/.exec((await page.locator('.enclosing-note').textContent()) ?? '')?.[1],
    );
    expect(hidden).toBeGreaterThan(0);
    let d = await exported();
    expect(d.edges.filter((e) => /Is contained in (Subnet|Vpc)/.test(e.label))).toEqual([]);
    // The twin instance ↔ interface is one edge with both names.
    expect(d.edges.filter((e) => /Contains NetworkInterface|Is attached to Instance/.test(e.label))).toHaveLength(1);
    await page.locator('#toggle-enclosing').click();
    await expect.poll(async () => (await summary()).edges).toBe(before.edges + hidden);
    expect(page.url()).toContain('links=all');
    expect(await page.locator('#toggle-enclosing').getAttribute('aria-pressed')).toBe('true');
    d = await exported();
    expect(d.edges.map((e) => e.label)).toContain('Is contained in Subnet / Contains Instance');
    await page.locator('#toggle-enclosing').click();
    await expect.poll(async () => (await summary()).edges).toBe(before.edges);
  });

  it('#graph-summary counts what is drawn and is a live region', async () => {
    await open(`/?r=${encodeURIComponent(INSTANCE)}`);
    const s = await summary();
    expect(await page.locator('#graph-summary').getAttribute('role')).toBe('status');
    expect(await page.locator('#graph-summary').getAttribute('aria-live')).toBe('polite');
    const list = await resourcesInView(page);
    expect(s.nodes).toBe(list.length);
    expect(s.groups).toBeGreaterThanOrEqual(5); // account, region, VPC, zone, subnet
    expect(s.text).toBe(`${s.nodes} resources, ${s.edges} connections in ${s.groups} boxes`);
    // Without boxes nothing encloses anything: the same resources, no boxes, every link drawn.
    await page.locator('#grouping').uncheck();
    await expect.poll(async () => (await summary()).groups).toBe(0);
    expect((await summary()).nodes).toBe(s.nodes);
    expect((await summary()).edges).toBeGreaterThan(s.edges);
    expect(await page.locator('#toggle-enclosing').isHidden()).toBe(true);
  });

  it('G10: the same URL gives the same positions on every load', async () => {
    const url = `/?r=${encodeURIComponent(VPC)}`;
    await open(url);
    const first = await exported();
    await context.close();
    await open(url);
    const second = await exported();
    expect(first.resources.size).toBeGreaterThan(10);
    expect([...second.resources.entries()].sort()).toEqual([...first.resources.entries()].sort());
    await page.reload();
    await drawn();
    const third = await exported();
    expect([...third.resources.entries()].sort()).toEqual([...first.resources.entries()].sort());
  });

  it('exports pictures with arrowheads, icons, the "as of" time and a legend', async () => {
    await open(`/?r=${encodeURIComponent(INSTANCE)}&at=2016-11-02T00:00:00.000Z`);
    const d = await exported();
    expect(d.text).toMatch(/<marker id="arrow-[0-9a-f]+" class="arrowhead"/);
    expect(d.text).toMatch(/<line [^>]*marker-end="url\(#arrow-/);
    expect(d.text).toMatch(/<symbol id="icon-compute" viewBox="0 0 48 48"><svg/);
    expect(d.text).toContain('<use href="#icon-compute" class="icon"');
    expect(d.text).toContain('As of 2016-11-02 00:00:00 UTC');
    expect(d.text).toMatch(/<g class="legend">.*Compute.*Network.*Config relationship/s);
    expect(d.text).not.toMatch(/href="https?:/);
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#export-png').click()]);
    const bytes = readFileSync(await png.path());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // As wide as the SVG at twice its scale: the PNG is that picture, legend and "as of" included.
    const svgWidth = Number(/<svg [^>]*width="([\d.]+)"/.exec(d.text)?.[1]);
    // (to the pixel: the canvas rounds the scaled width either way)
    expect(Math.abs(bytes.readUInt32BE(16) - svgWidth * 2)).toBeLessThanOrEqual(1);
  });

  /** The headline views, each with the name of its screenshot. */
  const HEADLINE_VIEWS = [
    ['readable-instance', INSTANCE],
    ['readable-vpc', VPC],
  ] as const;

  /**
   * Each drawn connection's label against the stretch of its line between the two resources: the widest line of
   * the label as drawn (Cytoscape's font, one line per line of the caption) and the distance between the line's
   * two ends (where it leaves one resource and meets the other, in the graph's units).
   */
  async function labelsAlongLines(): Promise<{ label: string; widest: number; between: number }[]> {
    return page.evaluate(() => {
      const cy = (document.getElementById('cy') as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
      const measure = document.createElement('canvas').getContext('2d')!;
      return cy
        .edges()
        .filter((e) => e.visible() && String(e.style('label')) !== '')
        .map((e: import('cytoscape').EdgeSingular) => {
          measure.font = `${e.style('font-weight')} ${e.style('font-size')} ${e.style('font-family')}`;
          const lines = String(e.style('label')).split('\n');
          const [a, b] = [e.sourceEndpoint(), e.targetEndpoint()];
          return {
            label: lines.join(' | '),
            widest: Math.max(...lines.map((l) => measure.measureText(l).width)),
            between: Math.hypot(a.x - b.x, a.y - b.y),
          };
        });
    });
  }

  it('G8: in the instance and VPC views every connection’s label fits between the resources it joins', async () => {
    for (const [, key] of HEADLINE_VIEWS) {
      await open(`/?r=${encodeURIComponent(key)}`, { width: 1600, height: 1000 });
      const labels = await labelsAlongLines();
      expect(labels.length).toBeGreaterThan(0);
      // A twin's two names are drawn one above the other (the instance ↔ interface twin ran under the interface).
      expect(labels.map((l) => l.label)).toContain(
        key === INSTANCE
          ? 'Is attached to Instance / | Contains NetworkInterface'
          : 'Is attached to NetworkAcl / | Is attached to Subnet',
      );
      expect(labels.filter((l) => l.widest > l.between)).toEqual([]);
      // The SVG export draws the captions as the screen does: the twin's two names on two lines, not one.
      const svgCaptions = (await exported()).edges.map((e) => e.lines.join(' | '));
      for (const l of labels) expect(svgCaptions).toContain(l.label);
      await context.close();
    }
  });

  it('screenshots of the instance and VPC views at 1600×1000', async () => {
    for (const [name, key] of HEADLINE_VIEWS) {
      await open(`/?r=${encodeURIComponent(key)}`, { width: 1600, height: 1000 });
      await screenshot(page, name);
    }
  });

  /** The line style of the legend's "Derived from configuration" sample. */
  const derivedInLegend = () =>
    page
      .locator('.legend li', { hasText: 'Derived from configuration' })
      .locator('.legend-line')
      .evaluate((el) => getComputedStyle(el).borderTopStyle);

  it('with WebGL in software, the instance and VPC views draw what canvas draws (boxes behind WebGL); screenshots at 1600×1000', async () => {
    for (const [view, key] of HEADLINE_VIEWS) {
      const name = `${view}-webgl`;
      await open(`/?r=${encodeURIComponent(key)}`, { width: 1600, height: 1000 });
      const onCanvas = await exported();
      const counted = await summary();
      expect(await derivedInLegend()).toBe('dashed');
      await context.close();
      await open(`/?r=${encodeURIComponent(key)}`, { width: 1600, height: 1000 }, { webgl: true });
      expect(await page.locator('canvas[data-id="layer3-webgl"]').count()).toBe(1);
      expect(await summary()).toEqual(counted);
      // The same resources in the same places, the same boxes and connections (the SVG export is what Cytoscape holds).
      const onWebgl = await exported();
      expect([...onWebgl.resources.entries()].sort()).toEqual([...onCanvas.resources.entries()].sort());
      expect(onWebgl.groups.map((g) => g.label).sort()).toEqual(onCanvas.groups.map((g) => g.label).sort());
      expect(onWebgl.edges.map((e) => e.label).sort()).toEqual(onCanvas.edges.map((e) => e.label).sort());
      // WebGL draws derived links solid (still brown): the legend shows them that way.
      expect(await derivedInLegend()).toBe('solid');
      await page.getByRole('tab', { name: 'Details' }).click();
      await screenshot(page, name);
      await context.close();
    }
  });
});
