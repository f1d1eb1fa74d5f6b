// A view of 10,000 elements in the explorer's own GraphView (the benchmark page, bench/explorer/):
// it is laid out box by box, becomes interactive, shows every resource and box, and gives labels to
// what is on screen once zoomed in. Timings are the benchmark's (npm run bench:explorer), not tested.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeFragments } from '../../client/src/graph/fragments.ts';
import { shapeElements } from '../../client/src/graph/shape.ts';
import type { ViewInput, ViewResult } from '../../bench/explorer/page.ts';
import type { GraphView } from '../../client/src/views/graph-view.ts';
import { bigEstate } from '../client/big-estate.ts';
import { edge, node } from '../client/fixtures.ts';
import { chromiumAvailable, launchBrowser, newWatchedPage, repoRoot, screenshot, type PageWatch } from './harness.ts';

type BigViewWindow = { view: GraphView };

const run = chromiumAvailable();
const estate = bigEstate(10, 8, 25);
const shaped = shapeElements({
  graph: mergeFragments([
    { owner: estate.root, nodes: estate.nodes, edges: estate.edges, truncated: false, omitted: [] },
  ]),
  root: estate.root,
  filters: { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] },
  grouping: true,
  expanded: [],
});

/** The estate grown by a volume attached to the first instance, and a bucket related to nothing drawn. */
function grown() {
  const volume = node('AWS::EC2::Volume', 'vol-new', { availabilityZone: 'us-east-1a' });
  const bucket = node('AWS::S3::Bucket', 'bucket-new', { awsRegion: 'us-east-1' });
  const nodes = [...estate.nodes, volume, bucket];
  const edges = [...estate.edges, edge(volume, instance, 'Is attached to Instance')];
  const graph = mergeFragments([{ owner: estate.root, nodes, edges, truncated: false, omitted: [] }]);
  return {
    elements: shapeElements({ graph, root: estate.root, filters: none, grouping: true, expanded: [] }).elements,
    volume: volume.key,
    bucket: bucket.key,
  };
}
const none = { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] };
const instance = estate.nodes.find((n) => n.resourceType === 'AWS::EC2::Instance')!.key;
const farAway = estate.nodes.filter((n) => n.resourceType === 'AWS::EC2::Instance').at(-1)!.key;

describe.runIf(run)('a big view (10,000 elements)', () => {
  const outDir = path.join(repoRoot, '.tmp/e2e-big-view', String(process.pid));
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let result: ViewResult;

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
    // Every resource drawn, as when a user has opened every counted box (SPEC G11; test/e2e/box-folds.test.ts
    // tests the folding): GraphView's big-view drawing itself is under test here.
    const input: ViewInput = {
      nodes: estate.nodes,
      edges: estate.edges,
      root: estate.root,
      webgl: false,
      unfolded: true,
    };
    result = await page.evaluate(
      (json) =>
        (window as unknown as { drawView(json: string, keep: boolean): Promise<ViewResult> }).drawView(json, true),
      JSON.stringify(input),
    );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
    rmSync(outDir, { recursive: true, force: true });
  });

  it('draws every resource, connection and box, each resource in a place of its own', async () => {
    expect(result.elements).toBeGreaterThanOrEqual(10_000);
    expect(result.packed).toBe(true);
    const drawn = await page.evaluate(() => {
      const cy = (window as unknown as BigViewWindow).view.cy;
      const places = new Set(
        cy.nodes('.resource').map((n) => `${Math.round(n.position('x'))},${Math.round(n.position('y'))}`),
      );
      return {
        resources: cy.nodes('.resource').length,
        boxes: cy.nodes('.group').length,
        edges: cy.edges().length,
        places: places.size,
        // Boxes are plain rectangles (no compounds): each resource lies inside the box it is drawn in.
        outsideTheirBox: cy.nodes('.resource').filter((n) => {
          const box = cy.getElementById(String(n.data('box') ?? ''));
          if (box.empty()) return n.data('box') !== undefined;
          const p = n.position();
          const b = box.position();
          return Math.abs(p.x - b.x) > box.width() / 2 || Math.abs(p.y - b.y) > box.height() / 2;
        }).length,
        compounds: cy.nodes(':parent').length,
      };
    });
    expect(drawn.resources).toBe(shaped.visibleNodes.length);
    expect(drawn.edges).toBe(shaped.visibleEdges.length);
    expect(drawn.boxes).toBe(shaped.groupCount);
    expect(drawn.places).toBe(drawn.resources);
    expect(drawn.outsideTheirBox).toBe(0);
    expect(drawn.compounds).toBe(0);
    expect(watch.errors).toEqual([]);
    await page.evaluate(() => (window as unknown as BigViewWindow).view.fit());
    await screenshot(page, '40-big-view-fitted');
  });

  it('answers a click, and labels what is on screen once zoomed in enough to read', async () => {
    // Fitted, 2,000 instances are specks: no label is measured (boxes keep theirs).
    const fitted = await page.evaluate((key) => {
      const cy = (window as unknown as BigViewWindow).view.cy;
      return {
        unlabelled: cy.getElementById(key).hasClass('unlabelled'),
        zoom: cy.zoom(),
        // Nor are connections drawn: fitted, thousands of lines would only be a texture.
        edgesDrawn: cy.edges(':visible').length,
        edgesOfInstance: cy.getElementById(key).connectedEdges().length,
      };
    }, instance);
    expect(fitted.unlabelled).toBe(true);
    expect(fitted.edgesDrawn).toBe(0);
    expect(fitted.edgesOfInstance).toBeGreaterThan(0);
    expect(fitted.zoom).toBeLessThan(0.5);
    const at = await page.evaluate((key) => {
      const cy = (window as unknown as BigViewWindow).view.cy;
      cy.zoom(1.2);
      const p = cy.getElementById(key).renderedPosition();
      cy.panBy({ x: cy.width() / 2 - p.x, y: cy.height() / 2 - p.y });
      return cy.getElementById(key).renderedPosition();
    }, instance);
    await page.mouse.click(at.x, at.y);
    await expect
      .poll(
        () =>
          page.evaluate(
            ([key, far]) => {
              const cy = (window as unknown as BigViewWindow).view.cy;
              const mine = cy.getElementById(key).connectedEdges();
              return {
                selected: cy.$(':selected').map((e) => e.id()),
                labelled: !cy.getElementById(key).hasClass('unlabelled'),
                farAwayLabelled: !cy.getElementById(far).hasClass('unlabelled'),
                // Zoomed in, the connections on screen are drawn; those far away still are not.
                connectionsDrawn: mine.filter((e) => e.visible()).length === mine.length,
                farAwayConnectionsDrawn: cy.getElementById(far).connectedEdges(':visible').length > 0,
              };
            },
            [instance, farAway] as const,
          ),
        // The labels follow the viewport once it has settled; the machine may be busy.
        { timeout: 20_000, interval: 200 },
      )
      .toEqual({
        selected: [instance],
        labelled: true,
        farAwayLabelled: false,
        connectionsDrawn: true,
        farAwayConnectionsDrawn: false,
      });
    await screenshot(page, '41-big-view-zoomed');
    expect(watch.errors).toEqual([]);
  });

  it('grows without moving what is drawn: a new resource beside its neighbour, an unrelated one to the right', async () => {
    const more = grown();
    const out = await page.evaluate(
      async ({ elements, volume, bucket, instance }) => {
        const view = (window as unknown as BigViewWindow).view;
        const cy = view.cy;
        const before = new Map(cy.nodes('.resource').map((n) => [n.id(), { ...n.position() }]));
        await view.draw(elements, { layout: 'fcose', relayout: false, webgl: false });
        const moved = cy.nodes('.resource').filter((n) => {
          const was = before.get(n.id());
          return was !== undefined && (n.position('x') !== was.x || n.position('y') !== was.y);
        });
        const right = Math.max(...[...before.values()].map((p) => p.x));
        const v = cy.getElementById(volume).position();
        const i = cy.getElementById(instance).position();
        return {
          moved: moved.length,
          volumeNearInstance: Math.hypot(v.x - i.x, v.y - i.y) <= 60,
          bucketRightOfAll: cy.getElementById(bucket).position('x') > right,
          resources: cy.nodes('.resource').length,
        };
      },
      { elements: more.elements, volume: more.volume, bucket: more.bucket, instance },
    );
    expect(out).toEqual({
      moved: 0,
      volumeNearInstance: true,
      bucketRightOfAll: true,
      resources: shaped.visibleNodes.length + 2,
    });
    expect(watch.errors).toEqual([]);
  });
});
