// One explorer session per browser test file: the explorer built once (test/e2e/harness.ts), the real
// server on the demo, Chromium, and a watched page per test; after each test, what the page must not do
// (dialogs, CSP violations, errors, and for files that ask, requests leaving the machine) is checked.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  buildClient,
  launchBrowser,
  newWatchedPage,
  removeBuild,
  startDemoServer,
  type DemoServer,
  type PageWatch,
} from '../e2e/harness.ts';

export interface ExplorerE2EOptions {
  /** Whether a page error fails the test (default: yes). */
  checkErrors?: boolean;
  /** Whether every request must go to the demo server (nothing leaves the machine). */
  ownRequestsOnly?: boolean;
}

export interface ExplorerE2E {
  readonly clientDir: string;
  readonly server: DemoServer;
  readonly browser: Browser;
  /** The context and watch of the page `open` made last. */
  readonly context: BrowserContext | undefined;
  readonly watch: PageWatch;
  /** Closes the page opened before, then opens `path` on `base` (default: the demo server) in a new one. */
  open(path: string, opts?: { base?: string; viewport?: { width: number; height: number } }): Promise<Page>;
}

/** Waits until the explorer has loaded, drawn and rendered the graph for its current state. */
export async function untilDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.canvas-wrap')?.getAttribute('aria-busy') === 'false');
}

/** Registers the file's hooks (call inside its describe) and gives what they start. */
export function explorerE2E(opts: ExplorerE2EOptions = {}): ExplorerE2E {
  let clientDir: string | undefined;
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let watch: PageWatch | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started`);
    return value;
  };

  beforeAll(async () => {
    clientDir = await buildClient();
    server = await startDemoServer(clientDir);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeBuild();
  });

  afterEach(async () => {
    if (watch) {
      expect(watch.dialogs).toEqual([]);
      expect(watch.cspViolations).toEqual([]);
      if (opts.checkErrors !== false) expect(watch.errors).toEqual([]);
      if (opts.ownRequestsOnly) {
        const own = started(server, 'the demo server').url;
        const elsewhere = watch.requests.filter(
          (u) => !u.startsWith(own) && !u.startsWith('blob:') && !u.startsWith('data:'),
        );
        expect(elsewhere).toEqual([]);
      }
    }
    await context?.close();
  });

  return {
    get clientDir() {
      return started(clientDir, 'the client build');
    },
    get server() {
      return started(server, 'the demo server');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
    get context() {
      return context;
    },
    get watch() {
      return started(watch, 'a page');
    },
    async open(path, o = {}) {
      await context?.close();
      const made = await newWatchedPage(started(browser, 'Chromium'), o.base ?? started(server, 'the demo server').url);
      ({ context, watch } = made);
      if (o.viewport) await made.page.setViewportSize(o.viewport);
      await made.page.goto(path);
      return made.page;
    },
  };
}
