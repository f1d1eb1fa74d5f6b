// The bar across the top: search, the view by purpose, depth, layout, group boxes, and zoom. It
// reports choices through its actions and shows the state it is given (`sync`).
import { button, h } from '../dom.ts';
import { viewApplies } from '../graph/purpose.ts';
import { LAYOUTS, VIEW_CHOICES, type LayoutName, type ViewChoice, type ViewState } from '../state/view-state.ts';

export interface ToolbarActions {
  setView(view: ViewChoice): void;
  setDepth(depth: ViewState['depth']): void;
  setLayout(layout: LayoutName): void;
  setGrouping(on: boolean): void;
  fit(): void;
  zoomBy(factor: number): void;
}

const VIEW_LABELS: Record<ViewChoice, string> = {
  hops: 'Hops (depth)',
  attachments: 'Attachments',
  network: 'Network',
};
const LAYOUT_LABELS: Record<LayoutName, string> = {
  fcose: 'Force (fCoSE)',
  concentric: 'Concentric',
  breadthfirst: 'Breadth-first',
  grid: 'Grid',
};

export class Toolbar {
  readonly root: HTMLElement;
  private readonly depth = h('select', { id: 'depth' });
  private readonly viewSelect = h('select', { id: 'view' });
  private readonly layout = h('select', { id: 'layout' });
  private readonly grouping = h('input', { type: 'checkbox', id: 'grouping' });

  constructor(search: HTMLElement, actions: ToolbarActions) {
    for (const d of [1, 2, 3]) this.depth.append(h('option', { value: d }, `${d} hop${d > 1 ? 's' : ''}`));
    for (const v of VIEW_CHOICES) this.viewSelect.append(h('option', { value: v }, VIEW_LABELS[v]));
    for (const l of LAYOUTS) this.layout.append(h('option', { value: l }, LAYOUT_LABELS[l]));
    this.viewSelect.addEventListener('change', () => actions.setView(this.viewSelect.value as ViewChoice));
    this.depth.addEventListener('change', () => actions.setDepth(Number(this.depth.value) as ViewState['depth']));
    this.layout.addEventListener('change', () => actions.setLayout(this.layout.value as LayoutName));
    this.grouping.addEventListener('change', () => actions.setGrouping(this.grouping.checked));
    const zoom = (label: string, title: string, fn: () => void) => button(label, fn, { title, 'aria-label': title });
    this.root = h(
      'header',
      { class: 'top' },
      h('h1', { class: 'brand' }, 'configgraph'),
      search,
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
      zoom('Fit', 'Fit the graph to the window', () => actions.fit()),
      zoom('+', 'Zoom in', () => actions.zoomBy(1.25)),
      zoom('−', 'Zoom out', () => actions.zoomBy(0.8)),
    );
  }

  /** Shows `state`; `view` is the effective view, `rootType` decides which views apply. */
  sync(state: ViewState, view: ViewChoice, rootType: string | undefined): void {
    this.depth.value = String(state.depth);
    this.viewSelect.value = view;
    for (const o of this.viewSelect.options) o.disabled = !viewApplies(o.value as ViewChoice, rootType);
    this.depth.disabled = view !== 'hops';
    this.depth.title = view === 'hops' ? '' : 'Depth applies to the Hops view';
    this.layout.value = state.layout;
    this.grouping.checked = state.grouping;
  }
}
