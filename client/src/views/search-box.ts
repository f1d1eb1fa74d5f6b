// A search combobox (WAI-ARIA pattern): type to get suggestions from /api/search, arrows to move,
// Enter to open the highlighted one (or what was typed, as a reference). Empty input shows recent searches.
import type { SearchHit } from '../../../graph/store.ts';
import * as api from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import { messageOf } from '../errors.ts';
import { displayName } from '../graph/shape.ts';
import { shortType } from '../graph/keys.ts';
import type { RecentEntry } from '../recent.ts';
import { formatTime } from '../time/format.ts';

export interface Choice {
  ref: string;
  label: string;
  /** Open it as of this time: a deleted resource opens at the last moment it existed (SPEC T3). */
  at?: string;
}

interface Option {
  choice: Choice;
  primary: string;
  secondary: string;
  /** Shown as a text badge beside the name ("deleted"), not by colour alone. */
  badge?: string;
}

let counter = 0;

export class SearchBox {
  readonly root: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private options: Option[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | undefined;

  constructor(
    label: string,
    private readonly onChoose: (choice: Choice) => void,
    private readonly recent: () => RecentEntry[] = () => [],
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    const id = `search-${++counter}`;
    this.input = h('input', {
      id,
      type: 'search',
      class: 'search-input',
      role: 'combobox',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': `${id}-list`,
      placeholder: 'id, name, ARN, tag, IP or DNS name',
    });
    this.list = h('ul', {
      id: `${id}-list`,
      role: 'listbox',
      class: 'search-list',
      'aria-label': `${label} suggestions`,
      hidden: true,
    });
    this.status = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.root = h(
      'div',
      { class: 'search' },
      h('label', { for: id, class: 'search-label' }, label),
      this.input,
      this.list,
      this.status,
    );
    this.input.addEventListener('input', () => this.schedule());
    this.input.addEventListener('focus', () => this.showRecentIfEmpty());
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const q = this.input.value.trim();
    if (!q) {
      this.showRecentIfEmpty();
      return;
    }
    this.timer = setTimeout(() => void this.fetch(q), 150);
  }

  private async fetch(q: string): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const hits = await api.search(q, 12, abort.signal);
      if (abort.signal.aborted || this.input.value.trim() !== q) return;
      this.show(
        hits.map(optionOf),
        hits.length ? `${hits.length} suggestions` : 'No match: press Enter to try it as an exact id or ARN',
      );
    } catch (err) {
      if (abort.signal.aborted) return;
      this.show([], err instanceof Error ? `Search failed: ${err.message}` : 'Search failed');
      this.onError(`search for "${q}" failed (${messageOf(err)})`);
    }
  }

  private showRecentIfEmpty(): void {
    if (this.input.value.trim()) return;
    const recent = this.recent();
    this.show(
      recent.map((r) => ({ choice: r, primary: r.label, secondary: 'recent' })),
      recent.length ? `${recent.length} recent searches` : '',
    );
  }

  private show(options: Option[], message: string): void {
    this.options = options;
    this.active = -1;
    const items = options.map((o, i) => {
      const li = h(
        'li',
        {
          id: `${this.list.id}-${i}`,
          role: 'option',
          class: 'search-option',
          'aria-selected': 'false',
          'data-ref': o.choice.ref,
        },
        h(
          'span',
          { class: 'option-primary' },
          o.primary,
          o.badge ? h('span', { class: 'badge warn option-badge' }, o.badge) : null,
        ),
        h('span', { class: 'option-secondary' }, o.secondary),
      );
      if (o.badge) li.classList.add('search-option-deleted');
      // pointerdown, not click: it fires before the input's blur closes the list.
      li.addEventListener('pointerdown', (e) => {
        e.preventDefault();
        this.choose(o.choice);
      });
      return li;
    });
    if (!options.length && message) items.push(h('li', { class: 'search-empty', role: 'presentation' }, message));
    replaceChildren(this.list, ...items);
    this.list.hidden = items.length === 0;
    this.input.setAttribute('aria-expanded', String(options.length > 0));
    this.input.removeAttribute('aria-activedescendant');
    this.status.textContent = message;
  }

  private highlight(index: number): void {
    const items = this.list.querySelectorAll<HTMLElement>('[role=option]');
    items.forEach((el, i) => el.setAttribute('aria-selected', String(i === index)));
    this.active = index;
    const el = items[index];
    if (el) {
      this.input.setAttribute('aria-activedescendant', el.id);
      el.scrollIntoView({ block: 'nearest' });
    }
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.options.length;
    if (e.key === 'ArrowDown' && n) {
      e.preventDefault();
      this.highlight((this.active + 1) % n);
    } else if (e.key === 'ArrowUp' && n) {
      e.preventDefault();
      this.highlight((this.active - 1 + n) % n);
    } else if (e.key === 'Escape') {
      this.close();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(this.timer);
      const option = this.options[this.active] ?? (this.options.length === 1 ? this.options[0] : undefined);
      if (option) this.choose(option.choice);
      else if (this.input.value.trim()) void this.enterTyped(this.input.value.trim());
    }
  }

  /** Enter without a highlighted suggestion: the best match if search finds one, else the text as a reference. */
  private async enterTyped(q: string): Promise<void> {
    try {
      const hits = await api.search(q, 1);
      const first = hits[0];
      this.choose(first ? optionOf(first).choice : { ref: q, label: q });
    } catch {
      this.choose({ ref: q, label: q });
    }
  }

  private choose(choice: Choice): void {
    this.close();
    this.input.value = choice.label;
    this.onChoose(choice);
  }

  close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }
}

function optionOf(hit: SearchHit): Option {
  const name = displayName(hit.node);
  const label = name === hit.node.resourceId ? name : `${name} (${hit.node.resourceId})`;
  const where = `${shortType(hit.node.resourceType)} · ${hit.node.accountId} · ${hit.node.awsRegion} · matched ${hit.matchedOn}: ${hit.matchedValue}`;
  if (!hit.deleted) return { choice: { ref: hit.node.key, label }, primary: label, secondary: where };
  // T3: a deleted resource opens as of the last moment it existed, where it can still be seen.
  const last = hit.node.lastExistedAt;
  const choice: Choice = { ref: hit.node.key, label, ...(last ? { at: last } : {}) };
  const when = `deleted ${formatTime(hit.node.deletedAt)}${last ? ` · opens as of ${formatTime(last)}` : ''}`;
  return { choice, primary: label, secondary: `${when} · ${where}`, badge: 'deleted' };
}
