// The live summary under the graph: what is drawn, in words a screen reader reads out ("56 resources,
// 61 connections in 9 boxes") and in data attributes, and the switch for connections to a node's own box
// (SPEC G9), which are counted and hidden unless asked for.
import { h, replaceChildren } from '../dom.ts';

export interface DrawnCounts {
  nodes: number;
  edges: number;
  groups: number;
  /** Connections to an enclosing box in the loaded view (hidden unless `showEnclosing`). */
  enclosing: number;
  showEnclosing: boolean;
  /** G11: resources counted in counted nodes, and how many counted nodes (absent: none). */
  folded?: { resources: number; folds: number };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function summaryText(c: Pick<DrawnCounts, 'nodes' | 'edges' | 'groups' | 'folded'>): string {
  const base = `${plural(c.nodes, 'resource', 'resources')}, ${plural(c.edges, 'connection', 'connections')}`;
  const boxed = c.groups > 0 ? `${base} in ${plural(c.groups, 'box', 'boxes')}` : base;
  return c.folded && c.folded.folds > 0
    ? `${boxed}; ${c.folded.resources} of the resources counted in ${plural(c.folded.folds, 'node', 'nodes')} (open one to see them)`
    : boxed;
}

export function enclosingText(c: Pick<DrawnCounts, 'enclosing' | 'showEnclosing'>): string {
  const links = plural(c.enclosing, 'containment link', 'containment links');
  return c.showEnclosing ? `${links} to their own box shown` : `${links} to their own box hidden`;
}

export class GraphSummary {
  readonly root: HTMLElement;
  private readonly summary = h('span', { id: 'graph-summary', role: 'status', 'aria-live': 'polite' });
  private readonly enclosing = h('span', { class: 'enclosing-note' });
  private readonly toggle = h('button', { type: 'button', id: 'toggle-enclosing', class: 'link-button' });

  constructor(onToggle: () => void) {
    this.toggle.addEventListener('click', onToggle);
    this.root = h('div', { class: 'graph-bar' }, this.summary, this.enclosing, this.toggle);
    this.update(undefined);
  }

  /** Undefined: nothing drawn. */
  update(c: DrawnCounts | undefined): void {
    const counts = c ?? { nodes: 0, edges: 0, groups: 0, enclosing: 0, showEnclosing: false };
    this.summary.dataset['nodes'] = String(counts.nodes);
    this.summary.dataset['edges'] = String(counts.edges);
    this.summary.dataset['groups'] = String(counts.groups);
    this.summary.textContent = c ? summaryText(counts) : 'Nothing drawn';
    const any = counts.enclosing > 0;
    this.enclosing.hidden = !any;
    this.toggle.hidden = !any;
    replaceChildren(this.enclosing, any ? `· ${enclosingText(counts)}` : '');
    this.toggle.textContent = counts.showEnclosing ? 'hide' : 'show';
    this.toggle.setAttribute('aria-pressed', String(counts.showEnclosing));
    this.toggle.setAttribute(
      'aria-label',
      counts.showEnclosing
        ? 'Hide the containment links to their own box'
        : 'Show the containment links to their own box',
    );
  }
}
