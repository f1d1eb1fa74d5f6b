// The explorer's controller: one ViewState (mirrored in the URL), the data loaded for it, and the
// views that show it. Data is refetched only when the state's data-bearing parts change; filters,
// grouping and hiding only reshape what is already loaded.
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { NEIGHBORHOOD_LIMIT } from '../../graph/query-limits.ts';
import type { Neighborhood, PathResult } from '../../graph/store.ts';
import * as api from './api.ts';
import { h, replaceChildren } from './dom.ts';
import {
  combineMarks,
  countMarks,
  marksFromDiff,
  marksFromGraphs,
  unionGraphs,
  type DiffMarks,
} from './graph/diff-marks.ts';
import { fragmentOf, mergeFragments, toggleExpansion, type Fragment, type LoadedGraph } from './graph/fragments.ts';
import { identityOfKey, shortType } from './graph/keys.ts';
import {
  cutNotes,
  effectiveView,
  foldMembersFragment,
  isFoldKey,
  openedFolds,
  typeOfRef,
  viewApplies,
  viewFragment,
} from './graph/purpose.ts';
import { displayName, facetsOf, shapeElements, type ViewFilters } from './graph/shape.ts';
import { readRecent, rememberRecent } from './recent.ts';
import { formatTime } from './time/format.ts';
import { timeRange } from './time/time-range.ts';
import {
  isCompare,
  LAYOUTS,
  PANELS,
  parseViewState,
  serialiseViewState,
  VIEW_CHOICES,
  type PanelName,
  type ViewChoice,
  type ViewState,
} from './state/view-state.ts';
import { changeLines, changeSummary } from './views/compare-panel.ts';
import { askLargeGraph } from './views/confirm-dialog.ts';
import { detailsPanel, type DetailsActions } from './views/details-panel.ts';
import { download } from './views/download.ts';
import { exportPanel } from './views/export-panel.ts';
import { filtersPanel, type InViewItem } from './views/filters-panel.ts';
import { GraphView } from './views/graph-view.ts';
import { historyPanel } from './views/history-panel.ts';
import { legend, legendEntries } from './views/legend.ts';
import { Minimap } from './views/minimap.ts';
import { SearchBox } from './views/search-box.ts';
import { StatusBanner } from './views/status-banner.ts';
import { tokenForm } from './views/token-form.ts';
import { GraphSummary } from './views/graph-summary.ts';
import { pngOfSvg, svgOfView, type PictureMeta } from './views/svg-from-cy.ts';
import { TimeBar } from './views/time-bar.ts';

const PANEL_LABELS: Record<PanelName, string> = {
  details: 'Details',
  history: 'History',
  filters: 'Filters & list',
  path: 'Path',
  export: 'Export',
};
const SETTINGS_KEY = 'configgraph.settings';
const NEIGHBOURHOOD_LIMIT = NEIGHBORHOOD_LIMIT.default;

interface Loaded {
  rootKey: string;
  graph: LoadedGraph;
  fragments: Fragment[];
  marks?: DiffMarks;
  path?: { result: PathResult; nodes: Set<string>; edges: Set<string> };
  notes: string[];
}

type Refresh = 'data' | 'shape' | 'relayout';

export class App {
  private state: ViewState;
  private loaded: Loaded | undefined;
  private generation = 0;
  private readonly cache = new Map<string, Promise<Neighborhood>>();
  private readonly historyCache = new Map<string, Promise<import('../../graph/store.ts').ResourceHistory>>();
  private readonly knownTimes = new Set<string>();
  private settings = { maxElements: 600, webgl: false };
  private approvedLarge = '';
  private exportMessage = '';

  private readonly search: SearchBox;
  private readonly pathSearch: SearchBox;
  private readonly graph: GraphView;
  private readonly minimap: Minimap;
  private readonly timeBar: TimeBar;
  private readonly status: StatusBanner;
  private readonly depth = h('select', { id: 'depth' });
  private readonly viewSelect = h('select', { id: 'view' });
  private readonly layout = h('select', { id: 'layout' });
  private readonly grouping = h('input', { type: 'checkbox', id: 'grouping' });
  private readonly message = h('div', { class: 'message', role: 'status', 'aria-live': 'polite' });
  private readonly notice = h('div', { class: 'notice-bar', role: 'status', hidden: true });
  private readonly legendSlot = h('div', { class: 'legend-slot' });
  private readonly summary = new GraphSummary(() => this.update({ showEnclosing: !this.state.showEnclosing }, 'shape'));
  private readonly tabs = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Side panel' });
  private readonly panel = h('div', { role: 'tabpanel', id: 'panel', class: 'panel', tabindex: 0 });
  private readonly cyContainer = h('div', {
    id: 'cy',
    class: 'cy',
    role: 'img',
    'aria-label': 'Graph of the resources in view (the Filters & list tab lists them)',
  });

  constructor(private readonly mount: HTMLElement) {
    this.state = parseViewState(location.search);
    this.loadSettings();
    this.search = new SearchBox(
      'Search resources',
      (c) => this.open(c.ref, c.label, c.at),
      () => readRecent(localStorage),
      (message) => this.status.reportFailure(message),
    );
    this.pathSearch = new SearchBox('Path to', (c) => this.update({ pathTo: c.ref, panel: 'path' }));
    this.timeBar = new TimeBar({
      setAt: (at) => this.update({ at }),
      setCompare: (c) =>
        this.update(c ? { compareFrom: c.from, compareTo: c.to } : { compareFrom: undefined, compareTo: undefined }),
    });
    this.status = new StatusBanner(() => {
      this.cache.clear();
      this.historyCache.clear();
      void this.refresh('data');
    });
    const minimapCanvas = h('canvas', {
      class: 'minimap',
      width: 168,
      height: 108,
      tabindex: 0,
      'aria-label': 'Navigator: click or drag to move the view; arrow keys pan',
    });
    // Cytoscape measures its container when created, so the page must be in the document first.
    this.buildLayout(minimapCanvas);
    this.graph = new GraphView(this.cyContainer, {
      select: (key) => this.selectKey(key),
      toggle: (key) => this.toggle(key),
      viewport: () => this.minimap.schedule(),
    });
    this.minimap = new Minimap(minimapCanvas, () => this.graph.cy);
  }

  private loadSettings(): void {
    try {
      const s: unknown = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}');
      if (api.isObject(s)) {
        if (typeof s['maxElements'] === 'number' && s['maxElements'] >= 50)
          this.settings.maxElements = s['maxElements'];
        if (typeof s['webgl'] === 'boolean') this.settings.webgl = s['webgl'];
      }
    } catch {
      // Defaults are fine.
    }
  }

  private saveSettings(): void {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(this.settings));
  }

  private buildLayout(minimapCanvas: HTMLCanvasElement): void {
    for (const d of [1, 2, 3]) this.depth.append(h('option', { value: d }, `${d} hop${d > 1 ? 's' : ''}`));
    const viewLabels: Record<ViewChoice, string> = {
      hops: 'Hops (depth)',
      attachments: 'Attachments',
      network: 'Network',
    };
    for (const v of VIEW_CHOICES) this.viewSelect.append(h('option', { value: v }, viewLabels[v]));
    this.viewSelect.addEventListener('change', () =>
      this.update({ view: this.viewSelect.value as ViewChoice, openFolds: [] }),
    );
    for (const l of LAYOUTS)
      this.layout.append(
        h(
          'option',
          { value: l },
          { fcose: 'Force (fCoSE)', concentric: 'Concentric', breadthfirst: 'Breadth-first', grid: 'Grid' }[l],
        ),
      );
    this.depth.addEventListener('change', () => this.update({ depth: Number(this.depth.value) as 1 | 2 | 3 }));
    this.layout.addEventListener('change', () =>
      this.update({ layout: this.layout.value as ViewState['layout'] }, 'relayout'),
    );
    this.grouping.addEventListener('change', () => this.update({ grouping: this.grouping.checked }, 'shape'));
    const button = (label: string, title: string, fn: () => void) => {
      const b = h('button', { type: 'button', title, 'aria-label': title }, label);
      b.addEventListener('click', fn);
      return b;
    };
    for (const p of PANELS) {
      const tab = h(
        'button',
        { type: 'button', role: 'tab', id: `tab-${p}`, 'aria-controls': 'panel', 'data-panel': p },
        PANEL_LABELS[p],
      );
      tab.addEventListener('click', () => this.update({ panel: p }, 'none'));
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
          this.update({ panel: next }, 'none');
          document.getElementById(`tab-${next}`)?.focus();
        }
      });
      this.tabs.append(tab);
    }
    const header = h(
      'header',
      { class: 'top' },
      h('h1', { class: 'brand' }, 'configgraph'),
      this.search.root,
      h('label', { for: 'view', title: 'What to show around the resource' }, 'View'),
      this.viewSelect,
      h('label', { for: 'depth' }, 'Depth'),
      this.depth,
      h('label', { for: 'layout' }, 'Layout'),
      this.layout,
      h(
        'label',
        { class: 'check', title: 'Draw boxes for account › region › VPC › availability zone › subnet' },
        this.grouping,
        ' Group boxes',
      ),
      h('span', { class: 'spacer' }),
      button('Fit', 'Fit the graph to the window', () => this.graph.fit()),
      button('+', 'Zoom in', () => this.graph.zoomBy(1.25)),
      button('−', 'Zoom out', () => this.graph.zoomBy(0.8)),
    );
    const canvasWrap = this.canvasWrap;
    canvasWrap.append(
      this.notice,
      h('div', { class: 'canvas-area' }, this.cyContainer, this.message, minimapCanvas),
      this.summary.root,
      this.legendSlot,
    );
    const aside = h('aside', { class: 'side', id: 'side-panel', 'aria-label': 'Side panel' }, this.tabs, this.panel);
    replaceChildren(
      this.mount,
      h('a', { class: 'skip-link', href: '#panel' }, 'Skip to the side panel'),
      header,
      this.status.root,
      this.timeBar.root,
      h('main', { class: 'workspace' }, canvasWrap, aside),
    );
  }

  start(): void {
    document.addEventListener('keydown', (e) => {
      const t = e.target as HTMLElement | null;
      const typing =
        t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        this.search.focus();
      }
    });
    window.addEventListener('popstate', () => {
      this.state = parseViewState(location.search);
      void this.refresh('data');
    });
    void this.status.load();
    void this.refresh('data');
  }

  // ---- state -------------------------------------------------------------------------------

  /** Applies a change, mirrors it in the URL and refreshes what it affects. */
  private update(patch: Partial<ViewState>, refresh: Refresh | 'none' | 'auto' = 'auto'): void {
    const before = this.state;
    const next: ViewState = { ...before, ...patch };
    for (const k of Object.keys(patch) as (keyof ViewState)[]) if (patch[k] === undefined) delete next[k];
    this.state = next;
    const dataChanged =
      before.resource !== next.resource ||
      before.depth !== next.depth ||
      before.view !== next.view ||
      before.openFolds.join() !== next.openFolds.join() ||
      before.at !== next.at ||
      before.compareFrom !== next.compareFrom ||
      before.compareTo !== next.compareTo ||
      before.pathTo !== next.pathTo ||
      before.expanded.join() !== next.expanded.join();
    // Navigation (a new resource, time or comparison) gets a history entry; tweaks replace it.
    const navigational =
      before.resource !== next.resource ||
      before.at !== next.at ||
      before.compareFrom !== next.compareFrom ||
      before.pathTo !== next.pathTo;
    const url = `${location.pathname}${serialiseViewState(next)}`;
    if (navigational) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    const kind = refresh === 'auto' ? (dataChanged ? 'data' : 'shape') : refresh;
    if (kind === 'none') {
      this.syncControls();
      this.graph.select(this.state.selected);
      void this.renderPanel();
      return;
    }
    void this.refresh(kind);
  }

  /** Opens a resource at the centre; `at` (a deleted search hit's last moment, T3) also moves the time. */
  private open(ref: string, label: string, at?: string): void {
    rememberRecent(localStorage, { ref, label });
    this.update({
      ...(at ? { at } : {}),
      resource: ref,
      view: undefined,
      openFolds: [],
      expanded: [],
      hiddenNodes: [],
      selected: undefined,
      pathTo: undefined,
      panel: this.state.panel === 'path' ? 'details' : this.state.panel,
    });
  }

  /** Selecting a counted node opens it: its members are drawn in its place (SPEC W2). */
  private selectKey(key: string | undefined): void {
    if (key !== undefined && isFoldKey(key))
      this.update({ openFolds: [...new Set([...this.state.openFolds, key])].sort() });
    else this.update({ selected: key }, 'none');
  }

  private toggle(key: string): void {
    if (isFoldKey(key)) return this.selectKey(key);
    const loaded = this.loaded;
    if (!loaded) return;
    this.update({ expanded: toggleExpansion(loaded.rootKey, this.state.expanded, loaded.fragments, key).sort() });
  }

  /** The latest capture known for this view: where "to" starts when comparing. */
  private latestCapture(): string | undefined {
    const moments = timeRange(this.knownTimes, Date.now()).moments;
    const last = moments[moments.length - 1];
    return last === undefined ? undefined : new Date(last).toISOString();
  }

  /** Sets one end of the comparison from the history list; the other end keeps or takes its default. */
  private compareEnd(time: string, end: 'from' | 'to'): void {
    const s = this.state;
    const other = end === 'from' ? (s.compareTo ?? this.latestCapture()) : s.compareFrom;
    let from = end === 'from' ? time : other;
    let to = end === 'to' ? time : other;
    if (from === undefined) {
      const moments = timeRange(this.knownTimes, Date.now()).moments.filter((m) => m < Date.parse(time));
      const prev = moments[moments.length - 1];
      from = prev === undefined ? time : new Date(prev).toISOString();
    }
    if (to === undefined) to = time;
    if (from > to) [from, to] = [to, from];
    this.update({ compareFrom: from, compareTo: to, at: undefined });
  }

  private get viewTime(): string | undefined {
    return isCompare(this.state) ? this.state.compareTo : this.state.at;
  }

  /** The start resource's type, from what is loaded or else from the reference itself. */
  private get rootType(): string | undefined {
    const loadedType = this.loaded ? identityOfKey(this.loaded.rootKey)?.resourceType : undefined;
    return typeOfRef(this.state.resource ?? '') ?? loadedType;
  }

  private get currentView(): ViewChoice {
    return effectiveView(this.state.view, this.rootType);
  }

  private syncControls(): void {
    this.depth.value = String(this.state.depth);
    const view = this.currentView;
    this.viewSelect.value = view;
    for (const o of this.viewSelect.options) o.disabled = !viewApplies(o.value as ViewChoice, this.rootType);
    this.depth.disabled = view !== 'hops';
    this.depth.title = view === 'hops' ? '' : 'Depth applies to the Hops view';
    this.layout.value = this.state.layout;
    this.grouping.checked = this.state.grouping;
    for (const tab of this.tabs.querySelectorAll<HTMLElement>('[role=tab]')) {
      const on = tab.dataset['panel'] === this.state.panel;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    this.panel.setAttribute('aria-labelledby', `tab-${this.state.panel}`);
  }

  // ---- data --------------------------------------------------------------------------------

  private neighbourhood(ref: string, depth: number, at: string | undefined): Promise<Neighborhood> {
    const key = `${ref}\n${depth}\n${at ?? 'now'}`;
    let p = this.cache.get(key);
    if (!p) {
      p = api.neighborhood(ref, { depth, limit: NEIGHBOURHOOD_LIMIT, ...(at ? { at } : {}) });
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  private historyOf(key: string): Promise<import('../../graph/store.ts').ResourceHistory> {
    let p = this.historyCache.get(key);
    if (!p) {
      p = api.history(key);
      p.catch(() => this.historyCache.delete(key));
      this.historyCache.set(key, p);
    }
    return p;
  }

  /** The root's neighbourhood plus one fragment per expanded node, all as of `at`. */
  private async fragmentsAt(
    at: string | undefined,
    notes: string[],
  ): Promise<{ rootKey: string; fragments: Fragment[] }> {
    const view = this.currentView;
    if (view !== 'hops') {
      const v = await api.view(this.state.resource!, { kind: view, limit: NEIGHBOURHOOD_LIMIT, ...(at ? { at } : {}) });
      const fragments = [viewFragment(v, this.state.openFolds)];
      const folds = openedFolds(v, this.state.openFolds);
      const members = await Promise.allSettled(
        folds.map((f) =>
          api.neighborhood(f.parent, {
            depth: 1,
            types: [f.resourceType],
            limit: NEIGHBOURHOOD_LIMIT,
            ...(at ? { at } : {}),
          }),
        ),
      );
      members.forEach((r, i) => {
        if (r.status === 'fulfilled') fragments.push(foldMembersFragment(folds[i]!, r.value));
        else
          notes.push(
            `Could not open ${folds[i]!.id}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`,
          );
      });
      await this.addExpansions(fragments, at, notes);
      return { rootKey: v.root, fragments };
    }
    const rootN = await this.neighbourhood(this.state.resource!, this.state.depth, at);
    const fragments = [fragmentOf(rootN.root, rootN)];
    await this.addExpansions(fragments, at, notes);
    return { rootKey: rootN.root, fragments };
  }

  /** One depth-1 fragment per expanded node, in every view. */
  private async addExpansions(fragments: Fragment[], at: string | undefined, notes: string[]): Promise<void> {
    const expansions = await Promise.allSettled(this.state.expanded.map((k) => this.neighbourhood(k, 1, at)));
    expansions.forEach((r, i) => {
      if (r.status === 'fulfilled') fragments.push(fragmentOf(this.state.expanded[i]!, r.value));
      else
        notes.push(
          `Could not expand ${this.state.expanded[i]} ${at ? `at ${formatTime(at)}` : ''}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`,
        );
    });
  }

  private async load(): Promise<Loaded> {
    const notes: string[] = [];
    const s = this.state;
    let rootKey: string;
    let fragments: Fragment[];
    let graph: LoadedGraph;
    let marks: DiffMarks | undefined;
    if (isCompare(s)) {
      const [before, after] = await Promise.all([
        this.fragmentsAt(s.compareFrom, notes).catch(() => undefined),
        this.fragmentsAt(s.compareTo, notes),
      ]);
      rootKey = after.rootKey;
      fragments = after.fragments;
      const afterGraph = mergeFragments(after.fragments);
      const beforeGraph = before
        ? mergeFragments(before.fragments)
        : { nodes: new Map(), edges: new Map(), truncated: false };
      if (!before) notes.push(`The resource did not exist at ${formatTime(s.compareFrom)}.`);
      graph = unionGraphs(beforeGraph, afterGraph);
      const local = marksFromGraphs(beforeGraph, afterGraph);
      const id = identityOfKey(rootKey);
      try {
        const d = await api.diff(s.compareFrom, s.compareTo, id ? { account: id.accountId, region: id.awsRegion } : {});
        marks = combineMarks(marksFromDiff(d), local);
      } catch (err) {
        notes.push(
          `Compared the view only (the account-wide diff failed: ${err instanceof Error ? err.message : String(err)}).`,
        );
        marks = local;
      }
    } else {
      ({ rootKey, fragments } = await this.fragmentsAt(s.at, notes));
      graph = mergeFragments(fragments);
    }
    const loaded: Loaded = { rootKey, graph, fragments, notes };
    if (marks) loaded.marks = marks;
    if (s.pathTo) {
      try {
        const result = await api.path(rootKey, s.pathTo, this.viewTime);
        if (result.found) {
          for (const n of result.nodes) if (!graph.nodes.has(n.key)) graph.nodes.set(n.key, n);
          for (const e of result.edges) if (!graph.edges.has(e.id)) graph.edges.set(e.id, e);
          loaded.path = {
            result,
            nodes: new Set(result.nodes.map((n) => n.key)),
            edges: new Set(result.edges.map((e) => e.id)),
          };
        } else {
          loaded.path = { result, nodes: new Set(), edges: new Set() };
          notes.push('No path between the two resources within the search depth.');
        }
      } catch (err) {
        notes.push(`Path search failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const n of graph.nodes.values()) this.knownTimes.add(n.captureTime ?? '');
    for (const e of graph.edges.values()) {
      this.knownTimes.add(e.validFrom);
      if (e.validTo) this.knownTimes.add(e.validTo);
    }
    try {
      const hist = await this.historyOf(rootKey);
      for (const v of hist.versions) this.knownTimes.add(v.captureTime);
    } catch {
      // The slider still works from the graph's own times.
    }
    return loaded;
  }

  // ---- rendering ---------------------------------------------------------------------------

  private showMessage(kind: 'loading' | 'empty' | 'error' | 'none', title = '', detail = ''): void {
    this.message.className = `message message-${kind}`;
    this.message.hidden = kind === 'none';
    replaceChildren(this.message, title ? h('strong', {}, title) : null, detail ? h('p', {}, detail) : null);
  }

  /** aria-busy on the graph while it loads and draws (assistive tech and tests wait on it). */
  private readonly canvasWrap = h('section', { class: 'canvas-wrap', 'aria-label': 'Graph', 'aria-busy': 'false' });

  private async refresh(kind: Refresh): Promise<void> {
    const gen = ++this.generation;
    this.canvasWrap.setAttribute('aria-busy', 'true');
    try {
      await this.refreshNow(kind, gen);
    } finally {
      if (gen === this.generation) this.canvasWrap.setAttribute('aria-busy', 'false');
    }
  }

  private async refreshNow(kind: Refresh, gen: number): Promise<void> {
    this.syncControls();
    if (!this.state.resource) {
      this.loaded = undefined;
      await this.graph.draw([], { layout: this.state.layout, relayout: true, webgl: this.settings.webgl });
      this.summary.update(undefined);
      this.showMessage(
        'empty',
        'Find a resource to start',
        'Type an instance id, name, ARN, tag value, IP address or DNS name in the search box (press / to jump there), then Enter.',
      );
      this.timeBar.update(timeRange([], Date.now()), undefined, undefined);
      this.notice.hidden = true;
      replaceChildren(this.legendSlot, legend());
      void this.renderPanel();
      return;
    }
    if (kind === 'data' || !this.loaded) {
      this.showMessage(
        'loading',
        'Loading…',
        `Fetching the neighbourhood of ${this.state.resource}${this.viewTime ? ` as of ${formatTime(this.viewTime)}` : ''}.`,
      );
      try {
        const loaded = await this.load();
        if (gen !== this.generation) return;
        this.loaded = loaded;
      } catch (err) {
        if (gen !== this.generation) return;
        const e = err instanceof api.ApiError ? err : undefined;
        const failure = `Could not load ${this.state.resource}: ${err instanceof Error ? err.message : String(err)}`;
        this.status.reportFailure(failure);
        if (this.loaded && (e === undefined || e.status === 0 || e.status >= 500)) {
          // The server went away or failed: what is on screen stays, and the notice says what failed.
          this.showFailureKeepingView(failure);
          return;
        }
        this.loaded = undefined;
        await this.graph.draw([], { layout: this.state.layout, relayout: true, webgl: this.settings.webgl });
        this.summary.update(undefined);
        const what =
          e?.status === 404
            ? 'Nothing matches that reference (at that time). Check the id, or search for it by name or tag.'
            : e?.status === 400 && e.candidates?.length
              ? `It matches several resources; choose one: ${e.candidates.slice(0, 5).join(', ')}`
              : e?.status === 401
                ? 'This server needs its access token (CONFIGGRAPH_TOKEN). Paste it below; it is kept only in this tab.'
                : e?.status === 503
                  ? 'The graph store is unavailable; check the server log and try again.'
                  : e?.accepted
                    ? `Accepted: ${e.accepted}`
                    : 'Check that the server is running, then try again.';
        this.showMessage(
          'error',
          `Could not load ${this.state.resource}: ${err instanceof Error ? err.message : String(err)}`,
          what,
        );
        if (e?.status === 401) this.message.append(this.tokenForm());
        void this.renderPanel();
        return;
      }
    }
    if (this.status.failed) void this.status.load();
    await this.draw(kind === 'relayout', gen);
  }

  /** A failed load over a drawn view: the view stays, the notice above it says what failed. */
  private showFailureKeepingView(failure: string): void {
    this.showMessage('none');
    this.notice.hidden = false;
    const still = this.rootLabel();
    replaceChildren(
      this.notice,
      h('p', { class: 'notice-error', role: 'alert' }, `${failure}.`),
      h(
        'p',
        {},
        `Still showing the last view that loaded${still ? ` (${still})` : ''}. Check that the server is running, then try again.`,
      ),
    );
  }

  /** For servers bound beyond loopback: the token goes to sessionStorage, never into the URL. */
  private tokenForm(): HTMLElement {
    return tokenForm(() => {
      void this.status.load();
      void this.refresh('data');
    });
  }

  private filters(): ViewFilters {
    const s = this.state;
    return {
      hiddenTypes: s.hiddenTypes,
      hiddenAccounts: s.hiddenAccounts,
      hiddenRegions: s.hiddenRegions,
      hiddenNodes: s.hiddenNodes,
    };
  }

  private async draw(relayout: boolean, gen: number): Promise<void> {
    const loaded = this.loaded!;
    const shaped = shapeElements({
      graph: loaded.graph,
      root: loaded.rootKey,
      filters: this.filters(),
      grouping: this.state.grouping,
      showEnclosing: this.state.showEnclosing,
      expanded: this.state.expanded,
      ...(loaded.marks ? { marks: loaded.marks } : {}),
      ...(loaded.path ? { path: { nodes: loaded.path.nodes, edges: loaded.path.edges } } : {}),
    });
    const count = shaped.visibleNodes.length + shaped.visibleEdges.length;
    let webgl = this.settings.webgl;
    const signature = `${this.state.resource}|${count}`;
    if (count > this.settings.maxElements && this.approvedLarge !== signature) {
      const choice = await askLargeGraph(count, this.settings.maxElements);
      if (gen !== this.generation) return;
      if (choice === 'cancel') {
        await this.graph.draw([], { layout: this.state.layout, relayout: true, webgl });
        this.summary.update(undefined);
        this.showMessage(
          'empty',
          `Not drawn: ${count} elements`,
          'Hide types in Filters & list, lower the depth, or raise the limit under Drawing, then draw again.',
        );
        void this.renderPanel();
        return;
      }
      this.approvedLarge = signature;
      if (choice === 'webgl') {
        webgl = true;
        this.settings.webgl = true;
        this.saveSettings();
      }
    }
    this.showMessage(
      shaped.visibleNodes.length ? 'none' : 'empty',
      'Everything is filtered out',
      'Tick types, accounts or regions again under Filters & list.',
    );
    const counts = loaded.marks ? countMarks(loaded.marks, shaped.visibleNodes) : undefined;
    replaceChildren(this.legendSlot, legend(counts));
    if (loaded.marks && isCompare(this.state))
      this.legendSlot.append(
        changeSummary(
          changeLines(loaded.marks, loaded.graph, new Set(shaped.visibleNodes), new Set(shaped.visibleEdges)),
          { from: formatTime(this.state.compareFrom), to: formatTime(this.state.compareTo) },
          (key) => {
            this.update({ selected: key }, 'none');
            this.graph.centreOn(key);
          },
        ),
      );
    await this.graph.draw(shaped.elements, { layout: this.state.layout, relayout, webgl });
    if (gen !== this.generation) return;
    this.summary.update({
      nodes: shaped.visibleNodes.length,
      edges: shaped.visibleEdges.length,
      groups: shaped.groupCount,
      enclosing: shaped.enclosingCount,
      showEnclosing: this.state.showEnclosing,
    });
    this.graph.select(this.state.selected);
    this.minimap.schedule();
    const notes = [...loaded.notes];
    const cuts = cutNotes(loaded.fragments, (key) => {
      const n = loaded.graph.nodes.get(key);
      return n ? `${displayName(n)} (${shortType(n.resourceType)})` : key;
    });
    for (const c of cuts) notes.push(c.text);
    if (loaded.graph.truncated && !cuts.length)
      notes.push(
        'Some neighbours were left out (the neighbourhood is truncated): lower the depth or expand nodes one by one.',
      );
    if (shaped.hiddenCount)
      notes.push(`${shaped.hiddenCount} resource${shaped.hiddenCount === 1 ? '' : 's'} hidden by filters.`);
    if (this.viewTime) notes.unshift(`Showing the graph as of ${formatTime(this.viewTime)}.`);
    if (isCompare(this.state))
      notes.unshift(`Comparing ${formatTime(this.state.compareFrom)} → ${formatTime(this.state.compareTo)}.`);
    this.notice.hidden = notes.length === 0;
    replaceChildren(this.notice, ...notes.map((n) => h('p', {}, n)));
    this.timeBar.update(
      timeRange(this.knownTimes, Date.now()),
      this.state.at,
      isCompare(this.state) ? { from: this.state.compareFrom, to: this.state.compareTo } : undefined,
    );
    document.title = `${this.rootLabel()} · configgraph`;
    await this.renderPanel();
  }

  private rootLabel(): string {
    const root = this.loaded ? this.loaded.graph.nodes.get(this.loaded.rootKey) : undefined;
    return root ? displayName(root) : (this.state.resource ?? '');
  }

  // ---- side panel --------------------------------------------------------------------------

  private readonly detailsActions: DetailsActions = {
    open: (key) => {
      const n = this.loaded?.graph.nodes.get(key);
      this.open(key, n ? `${displayName(n)}${displayName(n) === n.resourceId ? '' : ` (${n.resourceId})`}` : key);
    },
    toggle: (key) => this.toggle(key),
    showAt: (at) => this.update({ at }),
    hide: (key) => this.update({ hiddenNodes: [...this.state.hiddenNodes, key].sort(), selected: undefined }),
    history: (key) => this.update({ selected: key, panel: 'history' }, 'none'),
    pathFrom: (key) => {
      if (key !== this.loaded?.rootKey) this.update({ resource: key, expanded: [], pathTo: undefined, panel: 'path' });
      else this.update({ panel: 'path' }, 'none');
      this.pathSearch.focus();
    },
  };

  private panelGen = 0;

  private async renderPanel(): Promise<void> {
    this.syncControls();
    const gen = ++this.panelGen;
    const focusKey = this.state.selected ?? this.loaded?.rootKey;
    const set = (...children: (Node | string | null)[]) => {
      if (gen === this.panelGen) replaceChildren(this.panel, ...children);
    };
    switch (this.state.panel) {
      case 'details': {
        if (!focusKey)
          return set(h('p', { class: 'muted' }, 'Search for a resource, then click a node to see its details.'));
        set(h('p', { class: 'muted' }, 'Loading details…'));
        try {
          const view = await api.resource(focusKey, this.viewTime);
          set(detailsPanel(view, this.viewTime, this.state.expanded.includes(view.node.key), this.detailsActions));
        } catch (err) {
          set(
            h('p', { class: 'error' }, `Could not load details: ${err instanceof Error ? err.message : String(err)}`),
          );
        }
        return;
      }
      case 'history': {
        if (!focusKey) return set(h('p', { class: 'muted' }, 'Search for a resource to see its history.'));
        set(h('p', { class: 'muted' }, 'Loading history…'));
        try {
          const hist = await this.historyOf(focusKey);
          set(
            historyPanel(
              hist,
              this.viewTime,
              (time) => this.update({ at: time, compareFrom: undefined, compareTo: undefined }),
              (time, end) => this.compareEnd(time, end),
              isCompare(this.state) ? { from: this.state.compareFrom, to: this.state.compareTo } : undefined,
            ),
          );
        } catch (err) {
          set(
            h('p', { class: 'error' }, `Could not load history: ${err instanceof Error ? err.message : String(err)}`),
          );
        }
        return;
      }
      case 'filters': {
        const facets = this.loaded ? facetsOf(this.loaded.graph) : { types: [], accounts: [], regions: [] };
        return set(
          filtersPanel(facets, this.filters(), this.inView(), this.settings, {
            setHidden: (kind, values) => this.update({ [kind]: [...values].sort() }, 'shape'),
            select: (key) => {
              this.selectKey(key);
              if (!isFoldKey(key)) this.graph.centreOn(key);
            },
            toggle: (key) => this.toggle(key),
            hide: (key) => this.detailsActions.hide(key),
            setMaxElements: (n) => {
              this.settings.maxElements = n;
              this.saveSettings();
            },
            nameOf: (key) => {
              const n = this.loaded?.graph.nodes.get(key);
              return n ? `${displayName(n)} (${shortType(n.resourceType)})` : key;
            },
            setWebgl: (on) => {
              this.settings.webgl = on;
              this.saveSettings();
              void this.refresh('shape');
            },
          }),
        );
      }
      case 'path':
        return set(this.pathPanel());
      case 'export':
        return set(
          exportPanel(
            this.loaded !== undefined,
            { image: (k, r) => this.exportImage(k, r), file: (f, w, r) => void this.exportFile(f, w, r) },
            this.exportMessage,
          ),
        );
    }
  }

  /** What Cytoscape actually holds, as a list (the canvas itself is not readable by assistive tech). */
  private inView(): InViewItem[] {
    const items: InViewItem[] = [];
    this.graph.cy.nodes('.resource').forEach((n) => {
      const mark = ['added', 'removed', 'changed'].find((m) => n.hasClass(`diff-${m}`));
      const item: InViewItem = {
        key: n.id(),
        label: String(n.data('label') ?? '').split('\n')[0] ?? n.id(),
        type: String(n.data('resourceType') ?? ''),
        expanded: n.hasClass('expanded'),
        root: n.hasClass('root'),
        status: String(n.data('status') ?? ''),
      };
      if (mark) item.mark = mark;
      items.push(item);
    });
    return items.sort(
      (a, b) => Number(b.root) - Number(a.root) || a.type.localeCompare(b.type) || a.label.localeCompare(b.label),
    );
  }

  private pathPanel(): HTMLElement {
    const rootNode = this.loaded?.graph.nodes.get(this.loaded.rootKey);
    const wrap = h('div', { class: 'path' }, h('h2', {}, 'How are two resources connected?'));
    if (!rootNode) {
      wrap.append(
        h('p', { class: 'muted' }, 'Open the first resource with the search box, then choose the second one here.'),
      );
      return wrap;
    }
    wrap.append(
      h('p', {}, `From: ${displayName(rootNode)} (${shortType(rootNode.resourceType)})`),
      this.pathSearch.root,
    );
    const result = this.loaded?.path?.result;
    if (this.state.pathTo) {
      const clear = h('button', { type: 'button' }, 'Clear path');
      clear.addEventListener('click', () => this.update({ pathTo: undefined }));
      wrap.append(clear);
    }
    if (result && !result.found)
      wrap.append(h('p', { class: 'notice' }, 'No path found within the search depth (at this time).'));
    if (result?.found) wrap.append(pathSteps(result));
    return wrap;
  }

  // ---- export ------------------------------------------------------------------------------

  private setExportMessage(msg: string): void {
    this.exportMessage = msg;
    const el = this.panel.querySelector('.export-status');
    if (el) el.textContent = msg;
  }

  /** Swaps labels for neutral ones ("EC2 Instance 3") while `fn` runs, for redacted pictures. */
  private withRedactedLabels<T>(redact: boolean, fn: () => T): T {
    if (!redact) return fn();
    const cy = this.graph.cy;
    const saved = new Map<string, unknown>();
    const counters = new Map<string, number>();
    cy.batch(() =>
      cy.nodes().forEach((n) => {
        saved.set(n.id(), n.data('label'));
        const kind = n.hasClass('group')
          ? String(n.data('groupKind'))
          : shortType(String(n.data('resourceType') ?? 'resource'));
        const i = (counters.get(kind) ?? 0) + 1;
        counters.set(kind, i);
        n.data('label', `${kind} ${i}`);
      }),
    );
    try {
      return fn();
    } finally {
      cy.batch(() => {
        cy.nodes().forEach((n) => {
          n.data('label', saved.get(n.id()));
        });
      });
    }
  }

  /** What a picture of the view says about itself: its title, the time it shows, and its legend. */
  private pictureMeta(redact: boolean): PictureMeta {
    const families = new Set<string>();
    this.graph.cy.nodes('.resource').forEach((n) => {
      families.add(String(n.data('family') ?? 'other'));
    });
    const loaded = this.loaded;
    const counts = loaded?.marks
      ? countMarks(
          loaded.marks,
          this.graph.cy.nodes('.resource').map((n) => n.id()),
        )
      : undefined;
    const asOf = isCompare(this.state)
      ? `${formatTime(this.state.compareFrom)} → ${formatTime(this.state.compareTo)} (compared)`
      : this.state.at
        ? formatTime(this.state.at)
        : `${formatTime(new Date().toISOString())} (latest)`;
    return {
      title: redact ? 'configgraph view' : `configgraph: ${this.rootLabel()}`,
      asOf,
      legend: legendEntries(families, counts),
    };
  }

  private exportImage(kind: 'png' | 'svg', redact: boolean): void {
    const stamp = (this.viewTime ?? new Date().toISOString()).replace(/[:.]/g, '-');
    const svg = this.withRedactedLabels(redact, () => svgOfView(this.graph.cy, this.pictureMeta(redact)));
    const saved = () => this.setExportMessage(`Saved the ${kind.toUpperCase()}${redact ? ' (redacted)' : ''}.`);
    if (kind === 'svg') {
      download(new Blob([svg], { type: 'image/svg+xml' }), `configgraph-view-${stamp}.svg`);
      saved();
      return;
    }
    // The PNG is the same picture as the SVG (icons, arrowheads, "as of", legend), rasterised.
    this.setExportMessage('Drawing the PNG…');
    pngOfSvg(svg).then(
      (blob) => {
        download(blob, `configgraph-view-${stamp}.png`);
        saved();
      },
      (err: unknown) => this.setExportMessage(`PNG export failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private async exportFile(format: api.ExportFormat, whole: boolean, redact: boolean): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) return;
    const id = identityOfKey(loaded.rootKey);
    const query: Record<string, string | number | undefined> = whole
      ? { scope: id ? `${id.accountId}/${id.awsRegion}` : undefined }
      : { ref: loaded.rootKey, depth: this.state.depth };
    if (this.viewTime) query['at'] = this.viewTime;
    if (redact) query['redact'] = 'true';
    this.setExportMessage(`Exporting ${format}…`);
    try {
      const { blob, filename } = await api.fetchExport(format, query);
      download(blob, filename);
      this.setExportMessage(`Saved ${filename} (${blob.size} bytes).`);
    } catch (err) {
      const unsupported = redact && err instanceof api.ApiError && err.status === 400 && /redact/.test(err.message);
      this.setExportMessage(
        unsupported
          ? 'This server cannot redact data exports yet. Untick "Redact" for the data files, or export PNG/SVG, which are redacted here in the browser.'
          : `Export failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

function pathSteps(result: PathResult): HTMLElement {
  const byKey = new Map<string, ResourceNode>(result.nodes.map((n) => [n.key, n]));
  const list = h('ol', { class: 'path-steps' });
  const label = (key: string) => {
    const n = byKey.get(key);
    if (!n) return key;
    const name = displayName(n);
    return name === n.resourceId
      ? `${name} (${shortType(n.resourceType)})`
      : `${name} (${shortType(n.resourceType)} ${n.resourceId})`;
  };
  const first = result.nodes[0];
  if (first) list.append(h('li', {}, label(first.key)));
  let current = first?.key;
  const remaining: GraphEdge[] = [...result.edges];
  while (current && remaining.length) {
    const i = remaining.findIndex((e) => e.source === current || e.target === current);
    if (i < 0) break;
    const e = remaining.splice(i, 1)[0]!;
    const forward = e.source === current;
    const next = forward ? e.target : e.source;
    list.append(
      h(
        'li',
        { class: 'path-edge' },
        `${forward ? '→' : '←'} "${e.name.trim()}"${e.origin === 'derived' ? ' (derived)' : ''}`,
      ),
      h('li', {}, label(next)),
    );
    current = next;
  }
  return list;
}
