// The explorer's wiring: one ViewState (mirrored in the address bar), the data loaded for it, and
// the parts that show it: toolbar, time bar, canvas, side panel. Data is fetched again only when
// the state's data-bearing parts change; filters, grouping and hiding only reshape what is loaded.
// What each part does lives in its own module; here is only who tells whom.
import * as api from './api.ts';
import { describeLoadFailure, keptViewNotice } from './data/load-failure.ts';
import { rootLabel, rootType, ViewData, type Loaded } from './data/view-data.ts';
import { h, replaceChildren } from './dom.ts';
import { Exporter } from './export/exporter.ts';
import { toggleExpansion } from './graph/fragments.ts';
import { effectiveView, isFoldKey } from './graph/purpose.ts';
import { displayName, type ShapedGraph } from './graph/shape.ts';
import { readRecent, rememberRecent } from './recent.ts';
import { readAddress, writeAddress } from './state/address-bar.ts';
import { largeGraphSignature, mustAskBeforeDrawing, readSettings, saveSettings } from './state/settings.ts';
import {
  applyPatch,
  needsData,
  openForSelection,
  openPatch,
  selectPatch,
  viewTime,
  type Refresh,
  closePatch,
} from './state/transitions.ts';
import { isCompare, type ViewChoice, type ViewState } from './state/view-state.ts';
import { formatTime } from './time/format.ts';
import { compareEnds } from './time/known-times.ts';
import { timeRange } from './time/time-range.ts';
import { Canvas, shapingLoaded } from './views/canvas.ts';
import { askLargeGraph } from './views/confirm-dialog.ts';
import { SearchBox } from './views/search-box.ts';
import { SidePanel } from './views/side-panel.ts';
import { StatusBanner } from './views/status-banner.ts';
import { TimeBar } from './views/time-bar.ts';
import { tokenForm } from './views/token-form.ts';
import { Toolbar } from './views/toolbar.ts';
import { nameWithType } from './views/view-notes.ts';
import { inSteps } from './views/yielding.ts';

export class App {
  private state: ViewState;
  private loaded: Loaded | undefined;
  /** Counts refreshes, so a slow one never overwrites what a newer one drew. */
  private generation = 0;
  private readonly data = new ViewData(api);
  private readonly settings = readSettings(localStorage);
  /** The large graph the user agreed to draw (largeGraphSignature). */
  private approvedLarge = '';
  /** What was drawn last: which resources are folded in counted boxes (G11). */
  private lastShaped: ShapedGraph | undefined;
  /** A resource the next draw centres on (one whose counted box was opened to show it). */
  private focusNext: string | undefined;

  private readonly search: SearchBox;
  private readonly pathSearch: SearchBox;
  private readonly timeBar: TimeBar;
  private readonly status: StatusBanner;
  private readonly toolbar: Toolbar;
  private readonly side: SidePanel;
  private readonly canvas: Canvas;
  private readonly exporter: Exporter;

  constructor(mount: HTMLElement) {
    this.state = readAddress();
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
      this.data.clear();
      void this.refresh('data');
    });
    this.toolbar = new Toolbar(this.search.root, {
      setView: (view) => this.update({ view, openFolds: [] }),
      setDepth: (depth) => this.update({ depth }),
      setLayout: (layout) => this.update({ layout }, 'relayout'),
      setGrouping: (grouping) => this.update({ grouping }, 'shape'),
      fit: () => this.canvas.graph.fit(),
      zoomBy: (factor) => this.canvas.graph.zoomBy(factor),
    });
    this.side = new SidePanel(
      {
        state: () => this.state,
        loaded: () => this.loaded,
        settings: () => this.settings,
        resource: (key, at) => api.resource(key, at),
        history: (key) => this.data.historyOf(key),
        inView: () => this.canvas.inView(),
        openedBoxes: () => this.lastShaped?.openedBoxes ?? [],
        pathSearch: this.pathSearch.root,
      },
      {
        choose: (panel) => this.update({ panel }, 'none'),
        details: {
          open: (key) => {
            const n = this.loaded?.graph.nodes.get(key);
            const name = n ? displayName(n) : key;
            this.open(key, n && name !== n.resourceId ? `${name} (${n.resourceId})` : name);
          },
          toggle: (key) => this.toggle(key),
          showAt: (at) => this.update({ at }),
          hide: (key) => this.hide(key),
          history: (key) => this.update({ selected: key, panel: 'history' }, 'none'),
          pathFrom: (key) => {
            if (key !== this.loaded?.rootKey)
              this.update({ resource: key, expanded: [], pathTo: undefined, panel: 'path' });
            else this.update({ panel: 'path' }, 'none');
            this.pathSearch.focus();
          },
        },
        filters: {
          setHidden: (kind, values) => this.update({ [kind]: [...values].sort() }, 'shape'),
          select: (key) => {
            this.selectKey(key);
            if (!isFoldKey(key)) this.canvas.graph.centreOn(key);
          },
          toggle: (key) => this.toggle(key),
          hide: (key) => this.hide(key),
          setMaxElements: (n) => {
            this.settings.maxElements = n;
            saveSettings(localStorage, this.settings);
          },
          nameOf: (key) => (this.loaded ? nameWithType(this.loaded.graph, key) : key),
          setNonCompliantOnly: (nonCompliantOnly) => this.update({ nonCompliantOnly }, 'shape'),
          setRule: (rule) => this.update({ rule }, 'shape'),
          setWebgl: (on) => {
            this.settings.webgl = on;
            saveSettings(localStorage, this.settings);
            void this.refresh('shape');
          },
          close: (foldId) => {
            const box = this.lastShaped?.openedBoxes.find((b) => b.id === foldId);
            if (box) this.update(closePatch(this.state, box), 'shape');
          },
        },
        exports: {
          image: (kind, redact) => this.exporter.image(kind, redact),
          file: (format, whole, redact) => void this.exporter.file(format, whole, redact),
        },
        showAt: (time) => this.update({ at: time, compareFrom: undefined, compareTo: undefined }),
        compareEnd: (time, end) => {
          const { from, to } = compareEnds(time, end, this.state, this.data.knownTimes.range(Date.now()).moments);
          this.update({ compareFrom: from, compareTo: to, at: undefined });
        },
        clearPath: () => this.update({ pathTo: undefined }),
      },
    );
    // The page goes into the document before the canvas is created (Cytoscape measures it).
    this.canvas = new Canvas(
      {
        select: (key) => this.selectKey(key),
        toggle: (key) => this.toggle(key),
        toggleEnclosing: () => this.update({ showEnclosing: !this.state.showEnclosing }, 'shape'),
      },
      (canvasRoot) =>
        replaceChildren(
          mount,
          h('a', { class: 'skip-link', href: '#panel' }, 'Skip to the side panel'),
          this.toolbar.root,
          this.status.root,
          this.timeBar.root,
          h('main', { class: 'workspace' }, canvasRoot, this.side.root),
        ),
    );
    this.exporter = new Exporter(this.canvas.graph, {
      state: () => this.state,
      loaded: () => this.loaded,
      rootLabel: () => rootLabel(this.loaded, this.state.resource),
      say: (message) => this.side.sayExport(message),
    });
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
      this.state = readAddress();
      void this.refresh('data');
    });
    void this.status.load();
    void this.refresh('data');
  }

  // ---- state -------------------------------------------------------------------------------

  /** Applies a change, mirrors it in the address bar and refreshes what it affects. */
  private update(patch: Partial<ViewState>, refresh: Refresh | 'none' | 'auto' = 'auto'): void {
    const before = this.state;
    this.state = applyPatch(before, patch);
    // Selecting a resource folded in a counted box opens the box (G11).
    const open = this.lastShaped && openForSelection(this.state, this.lastShaped.foldOf);
    if (open) {
      this.state = applyPatch(this.state, open);
      this.focusNext = this.state.selected;
    }
    writeAddress(before, this.state);
    let kind = refresh === 'auto' ? (needsData(before, this.state) ? 'data' : 'shape') : refresh;
    if (open && kind === 'none') kind = 'shape';
    if (kind === 'none') {
      this.canvas.graph.select(this.state.selected);
      void this.renderPanel();
      return;
    }
    void this.refresh(kind);
  }

  private open(ref: string, label: string, at?: string): void {
    rememberRecent(localStorage, { ref, label });
    this.update(openPatch(this.state, ref, at));
  }

  private selectKey(key: string | undefined): void {
    const { patch, refresh } = selectPatch(this.state, key);
    this.update(patch, refresh);
  }

  private toggle(key: string): void {
    if (isFoldKey(key)) return this.selectKey(key);
    const loaded = this.loaded;
    if (!loaded) return;
    this.update({ expanded: toggleExpansion(loaded.rootKey, this.state.expanded, loaded.fragments, key).sort() });
  }

  private hide(key: string): void {
    this.update({ hiddenNodes: [...this.state.hiddenNodes, key].sort(), selected: undefined });
  }

  /** The view the start resource is shown in: the chosen one, or its type's default. */
  private get currentView(): ViewChoice {
    return effectiveView(this.state.view, rootType(this.loaded, this.state.resource));
  }

  private syncControls(): void {
    this.toolbar.sync(this.state, this.currentView, rootType(this.loaded, this.state.resource));
    this.side.sync(this.state.panel);
  }

  private renderPanel(): Promise<void> {
    this.syncControls();
    return this.side.render();
  }

  // ---- refresh: load, then draw ------------------------------------------------------------

  private async refresh(kind: Refresh): Promise<void> {
    const gen = ++this.generation;
    this.canvas.setBusy(true);
    try {
      await this.refreshNow(kind, gen);
    } finally {
      if (gen === this.generation) this.canvas.setBusy(false);
    }
  }

  private async refreshNow(kind: Refresh, gen: number): Promise<void> {
    this.syncControls();
    const resource = this.state.resource;
    if (!resource) {
      this.loaded = undefined;
      await this.canvas.clear(this.state.layout, this.settings.webgl);
      this.canvas.showStart();
      this.timeBar.update(timeRange([], Date.now()), undefined, undefined);
      this.canvas.showNotes([]);
      this.canvas.showPlainLegend();
      void this.renderPanel();
      return;
    }
    if (kind === 'data' || !this.loaded) {
      const time = viewTime(this.state);
      this.canvas.showMessage(
        'loading',
        'Loading…',
        `Fetching the neighbourhood of ${resource}${time ? ` as of ${formatTime(time)}` : ''}.`,
      );
      try {
        const loaded = await this.data.load({ ...this.state, resource }, this.currentView);
        if (gen !== this.generation) return;
        this.loaded = loaded;
      } catch (err) {
        if (gen !== this.generation) return;
        const failed = describeLoadFailure(resource, err, this.loaded !== undefined);
        this.status.reportFailure(failed.failure);
        if (failed.keepView) {
          // The server went away or failed: what is on screen stays, and the notice says what failed.
          this.canvas.showFailureOverView(keptViewNotice(failed.failure, rootLabel(this.loaded, resource)));
          return;
        }
        this.loaded = undefined;
        await this.canvas.clear(this.state.layout, this.settings.webgl);
        this.canvas.showMessage(
          'error',
          failed.failure,
          failed.hint,
          failed.askToken
            ? // For servers bound beyond loopback: the token goes to sessionStorage, never into the URL.
              tokenForm(() => {
                void this.status.load();
                void this.refresh('data');
              })
            : undefined,
        );
        void this.renderPanel();
        return;
      }
    }
    if (this.status.failed) void this.status.load();
    await this.draw(kind === 'relayout', gen);
  }

  private async draw(relayout: boolean, gen: number): Promise<void> {
    const loaded = this.loaded!;
    const stale = () => gen !== this.generation;
    // Shaped a step per task: a view of thousands of elements would otherwise block the page for its whole.
    let shaped = await inSteps(shapingLoaded(loaded, this.state), stale);
    if (!shaped) return;
    // A selection from the address bar inside a counted box: the box opens (G11).
    const open = openForSelection(this.state, shaped.foldOf);
    if (open) {
      const before = this.state;
      this.state = applyPatch(before, open);
      writeAddress(before, this.state);
      this.focusNext = this.state.selected;
      shaped = await inSteps(shapingLoaded(loaded, this.state), stale);
      if (!shaped) return;
    }
    this.lastShaped = shaped;
    const focus = this.focusNext;
    this.focusNext = undefined;
    const count = shaped.visibleNodes.length + shaped.visibleEdges.length;
    let webgl = this.settings.webgl;
    const signature = largeGraphSignature(this.state.resource, count);
    if (mustAskBeforeDrawing(count, this.settings, signature, this.approvedLarge)) {
      const choice = await askLargeGraph(count, this.settings.maxElements);
      if (stale()) return;
      if (choice === 'cancel') {
        await this.canvas.clear(this.state.layout, webgl);
        this.canvas.showNotDrawn(count);
        void this.renderPanel();
        return;
      }
      this.approvedLarge = signature;
      if (choice === 'webgl') {
        webgl = true;
        this.settings.webgl = true;
        saveSettings(localStorage, this.settings);
      }
    }
    const drawn = await this.canvas.draw(loaded, shaped, this.state, {
      relayout,
      webgl,
      ...(focus ? { focus } : {}),
      stale,
      selectChange: (key) => {
        this.update({ selected: key }, 'none');
        this.canvas.graph.centreOn(key);
      },
    });
    if (!drawn) return;
    this.timeBar.update(
      this.data.knownTimes.range(Date.now()),
      this.state.at,
      isCompare(this.state) ? { from: this.state.compareFrom, to: this.state.compareTo } : undefined,
    );
    document.title = `${rootLabel(this.loaded, this.state.resource)} · configgraph`;
    await this.renderPanel();
  }
}
