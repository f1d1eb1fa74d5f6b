// G11 in the explorer, in Chromium against the real server: a big view (eight subnets of 40 instances
// each, opened together) draws each subnet's instances and network interfaces as counted nodes; a click on
// one opens it in place and the address bar remembers it; the list opens one from the keyboard; a folded
// resource selected by the address bar opens its box.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';
import { deliveryFiles, generateEnvironment } from '../../world/generator/index.ts';
import { parseFiles } from '../../bench/lib/dataset.ts';
import { explorerE2E, untilDrawn } from '../support/e2e.ts';
import { chromiumAvailable, resourcesInView, screenshot } from './harness.ts';

const available = chromiumAvailable();

/** What Cytoscape holds (its container keeps the instance): the counted nodes and the resources. */
async function drawing(page: Page) {
  return page.evaluate(() => {
    const el = document.getElementById('cy') as unknown as {
      _cyreg: { cy: import('cytoscape').Core };
    };
    const cy = el._cyreg.cy;
    return {
      folds: cy.nodes('.fold').map((n) => ({ id: n.id(), label: String(n.data('label')), count: n.data('count') })),
      resources: cy.nodes('.resource').length,
      selected: cy.$('node:selected').map((n) => n.id()),
    };
  });
}

describe.runIf(available)('counted boxes in a big view (G11)', () => {
  const e2e = explorerE2E();
  let store: GraphStore;
  let server: RunningServer;
  let subnets: string[] = [];
  let folded = '';
  let page: Page;

  beforeAll(async () => {
    const env = generateEnvironment({
      seed: 'e2e-box-folds',
      accounts: 1,
      regions: ['us-east-1'],
      vpcsPerRegion: 1,
      subnetsPerVpc: 8,
      instancesPerSubnet: 40,
      days: 1,
      changeRate: 0,
    });
    const parsed = parseFiles(deliveryFiles(env.items));
    store = openSqliteStore(':memory:');
    await store.ingest({ source: 'test', scope: 'box-folds', items: parsed.items, snapshots: parsed.snapshots });
    const g = await store.graphAt();
    subnets = g.nodes
      .filter((n) => n.resourceType === 'AWS::EC2::Subnet')
      .map((n) => n.key)
      .sort();
    server = await startServer({
      store,
      logger: createLogger({ level: 'warn' }),
      clientDir: e2e.clientDir,
      storeLabel: 'sqlite::memory: (box folds)',
      port: 0,
    });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  /** The first subnet's neighbourhood with the seven others expanded: 600-odd resources. */
  const bigView = () =>
    `/?r=${encodeURIComponent(subnets[0]!)}&view=hops&${subnets
      .slice(1)
      .map((s) => `x=${encodeURIComponent(s)}`)
      .join('&')}`;

  async function openBig(extra = '', { webgl = false, width = 1400, height = 900 } = {}): Promise<void> {
    page = await e2e.open('/', { base: server.url, viewport: { width, height } });
    await page.evaluate(
      (gl) => localStorage.setItem('configgraph.settings', JSON.stringify({ maxElements: 100_000, webgl: gl })),
      webgl,
    );
    await page.goto(bigView() + extra);
    await untilDrawn(page);
  }

  it('draws each subnet’s many instances as one counted node in the subnet’s box, listed by its count', async () => {
    await openBig();
    const d = await drawing(page);
    const instances = d.folds.filter((f) => f.id.endsWith(':AWS::EC2::Instance'));
    expect(instances.length).toBe(8);
    for (const f of instances) {
      expect(f.label.split('\n')[0]).toBe(`${f.count} instances`);
      expect(f.count).toBeGreaterThanOrEqual(30);
    }
    expect(d.resources).toBeLessThan(200);
    const list = await resourcesInView(page);
    expect(list.filter((i) => i.key.startsWith('fold:in:')).length).toBe(d.folds.length);
    expect(list.some((i) => i.key.includes('AWS::EC2::Instance|'))).toBe(false);
    // The summary still counts every resource in view, folded or not.
    expect(await page.locator('#graph-summary').textContent()).toMatch(
      /^\d{3} resources, .* boxes; \d{3} of the resources counted in \d+ nodes/,
    );
    folded = instances[0]!.id;
    await screenshot(page, '42-counted-boxes-fitted');
    // A redacted picture keeps the counts (they name nothing), and names no subnet.
    await page.getByRole('tab', { name: 'Export' }).click();
    await page.getByLabel('Redact names, tags and ids').check();
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const text = readFileSync(await svg.path(), 'utf8');
    expect(text).toContain(`${instances[0]!.count} instances`);
    for (const s of subnets) expect(text).not.toContain(s.split('|')[3]!);
  });

  it('G16: a big view folded to a few dozen elements shows its connections fitted on screen', async () => {
    await openBig();
    const seen = await page.evaluate(() => {
      const cy = (document.getElementById('cy') as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
      return {
        zoom: cy.zoom(),
        elements: cy.elements().length,
        connections: cy.edges().length,
        shown: cy.edges().filter((e) => e.visible()).length,
      };
    });
    // Over 600 resources, but folded to a few dozen elements, fitted below the zoom from which the
    // connections of a drawing of thousands appear.
    expect(seen.elements).toBeLessThan(100);
    expect(seen.zoom).toBeLessThan(0.5);
    expect(seen.connections).toBeGreaterThan(0);
    expect(seen.shown).toBe(seen.connections);
  });

  it('WebGL in software (this headless Chromium, --disable-gpu): the boxes are drawn on a 2D canvas behind it, not by it', async () => {
    await openBig('', { webgl: true, width: 1600, height: 1000 });
    const seen = await page.evaluate(() => {
      const container = document.getElementById('cy')!;
      const cy = (container as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
      const boxes = cy.nodes('.plainbox');
      // The innermost box (a subnet), a few pixels inside its bottom left corner: no resource there.
      const subnet = boxes.filter((b) => b.data('groupKind') === 'subnet')[0]!;
      const bb = subnet.renderedBoundingBox({ includeLabels: false });
      const layer = container.querySelector('canvas')!;
      const ratio = window.devicePixelRatio || 1;
      const px = layer
        .getContext('2d')!
        .getImageData(Math.round((bb.x1 + 6) * ratio), Math.round((bb.y2 - 6) * ratio), 1, 1).data;
      // The same point in a WebGL frame drawn now and read back at once (WebGL keeps no frame once shown).
      type Renderer = { NODE: number; WEBGL: number; data: { canvasNeedsRedraw: boolean[]; contexts: unknown[] } };
      const r = (cy as unknown as { renderer(): Renderer & { render(o: object): void } }).renderer();
      const gl = r.data.contexts[r.WEBGL] as WebGL2RenderingContext;
      r.data.canvasNeedsRedraw[r.NODE] = true;
      r.render({});
      // A pixel of that frame (page coordinates within the canvas), as RGBA.
      const webglAt = (px: number, py: number) => {
        const at = new Uint8Array(4);
        gl.readPixels(
          Math.round(px * ratio),
          gl.drawingBufferHeight - Math.round(py * ratio),
          1,
          1,
          gl.RGBA,
          gl.UNSIGNED_BYTE,
          at,
        );
        return [...at];
      };
      const inWebgl = webglAt(bb.x1 + 6, bb.y2 - 6);
      const folds = cy.nodes('.fold');
      // Where each counted node's body is opaque in WebGL, the colour it has there (page coordinates).
      const box = container.getBoundingClientRect();
      const bodies = folds.map((n) => {
        const p = n.renderedPosition();
        return { x: Math.round(box.left + p.x), y: Math.round(box.top + p.y), rgba: webglAt(p.x, p.y) };
      });
      // Each counted node's label drawn by WebGL: the middle of its label (text or background) is not transparent.
      const foldLabelsDrawn = folds.filter((n) => {
        const label = n.renderedBoundingBox({ includeNodes: false, includeLabels: true, includeOverlays: false });
        return webglAt((label.x1 + label.x2) / 2, (label.y1 + label.y2) / 2)[3]! > 100;
      }).length;
      return {
        folds: folds.length,
        foldLabelsDrawn,
        webgl: Boolean(container.querySelector('canvas[data-id="layer3-webgl"]')),
        webglShown: getComputedStyle(container.querySelector('canvas[data-id="layer3-webgl"]')!).visibility,
        bodies,
        boxes: boxes.length,
        inWebgl,
        pixel: [...px],
        fill: subnet.style('background-color') as string,
        connectionsShown: cy.edges().filter((e) => e.visible()).length,
      };
    });
    expect(seen.webgl).toBe(true);
    expect(seen.boxes).toBeGreaterThan(8);
    // Nothing of the box in WebGL (transparent there); the 2D canvas behind shows its fill.
    expect(seen.inWebgl[3]).toBe(0);
    expect(`rgb(${seen.pixel.slice(0, 3).join(',')})`).toBe(seen.fill);
    expect(seen.pixel[3]).toBe(255);
    expect(seen.connectionsShown).toBeGreaterThan(0);
    expect(seen.folds).toBeGreaterThan(8);
    expect(seen.foldLabelsDrawn).toBe(seen.folds);
    // Once drawn, WebGL's canvas is on screen (a new drawing's is hidden until the GPU has drawn it,
    // client/src/views/first-frame.ts): what the page shows at each counted node is what WebGL drew there.
    expect(seen.webglShown).toBe('visible');
    const file = await screenshot(page, '45-counted-boxes-webgl-software');
    const opaque = seen.bodies.filter((b) => b.rgba[3] === 255);
    expect(opaque.length).toBeGreaterThan(8);
    const onScreen = await page.evaluate(
      async ({ png, at }) => {
        const image = await createImageBitmap(new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))]));
        const canvas = new OffscreenCanvas(image.width, image.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(image, 0, 0);
        return at.map((p) => [...ctx.getImageData(p.x, p.y, 1, 1).data.slice(0, 3)]);
      },
      { png: readFileSync(file).toString('base64'), at: opaque },
    );
    onScreen.forEach((rgb, i) =>
      rgb.forEach((c, j) => expect(Math.abs(c - opaque[i]!.rgba[j]!)).toBeLessThanOrEqual(3)),
    );
  });

  it('opens a counted node clicked on the canvas, in place, and the address bar remembers it', async () => {
    await openBig();
    const count = (await drawing(page)).folds.find((f) => f.id === folded)!.count as number;
    const at = await page.evaluate((id) => {
      const cy = (document.getElementById('cy') as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
      cy.zoom(0.8);
      const n = cy.getElementById(id);
      const p = n.renderedPosition();
      cy.panBy({ x: cy.width() / 2 - p.x, y: cy.height() / 2 - p.y });
      const r = (document.getElementById('cy') as HTMLElement).getBoundingClientRect();
      const q = n.renderedPosition();
      return { x: r.left + q.x, y: r.top + q.y };
    }, folded);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => new URL(page.url()).searchParams.getAll('open')).toEqual([folded]);
    await untilDrawn(page);
    const d = await drawing(page);
    expect(d.folds.some((f) => f.id === folded)).toBe(false);
    const list = await resourcesInView(page);
    expect(list.filter((i) => i.key.includes('AWS::EC2::Instance|')).length).toBe(count);
    await page.getByRole('tab', { name: 'Details' }).click();
    await screenshot(page, '43-counted-box-opened');
    // Reloaded, the box is still open.
    await page.reload();
    await untilDrawn(page);
    expect((await drawing(page)).folds.some((f) => f.id === folded)).toBe(false);
    expect((await resourcesInView(page)).filter((i) => i.key.includes('AWS::EC2::Instance|')).length).toBe(count);
  });

  it('G12: closes an opened counted node from the list (keyboard, then a click), and the address bar forgets it', async () => {
    await openBig();
    const other = (await drawing(page)).folds.find((f) => f.id.endsWith(':AWS::EC2::NetworkInterface'))!;
    await openBig(`&open=${encodeURIComponent(folded)}&open=${encodeURIComponent(other.id)}`);
    let d = await drawing(page);
    expect(d.folds.some((f) => f.id === folded || f.id === other.id)).toBe(false);
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    const opened = page.getByRole('region', { name: 'Opened boxes' });
    expect(await opened.getByRole('button', { name: /^Close / }).count()).toBe(2);
    const close = opened.getByRole('button', { name: /^Close \d+ instances in Subnet / });
    await close.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.getAll('open')).toEqual([other.id]);
    await untilDrawn(page);
    d = await drawing(page);
    expect(d.folds.some((f) => f.id === folded)).toBe(true);
    expect(d.folds.some((f) => f.id === other.id)).toBe(false);
    await screenshot(page, '44-counted-box-closed');
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    await page
      .getByRole('region', { name: 'Opened boxes' })
      .getByRole('button', { name: /^Close \d+ network interfaces in Subnet / })
      .click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('open')).toEqual([]);
    await untilDrawn(page);
    d = await drawing(page);
    expect(d.folds.some((f) => f.id === other.id)).toBe(true);
    // Nothing opened, nothing to close.
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    expect(await page.getByRole('region', { name: 'Opened boxes' }).count()).toBe(0);
  });

  it('opens a counted node from the list with the keyboard', async () => {
    await openBig();
    const before = await drawing(page);
    const other = before.folds.find((f) => f.id.endsWith(':AWS::EC2::NetworkInterface'))!;
    await page.getByRole('tab', { name: 'Filters & list' }).click();
    const open = page.getByRole('button', { name: `Open ${other.label.split('\n')[0]}` }).first();
    await open.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.getAll('open').length).toBe(1);
    await untilDrawn(page);
    const after = await drawing(page);
    expect(after.folds.length).toBe(before.folds.length - 1);
    // The counted node is replaced by the resources it counted.
    expect(after.resources).toBe(before.resources - 1 + opened(before, after));
  });

  it('opens the box of a folded resource the address bar selects, and selects it', async () => {
    const g = await store.graphAt();
    const instance = g.nodes
      .filter((n) => n.resourceType === 'AWS::EC2::Instance' && !n.key.includes(subnets[0]!))
      .map((n) => n.key)
      .sort()[5]!;
    await openBig(`&sel=${encodeURIComponent(instance)}`);
    await expect.poll(() => new URL(page.url()).searchParams.getAll('open').length).toBe(1);
    await untilDrawn(page);
    await expect.poll(async () => (await drawing(page)).selected).toEqual([instance]);
  });
});

/** Resources a single opened fold added: its count, less the counted node it replaced. */
function opened(
  before: { folds: { id: string; count: unknown }[] },
  after: { folds: { id: string; count: unknown }[] },
): number {
  const gone = before.folds.filter((f) => !after.folds.some((a) => a.id === f.id));
  return gone.reduce((sum, f) => sum + Number(f.count), 0);
}
