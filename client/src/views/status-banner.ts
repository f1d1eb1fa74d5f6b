// The banner with the last collection run and "refresh now". The button exists only when the
// server has a collector (GET /api/collections/current answers something other than 501).
import type { RunRecord } from '../../../graph/model.ts';
import * as api from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import { messageOf } from '../errors.ts';
import { formatAgo, formatTime } from '../time/format.ts';
import { tokenForm } from './token-form.ts';

export function describeRun(run: RunRecord | undefined, now: number): string {
  if (!run)
    return 'No collection or import has run yet: import files with `configgraph import`, or start with `npm start` for the demo.';
  const when = run.endedAt ?? run.startedAt;
  const c = run.counts;
  const skipped = c.skipped ? `, ${c.skipped} skipped` : '';
  return `Last ${run.source} run (${run.scope}): ${run.status}, ${formatTime(when)} (${formatAgo(when, now)}) · ${c.items} items, ${c.resources} resources${skipped}`;
}

export class StatusBanner {
  readonly root: HTMLElement;
  private readonly text = h('span', { class: 'status-text' });
  private readonly progress = h('span', { class: 'status-progress', role: 'status', 'aria-live': 'polite' });
  private readonly button = h('button', { type: 'button', class: 'refresh-button', hidden: true }, 'Refresh now');

  constructor(private readonly onCollected: () => void) {
    this.root = h(
      'div',
      { class: 'status-banner', role: 'region', 'aria-label': 'Collection status' },
      this.text,
      this.progress,
      this.button,
    );
    this.button.addEventListener('click', () => void this.refreshNow());
  }

  /** True after a request failed, until the server answers again: the line must not say "succeeded". */
  failed = false;

  /** Says what failed, in place of the last run's status (which may read "succeeded"). */
  reportFailure(message: string): void {
    this.failed = true;
    this.text.textContent = `Request failed: ${message}. The server may have stopped; what is on screen is from before.`;
    this.root.classList.add('status-failed');
  }

  async load(): Promise<void> {
    let collector = false;
    try {
      const health = await api.health();
      this.failed = false;
      collector = health.collector;
      this.text.textContent = describeRun(health.lastRun ?? undefined, Date.now());
      this.root.classList.toggle('status-failed', health.lastRun?.status === 'failed');
    } catch (err) {
      this.failed = true;
      this.root.classList.add('status-failed');
      if (err instanceof api.ApiError && err.status === 401) {
        // The first thing a user of a token-protected server sees: say so, and take the token here.
        replaceChildren(
          this.text,
          'This server needs its access token (CONFIGGRAPH_TOKEN); it is kept only in this tab. ',
          tokenForm(() => {
            void this.load();
            this.onCollected();
          }),
        );
        return;
      }
      this.text.textContent = `Server status unavailable: ${messageOf(err)}`;
    }
    // Without a collector there is nothing to refresh from: no button rather than a broken one.
    this.button.hidden = !collector;
    this.button.title = collector ? 'Collect from AWS Config now' : '';
    if (!collector) return;
    try {
      const current = await api.currentCollection();
      this.button.hidden = current === undefined;
      if (current?.running) void this.watch();
    } catch {
      this.button.hidden = true;
    }
  }

  private async refreshNow(): Promise<void> {
    this.button.disabled = true;
    try {
      const started = await api.startCollection();
      if (!started) {
        this.button.hidden = true;
        this.progress.textContent = 'This server has no collector configured, so it cannot refresh.';
        return;
      }
      await this.watch();
    } catch (err) {
      this.progress.textContent = `Refresh failed: ${messageOf(err)}`;
    } finally {
      this.button.disabled = false;
    }
  }

  /** Polls progress once a second until the collector is idle, then reloads the view. */
  private async watch(): Promise<void> {
    this.button.disabled = true;
    for (;;) {
      const p = await api.currentCollection();
      if (!p) break;
      if (!p.running) {
        replaceChildren(
          this.progress,
          p.error ? `Refresh ${p.state}: ${p.error}` : `Refresh ${p.state === 'idle' ? 'finished' : p.state}.`,
        );
        break;
      }
      const count = p.total ? ` ${p.done ?? 0}/${p.total}` : p.done !== undefined ? ` ${p.done}` : '';
      this.progress.textContent = `Refreshing…${count}${p.message ? ` (${p.message})` : ''}`;
      await new Promise((r) => setTimeout(r, 1000));
    }
    this.button.disabled = false;
    await this.load();
    this.onCollected();
  }
}
