// The graph area: the Cytoscape canvas with its navigator, the message over it (loading, empty,
// error), the notes above it, the summary and legend below it, and aria-busy while it loads and
// draws (assistive tech and the tests wait on it). It draws what it is given; deciding what to
// load and whether to draw is the app's.
import type { Loaded } from '../data/view-data.ts';
import { h, replaceChildren } from '../dom.ts';
import { countMarks } from '../graph/diff-marks.ts';
import { complianceLegend } from '../graph/compliance-marks.ts';
import { filtersOf, shapingSteps, type ShapedGraph } from '../graph/shape.ts';
import { isCompare, type LayoutName, type ViewState } from '../state/view-state.ts';
import { formatTime } from '../time/format.ts';
import { changeLines, changeSummary, complianceChangeList } from './compare-panel.ts';
import type { InViewItem } from './filters-panel.ts';
import { GraphSummary } from './graph-summary.ts';
import { GraphView, type GraphViewEvents } from './graph-view.ts';
import { legend } from './legend.ts';
import { Minimap } from './minimap.ts';
import { viewNotes } from './view-notes.ts';

export type MessageKind = 'loading' | 'empty' | 'error' | 'none';

/** The loaded graph as the state shapes it (filtered, grouped, marked), in steps (shapingSteps). */
export function shapingLoaded(loaded: Loaded, state: ViewState): Generator<void, ShapedGraph, void> {
  return shapingSteps({
    graph: loaded.graph,
    root: loaded.rootKey,
    filters: filtersOf(state),
    grouping: state.grouping,
    showEnclosing: state.showEnclosing,
    expanded: state.expanded,
    ...(loaded.marks ? { marks: loaded.marks } : {}),
    ...(loaded.path ? { path: { nodes: loaded.path.nodes, edges: loaded.path.edges } } : {}),
    ...(loaded.compliance ? { compliance: loaded.compliance.broken } : {}),
    nonCompliantOnly: state.nonCompliantOnly,
    ...(state.rule ? { rule: state.rule } : {}),
    openBoxes: state.openBoxes,
  });
}

export class Canvas {
  readonly root = h('section', { class: 'canvas-wrap', 'aria-label': 'Graph', 'aria-busy': 'false' });
  readonly graph: GraphView;
  private readonly minimap: Minimap;
  private readonly message = h('div', { class: 'message', role: 'status', 'aria-live': 'polite' });
  private readonly notice = h('div', { class: 'notice-bar', role: 'status', hidden: true });
  private readonly legendSlot = h('div', { class: 'legend-slot' });
  private readonly summary: GraphSummary;

  /**
   * Cytoscape measures its container when created, so `mount` must put `root` in the document
   * before the canvas is created.
   */
  constructor(
    events: Omit<GraphViewEvents, 'viewport'> & { toggleEnclosing(): void },
    mount: (root: HTMLElement) => void,
  ) {
    const cyContainer = h('div', {
      id: 'cy',
      class: 'cy',
      role: 'img',
      'aria-label': 'Graph of the resources in view (the Filters & list tab lists them)',
    });
    const minimapCanvas = h('canvas', {
      class: 'minimap',
      width: 168,
      height: 108,
      tabindex: 0,
      'aria-label': 'Navigator: click or drag to move the view; arrow keys pan',
    });
    this.summary = new GraphSummary(() => events.toggleEnclosing());
    this.root.append(
      this.notice,
      h('div', { class: 'canvas-area' }, cyContainer, this.message, minimapCanvas),
      this.summary.root,
      this.legendSlot,
    );
    mount(this.root);
    this.graph = new GraphView(cyContainer, {
      select: (key) => events.select(key),
      toggle: (key) => events.toggle(key),
      viewport: () => this.minimap.schedule(),
    });
    this.minimap = new Minimap(minimapCanvas, () => this.graph.cy);
  }

  setBusy(busy: boolean): void {
    this.root.setAttribute('aria-busy', String(busy));
  }

  showMessage(kind: MessageKind, title = '', detail = '', extra?: HTMLElement): void {
    this.message.className = `message message-${kind}`;
    this.message.hidden = kind === 'none';
    replaceChildren(
      this.message,
      title ? h('strong', {}, title) : null,
      detail ? h('p', {}, detail) : null,
      extra ?? null,
    );
  }

  /** Nothing open yet: how to start. */
  showStart(): void {
    this.showMessage(
      'empty',
      'Find a resource to start',
      'Type an instance id, name, ARN, tag value, IP address or DNS name in the search box (press / to jump there), then Enter.',
    );
  }

  /** The user chose not to draw a large graph: how to make it smaller. */
  showNotDrawn(count: number): void {
    this.showMessage(
      'empty',
      `Not drawn: ${count} elements`,
      'Hide types in Filters & list, lower the depth, or raise the limit under Drawing, then draw again.',
    );
  }

  /** Notes above the graph; none hides the bar. */
  showNotes(notes: readonly string[]): void {
    this.notice.hidden = notes.length === 0;
    replaceChildren(this.notice, ...notes.map((n) => h('p', {}, n)));
  }

  /** A failed load over a drawn view: the view stays, the first line (an alert) says what failed. */
  showFailureOverView(lines: readonly [string, string]): void {
    this.showMessage('none');
    this.notice.hidden = false;
    replaceChildren(this.notice, h('p', { class: 'notice-error', role: 'alert' }, lines[0]), h('p', {}, lines[1]));
  }

  /** Nothing drawn: an empty canvas and summary, with `legend` under it. */
  async clear(layout: LayoutName, webgl: boolean): Promise<void> {
    await this.graph.draw([], { layout, relayout: true, webgl });
    this.summary.update(undefined);
  }

  showPlainLegend(): void {
    replaceChildren(this.legendSlot, legend());
  }

  /**
   * Draws `shaped` with its legend, summary and notes. Returns false when `stale()` says a newer
   * refresh started while the layout ran (the rest is then that refresh's to do).
   */
  async draw(
    loaded: Loaded,
    shaped: ShapedGraph,
    state: ViewState,
    opts: {
      relayout: boolean;
      webgl: boolean;
      /** A resource to centre on once drawn. */
      focus?: string;
      stale: () => boolean;
      selectChange: (key: string) => void;
    },
  ): Promise<boolean> {
    this.showMessage(
      shaped.visibleNodes.length ? 'none' : 'empty',
      'Everything is filtered out',
      'Tick types, accounts or regions again under Filters & list.',
    );
    const counts = loaded.marks ? countMarks(loaded.marks, shaped.visibleNodes) : undefined;
    replaceChildren(
      this.legendSlot,
      legend(counts, complianceLegend(loaded.compliance?.broken, shaped.visibleNodes, state.rule), {
        webgl: opts.webgl,
      }),
    );
    if (loaded.marks && isCompare(state)) {
      const visible = new Set(shaped.visibleNodes);
      const summary = changeSummary(
        changeLines(loaded.marks, loaded.graph, visible, new Set(shaped.visibleEdges)),
        { from: formatTime(state.compareFrom), to: formatTime(state.compareTo) },
        opts.selectChange,
      );
      const compliance = complianceChangeList(
        loaded.compliance?.changes ?? [],
        loaded.graph,
        visible,
        opts.selectChange,
      );
      if (compliance) summary.append(compliance);
      this.legendSlot.append(summary);
    }
    await this.graph.draw(shaped.elements, {
      layout: state.layout,
      relayout: opts.relayout,
      webgl: opts.webgl,
      ...(opts.focus ? { focus: opts.focus } : {}),
    });
    if (opts.stale()) return false;
    this.summary.update({
      nodes: shaped.visibleNodes.length,
      edges: shaped.visibleEdges.length,
      groups: shaped.groupCount,
      enclosing: shaped.enclosingCount,
      showEnclosing: state.showEnclosing,
      ...(shaped.folds.length > 0 ? { folded: { resources: shaped.foldOf.size, folds: shaped.folds.length } } : {}),
    });
    this.graph.select(state.selected);
    this.minimap.schedule();
    this.showNotes(viewNotes(loaded, shaped.hiddenCount, state));
    return true;
  }

  /** What Cytoscape actually holds, as a list (the canvas itself is not readable by assistive tech). */
  inView(): InViewItem[] {
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
      const nonCompliant: unknown = n.data('nonCompliant');
      if (typeof nonCompliant === 'string') item.nonCompliant = nonCompliant;
      items.push(item);
    });
    return items.sort(
      (a, b) => Number(b.root) - Number(a.root) || a.type.localeCompare(b.type) || a.label.localeCompare(b.label),
    );
  }
}
