// A view of 300 resources or fewer is laid out by fCoSE in a Web Worker (client/src/views/fcose-layout.ts):
// the page keeps answering while the layout runs, and the resources still get places of their own, none
// on another, fitted to the screen, the same on every draw (SPEC G10). Drawn by the explorer's own
// GraphView on the benchmark page (bench/explorer/); timings are the benchmark's, not tested.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewInput, ViewResult } from '../../bench/explorer/page.ts';
import type { GraphView } from '../../client/src/views/graph-view.ts';
import { BIG_VIEW } from '../../client/src/views/graph-view.ts';
import { bigEstate } from '../client/big-estate.ts';
import { chromiumAvailable, launchBrowser, newWatchedPage, repoRoot, screenshot, type PageWatch } from './harness.ts';

type ViewWindow = {
  view: GraphView;
  drawView(json: string, keep: boolean): Promise<ViewResult>;
  /** The view's elements as drawn, as `draw` takes them (set by the tests, for drawing them again). */
  drawnElements(): Parameters<GraphView['draw']>[0];
};

const run = chromiumAvailable();
// 2 VPCs × 4 subnets × 12 instances with their interfaces: 206 resources, laid out by fCoSE.
const estate = bigEstate(2, 4, 12);

/** Draws the view and counts the timer callbacks the page ran while it was being laid out. */
async function drawCountingTicks(page: Page, webgl = false) {
  const input: ViewInput = { nodes: estate.nodes, edges: estate.edges, root: estate.root, webgl };
  return page.evaluate(async (json) => {
    const w = window as unknown as ViewWindow;
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 5);
    const result = await w.drawView(json, true);
    clearInterval(timer);
    const marks = w.view.lastPhases.marks;
    // The page zooms in by 1.25 once drawn (to time an answer): back to the fitted view.
    w.view.zoomBy(1 / 1.25);
    const cy = w.view.cy;
    const body = (n: cytoscape.NodeSingular) => n.boundingBox({ includeLabels: false, includeOverlays: false });
    const boxes = cy.nodes('.resource').map((n) => ({ id: n.id(), ...body(n), r: n.renderedPosition() }));
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
      }
    return {
      packed: result.packed,
      resources: boxes.length,
      places: new Set(boxes.map((b) => `${Math.round(b.x1)},${Math.round(b.y1)}`)).size,
      overlaps,
      offScreen: boxes.filter((b) => b.r.x < 0 || b.r.y < 0 || b.r.x > cy.width() || b.r.y > cy.height()).length,
      ticksWhileLayingOut: ticks.filter((t) => t > marks.start && t < marks.layout).length,
      positions: Object.fromEntries(cy.nodes('.resource').map((n) => [n.id(), n.position()])),
      visible: getComputedStyle(cy.container()!).visibility,
    };
  }, JSON.stringify(input));
}

describe.runIf(run)('a small view (fCoSE in a worker)', () => {
  let canvasPositions: Record<string, { x: number; y: number }> = {};
  const outDir = path.join(repoRoot, '.tmp/e2e-small-view', String(process.pid));
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    const root = path.join(repoRoot, 'bench/explorer');
    await build({ root, configFile: false, logLevel: 'warn', base: './', build: { outDir, emptyOutDir: true } });
    server = await preview({
      root,
      configFile: false,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0 },
    });
    browser = await launchBrowser();
    ({ page, watch } = await newWatchedPage(browser, server.resolvedUrls!.local[0]!));
    await page.goto('/');
    await page.waitForFunction(() => 'drawView' in window);
    await page.evaluate(() => {
      const w = window as unknown as ViewWindow;
      w.drawnElements = () =>
        w.view.cy.elements().map((e) => ({
          group: e.group(),
          data: { ...e.data() },
          classes: e.classes().join(' '),
        }));
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
    rmSync(outDir, { recursive: true, force: true });
  });

  it('keeps the page answering while fCoSE runs, and gives every resource a place of its own on screen', async () => {
    const resources = estate.nodes.length;
    expect(resources).toBeLessThanOrEqual(BIG_VIEW);
    const first = await drawCountingTicks(page);
    expect(first.packed).toBe(false);
    expect(first.resources).toBe(resources);
    // In the page, fCoSE ran as one synchronous block: no timer could fire until it ended.
    expect(first.ticksWhileLayingOut).toBeGreaterThan(2);
    expect(first.places).toBe(resources);
    expect(first.overlaps).toBe(0);
    expect(first.offScreen).toBe(0);
    expect(first.visible).toBe('visible');
    await screenshot(page, '42-small-view-fcose');

    // G10: the same view drawn again gets the same positions.
    const again = await drawCountingTicks(page);
    expect(again.positions).toEqual(first.positions);
    canvasPositions = first.positions;
    expect(watch.errors).toEqual([]);
  });

  it('WebGL in software (this headless Chromium, --disable-gpu): the compound boxes are drawn behind it, their members by it, labels once readable', async () => {
    const drawn = await drawCountingTicks(page, true);
    expect(drawn.overlaps).toBe(0);
    // Laid out as on the canvas renderer (the labels measured though not yet drawn: room is left for them).
    expect(drawn.positions).toEqual(canvasPositions);
    const seen = await page.evaluate(() => {
      const view = (window as unknown as ViewWindow).view;
      const cy = view.cy;
      // One frame drawn now and read back at once (WebGL keeps no frame once shown).
      type Renderer = { NODE: number; WEBGL: number; data: { canvasNeedsRedraw: boolean[]; contexts: unknown[] } };
      const r = (cy as unknown as { renderer(): Renderer & { render(o: object): void } }).renderer();
      const gl = r.data.contexts[r.WEBGL] as WebGL2RenderingContext;
      const ratio = window.devicePixelRatio || 1;
      r.data.canvasNeedsRedraw[r.NODE] = true;
      r.render({});
      const webglAt = (x: number, y: number) => {
        const px = new Uint8Array(4);
        gl.readPixels(
          Math.round(x * ratio),
          gl.drawingBufferHeight - Math.round(y * ratio),
          1,
          1,
          gl.RGBA,
          gl.UNSIGNED_BYTE,
          px,
        );
        return [...px];
      };
      const layer = cy.container()!.querySelector('canvas')!.getContext('2d')!;
      const layerAt = (x: number, y: number) => [
        ...layer.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data,
      ];
      // A subnet's compound box, a few pixels inside its bottom left corner (no member there), and a member's middle.
      const subnet = cy.nodes('.group-subnet').filter((b) => b.isParent())[0]!;
      const bb = subnet.renderedBoundingBox({ includeLabels: false });
      const member = subnet.children('.resource')[0]!.renderedPosition();
      return {
        webgl: view.usingWebgl,
        compounds: cy.nodes('.group').filter((b) => b.isParent()).length,
        boxInWebgl: webglAt(bb.x1 + 4, bb.y2 - 4),
        boxBehind: layerAt(bb.x1 + 4, bb.y2 - 4),
        fill: subnet.style('background-color') as string,
        memberInWebgl: webglAt(member.x, member.y),
      };
    });
    expect(seen.webgl).toBe(true);
    expect(seen.compounds).toBeGreaterThan(4);
    // Nothing of the box in WebGL: transparent there; the 2D canvas behind shows its fill.
    expect(seen.boxInWebgl[3]).toBe(0);
    expect(`rgb(${seen.boxBehind.slice(0, 3).join(',')})`).toBe(seen.fill);
    expect(seen.boxBehind[3]).toBe(255);
    // Its member is drawn by WebGL, opaque.
    expect(seen.memberInWebgl[3]).toBeGreaterThan(200);
    await screenshot(page, '46-small-view-webgl-software');
    // Labels come once readable, on screen (WebGL would draw every one into its atlases at once).
    const labels = async () =>
      page.evaluate(() => {
        const cy = (window as unknown as ViewWindow).view.cy;
        return { zoom: cy.zoom(), labelled: cy.nodes('.resource').filter((n) => !n.hasClass('unlabelled')).length };
      });
    const fitted = await labels();
    expect(fitted.zoom).toBeLessThan(0.5);
    expect(fitted.labelled).toBe(0);
    await page.evaluate(() => {
      const cy = (window as unknown as ViewWindow).view.cy;
      // Around a resource (the middle of a fitted view may fall between its boxes).
      cy.zoom({ level: 1, renderedPosition: cy.nodes('.resource')[0]!.renderedPosition() });
    });
    await expect.poll(async () => (await labels()).labelled).toBeGreaterThan(0);
    expect((await labels()).labelled).toBeLessThan(estate.nodes.length);
    expect(watch.errors).toEqual([]);
  });

  it("WebGL in software: what is under the pointer is found on the CPU, and a box's empty space is nothing (software-picking.ts)", async () => {
    await drawCountingTicks(page, true);
    const at = await page.evaluate(() => {
      const cy = (window as unknown as ViewWindow).view.cy;
      cy.$(':selected').unselect();
      // Zoomed in on a resource, as a user would before clicking one (a fitted view's resources are specks).
      const node = cy.nodes('.resource').filter((n) => !n.hasClass('root'))[0]!;
      cy.zoom({ level: 1.5, renderedPosition: node.renderedPosition() });
      const subnet = cy.nodes('.group-subnet').filter((b) => b.isParent())[0]!;
      const bb = subnet.renderedBoundingBox({ includeLabels: false });
      const box = cy.container()!.getBoundingClientRect();
      const p = node.renderedPosition();
      return {
        id: node.id(),
        x: box.left + p.x,
        y: box.top + p.y,
        boxX: box.left + bb.x1 + 4,
        boxY: box.top + bb.y2 - 4,
      };
    });
    // WebGL's picking reads its picking frame back with readPixels: counted while the user clicks.
    await page.evaluate(() => {
      const cy = (window as unknown as ViewWindow).view.cy;
      type Renderer = { WEBGL: number; data: { contexts: unknown[] } };
      const r = (cy as unknown as { renderer(): Renderer }).renderer();
      const gl = r.data.contexts[r.WEBGL] as WebGL2RenderingContext & { readBack: number };
      const readPixels = gl.readPixels.bind(gl) as (...args: unknown[]) => void;
      gl.readBack = 0;
      gl.readPixels = (...args: unknown[]) => {
        gl.readBack += 1;
        readPixels(...args);
      };
      (window as unknown as { gl: typeof gl }).gl = gl;
    });
    await page.mouse.click(at.x, at.y);
    const picked = await page.evaluate(() => ({
      selected: (window as unknown as ViewWindow).view.cy.$(':selected').map((e) => e.id()),
      readBack: (window as unknown as { gl: { readBack: number } }).gl.readBack,
    }));
    expect(picked.selected).toEqual([at.id]);
    expect(picked.readBack).toBe(0);
    // A click on a box's empty space finds nothing (WebGL never draws the boxes): the selection is cleared.
    await page.mouse.click(at.boxX, at.boxY);
    expect(await page.evaluate(() => (window as unknown as ViewWindow).view.cy.$(':selected').length)).toBe(0);
    expect(watch.errors).toEqual([]);
  });

  it('WebGL in software: a new drawing stays hidden until its last slice is added and drawn (first-frame.ts)', async () => {
    await drawCountingTicks(page, true);
    const seen = await page.evaluate(async () => {
      const view = (window as unknown as ViewWindow).view;
      const all = (window as unknown as ViewWindow).drawnElements();
      // This renderer's own canvas (the one first-frame.ts hides).
      type Renderer = { WEBGL: number; data: { canvases: HTMLCanvasElement[] } };
      const webglCanvas = () => {
        const r = (view.cy as unknown as { renderer(): Renderer }).renderer();
        return r.data.canvases[r.WEBGL]!;
      };
      // Shown while slices still come, each slice's frame would be read back as it is drawn (the wait this avoids).
      const shownWhileAdding: number[] = [];
      let adds = 0;
      view.cy.on('add', () => {
        adds++;
        if (getComputedStyle(webglCanvas()).visibility !== 'hidden') shownWhileAdding.push(adds);
      });
      await view.draw(all, { layout: 'fcose', relayout: true, webgl: true });
      return { adds, shownWhileAdding, shown: getComputedStyle(webglCanvas()).visibility };
    });
    expect(seen.adds).toBeGreaterThan(estate.nodes.length);
    expect(seen.shownWhileAdding).toEqual([]);
    expect(seen.shown).toBe('visible');
    expect(watch.errors).toEqual([]);
  });

  it("wraps a resource's label once until its text changes, not at every measure (label-wrap-cache.ts)", async () => {
    await drawCountingTicks(page);
    const seen = await page.evaluate(() => {
      const cy = (window as unknown as ViewWindow).view.cy;
      type Measure = (...args: unknown[]) => unknown;
      const r = (cy as unknown as { renderer(): { calculateLabelDimensions: Measure } }).renderer();
      const measure = r.calculateLabelDimensions;
      let measured = 0;
      r.calculateLabelDimensions = function (this: unknown, ...args: unknown[]) {
        measured++;
        return measure.apply(this, args);
      };
      const labelBox = (n: cytoscape.NodeSingular) => {
        const b = n.boundingBox({ includeNodes: false, includeLabels: true, includeOverlays: false });
        return { w: b.w, h: b.h };
      };
      try {
        const resources = cy.nodes('.resource');
        // Connections added as the draw adds its slices, measured: Cytoscape restyles their ends and the
        // boxes around them, and measures them again. No resource's label is new: none is wrapped again.
        const added = cy.add(
          resources.map((n, i) => ({
            group: 'edges' as const,
            data: { id: `wrap-test-${i}`, source: n.id(), target: resources[(i + 1) % resources.length]!.id() },
          })),
        );
        added.boundingBox({});
        const again = measured;
        added.remove();
        // A new text is wrapped (G15: an id without spaces breaks within the 120 px), then a short one is not.
        const node = resources.filter((n) => !n.hasClass('root'))[0]!;
        const label = String(node.data('label'));
        node.data('label', 'x'.repeat(60));
        const long = labelBox(node);
        node.data('label', 'ab');
        const short = labelBox(node);
        node.data('label', label);
        return { resources: resources.length, again, long, short, restored: labelBox(node) };
      } finally {
        r.calculateLabelDimensions = measure;
      }
    });
    expect(seen.resources).toBe(estate.nodes.length);
    // Before, every resource's label was wrapped again, a text measure per character of a long line.
    expect(seen.again).toBe(0);
    expect(seen.long.w).toBeLessThanOrEqual(126);
    expect(seen.long.h).toBeGreaterThan(3 * 12);
    expect(seen.short.h).toBeLessThan(2 * 12);
    expect(seen.short.w).toBeLessThan(30);
    expect(seen.restored.h).toBeGreaterThan(seen.short.h);
    expect(watch.errors).toEqual([]);
  });

  it('a draw made while the WebGL renderer is being created gives way to a newer one, which is drawn', async () => {
    // The canvas renderer first, then two WebGL draws at once: the first makes way (WebGL's context is made in
    // a task of its own), the second draws everything, once.
    await drawCountingTicks(page);
    const seen = await page.evaluate(async () => {
      const view = (window as unknown as ViewWindow).view;
      const all = (window as unknown as ViewWindow).drawnElements();
      const nodesOnly = all.filter((e) => e.group === 'nodes');
      const first = view.draw(nodesOnly, { layout: 'grid', relayout: true, webgl: true });
      const second = view.draw(all, { layout: 'grid', relayout: true, webgl: true });
      await Promise.all([first, second]);
      return {
        webgl: view.usingWebgl,
        elements: view.cy.elements().length,
        expected: all.length,
        webglCanvases: view.cy.container()!.querySelectorAll('canvas[data-id="layer3-webgl"]').length,
        // Hidden while the new drawing's first frames are drawn (first-frame.ts), shown once both draws are done.
        webglShown: getComputedStyle(view.cy.container()!.querySelector('canvas[data-id="layer3-webgl"]')!).visibility,
      };
    });
    expect(seen.webgl).toBe(true);
    expect(seen.elements).toBe(seen.expected);
    expect(seen.webglCanvases).toBe(1);
    expect(seen.webglShown).toBe('visible');
    expect(watch.errors).toEqual([]);
  });
});
