// The side panel: its tabs (arrow keys move between them) and the tab shown: details, history,
// filters and the list of what is drawn, path, export. Each rendering replaces the last; an answer
// that arrives after a newer rendering started is dropped.
import type * as api from '../api.ts';
import type { Loaded } from '../data/view-data.ts';
import { h, replaceChildren } from '../dom.ts';
import { messageOf } from '../errors.ts';
import { facetsOf, filtersOf } from '../graph/shape.ts';
import { viewTime } from '../state/transitions.ts';
import { isCompare, PANELS, type PanelName, type ViewState } from '../state/view-state.ts';
import type { DrawingSettings } from '../state/settings.ts';
import { detailsPanel, type DetailsActions } from './details-panel.ts';
import { exportPanel, type ExportActions } from './export-panel.ts';
import { filtersPanel, type FiltersActions, type InViewItem } from './filters-panel.ts';
import { historyPanel, type CompareEnd } from './history-panel.ts';
import { pathPanel } from './path-panel.ts';

const PANEL_LABELS: Record<PanelName, string> = {
  details: 'Details',
  history: 'History',
  filters: 'Filters & list',
  path: 'Path',
  export: 'Export',
};

/** What the panels read, at the moment they are drawn. */
export interface PanelSources {
  state(): ViewState;
  loaded(): Loaded | undefined;
  settings(): DrawingSettings;
  resource(key: string, at: string | undefined): ReturnType<typeof api.resource>;
  history(key: string): ReturnType<typeof api.history>;
  /** What the canvas holds, as a list. */
  inView(): InViewItem[];
  /** Counted nodes opened in the view drawn (G11), which can be closed (G12). */
  openedBoxes(): readonly { id: string; label: string }[];
  /** The Path tab's own search box. */
  pathSearch: HTMLElement;
}

/** What the panels can do. */
export interface PanelActions {
  choose(panel: PanelName): void;
  details: DetailsActions;
  filters: FiltersActions;
  exports: ExportActions;
  showAt(time: string): void;
  compareEnd(time: string, end: CompareEnd): void;
  clearPath(): void;
}

export class SidePanel {
  readonly root: HTMLElement;
  private readonly tabs = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Side panel' });
  private readonly panel = h('div', { role: 'tabpanel', id: 'panel', class: 'panel', tabindex: 0 });
  private generation = 0;
  private exportMessage = '';

  constructor(
    private readonly sources: PanelSources,
    private readonly actions: PanelActions,
  ) {
    for (const p of PANELS) {
      const tab = h(
        'button',
        { type: 'button', role: 'tab', id: `tab-${p}`, 'aria-controls': 'panel', 'data-panel': p },
        PANEL_LABELS[p],
      );
      tab.addEventListener('click', () => actions.choose(p));
      tab.addEventListener('keydown', (e) => {
        const i = PANELS.indexOf(p);
        const next =
          e.key === 'ArrowRight'
            ? PANELS[(i + 1) % PANELS.length]
            : e.key === 'ArrowLeft'
              ? PANELS[(i - 1 + PANELS.length) % PANELS.length]
              : undefined;
        if (next) {
          e.preventDefault();
          actions.choose(next);
          document.getElementById(`tab-${next}`)?.focus();
        }
      });
      this.tabs.append(tab);
    }
    this.root = h('aside', { class: 'side', id: 'side-panel', 'aria-label': 'Side panel' }, this.tabs, this.panel);
  }

  /** Marks the tab of `panel` as the selected one. */
  sync(panel: PanelName): void {
    for (const tab of this.tabs.querySelectorAll<HTMLElement>('[role=tab]')) {
      const on = tab.dataset['panel'] === panel;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    this.panel.setAttribute('aria-labelledby', `tab-${panel}`);
  }

  /** The export status line, kept for when the Export tab is drawn again. */
  sayExport(message: string): void {
    this.exportMessage = message;
    const el = this.panel.querySelector('.export-status');
    if (el) el.textContent = message;
  }

  async render(): Promise<void> {
    const state = this.sources.state();
    const loaded = this.sources.loaded();
    this.sync(state.panel);
    const gen = ++this.generation;
    const focusKey = state.selected ?? loaded?.rootKey;
    const time = viewTime(state);
    const set = (...children: (Node | string | null)[]) => {
      if (gen === this.generation) replaceChildren(this.panel, ...children);
    };
    const muted = (text: string) => h('p', { class: 'muted' }, text);
    /** A tab that loads first: "Loading…", then what loaded or what failed. */
    const loading = async (what: string, fetch: () => Promise<HTMLElement>) => {
      set(muted(`Loading ${what}…`));
      try {
        set(await fetch());
      } catch (err) {
        set(h('p', { class: 'error' }, `Could not load ${what}: ${messageOf(err)}`));
      }
    };
    switch (state.panel) {
      case 'details':
        if (!focusKey) return set(muted('Search for a resource, then click a node to see its details.'));
        return loading('details', async () => {
          const view = await this.sources.resource(focusKey, time);
          return detailsPanel(view, time, state.expanded.includes(view.node.key), this.actions.details);
        });
      case 'history':
        if (!focusKey) return set(muted('Search for a resource to see its history.'));
        return loading('history', async () =>
          historyPanel(
            await this.sources.history(focusKey),
            time,
            (t) => this.actions.showAt(t),
            (t, end) => this.actions.compareEnd(t, end),
            isCompare(state) ? { from: state.compareFrom, to: state.compareTo } : undefined,
          ),
        );
      case 'filters': {
        const facets = loaded ? facetsOf(loaded.graph) : { types: [], accounts: [], regions: [] };
        return set(
          filtersPanel(
            facets,
            filtersOf(state),
            this.sources.inView(),
            this.sources.openedBoxes(),
            this.sources.settings(),
            { rules: loaded?.compliance?.rules, nonCompliantOnly: state.nonCompliantOnly, rule: state.rule },
            this.actions.filters,
          ),
        );
      }
      case 'path':
        return set(
          pathPanel(
            loaded?.graph.nodes.get(loaded.rootKey),
            this.sources.pathSearch,
            state.pathTo,
            loaded?.path?.result,
            () => this.actions.clearPath(),
          ),
        );
      case 'export':
        return set(exportPanel(loaded !== undefined, this.actions.exports, this.exportMessage));
    }
  }
}
