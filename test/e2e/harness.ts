// The end-to-end harness: builds the explorer with Vite, starts the REAL server (startServer from
// server/http) on the demo environment in an in-memory SQLite store, and drives Debian's Chromium
// with playwright-core. When Chromium is missing: a failure under CI=true, a loud warning otherwise.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { demoRunInput } from '../../world/demo-load.ts';
import { DEMO, demoTimes } from '../../world/demo.ts';
import { createLogger } from '../../server/http/logging.ts';
import { startServer, type RunningServer } from '../../server/http/start.ts';

export { DEMO, demoTimes };

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const screenshotDir = path.join(repoRoot, 'test/screenshots');
export const CHROMIUM = process.env.CONFIGGRAPH_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser suite can run here; throws under CI so a missing browser is a failure. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message =
    `Chromium not found at ${CHROMIUM}: the explorer's end-to-end tests need it ` +
    '(Debian: `apt-get update && apt-get install -y chromium`, or set CONFIGGRAPH_CHROMIUM).';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING THE BROWSER TESTS. ${message}\n${'!'.repeat(100)}\n`);
  return false;
}

let built: Promise<string> | undefined;

/**
 * Builds the explorer with the project's Vite config (what `npm run build:client` does), once per
 * test process, into a folder of this process's own: test files run in parallel and must not empty
 * each other's build while a server is serving it. Returns the folder to serve.
 */
export function buildClient(): Promise<string> {
  const outDir = path.join(repoRoot, '.tmp/e2e-client', String(process.pid));
  if (!built) {
    built = build({
      configFile: path.join(repoRoot, 'client/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    }).then(() => outDir);
  }
  return built;
}

/** Removes this process's build (call from afterAll). */
export function removeBuild(): void {
  rmSync(path.join(repoRoot, '.tmp/e2e-client', String(process.pid)), { recursive: true, force: true });
  built = undefined;
}

export interface DemoServer {
  url: string;
  store: GraphStore;
  server: RunningServer;
  close(): Promise<void>;
}

/** The real HTTP server over the demo environment, on a free loopback port. */
export async function startDemoServer(clientDir: string): Promise<DemoServer> {
  // The demo as `npm start` loads it: configuration items and the CloudTrail log that says who changed what.
  const { description: _description, ...demo } = demoRunInput();
  const store = openSqliteStore(':memory:');
  await store.ingest(demo);
  const server = await startServer({
    store,
    logger: createLogger({ level: 'warn' }),
    clientDir,
    storeLabel: 'sqlite::memory: (e2e)',
    port: 0,
  });
  return {
    url: server.url,
    store,
    server,
    async close() {
      await server.close();
      await store.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** What a page did that it must not: dialogs (alert from injected script), errors, CSP violations. */
export interface PageWatch {
  dialogs: string[];
  errors: string[];
  cspViolations: string[];
  requests: string[];
}

export async function newWatchedPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, baseURL });
  const page = await context.newPage();
  const watch: PageWatch = { dialogs: [], errors: [], cspViolations: [], requests: [] };
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => watch.errors.push(e.stack ?? e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') watch.errors.push(m.text());
  });
  page.on('request', (r) => watch.requests.push(r.url()));
  await page.exposeFunction('__reportCsp', (v: string) => watch.cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(v: string): void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, watch };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The keys of the resources Cytoscape holds, read from the accessible "Resources in view" list. */
export async function resourcesInView(
  page: Page,
): Promise<{ key: string; mark: string | null; status: string | null }[]> {
  await page.getByRole('tab', { name: 'Filters & list' }).click();
  const items = page.locator('ul.in-view > li');
  const out = await items.evaluateAll((lis) =>
    lis.map((li) => ({
      key: li.getAttribute('data-key') ?? '',
      mark: li.getAttribute('data-mark'),
      status: li.getAttribute('data-status'),
    })),
  );
  return out;
}

export const idOf = (key: string): string => key.split('|')[3] ?? key;
