// Compare mode, in words: what was added, removed and changed in the view between the two times,
// resources and connections, each one a button that selects it on the graph. It sits beside the
// legend's colours, so the colours are never the only way to tell.
import type { GraphEdge, ResourceKey } from '../../../graph/model.ts';
import { button, h } from '../dom.ts';
import { complianceChangeText, type ComplianceChange } from '../graph/compliance-marks.ts';
import type { DiffMarks, Mark } from '../graph/diff-marks.ts';
import type { LoadedGraph } from '../graph/fragments.ts';
import { shortType } from '../graph/keys.ts';
import { displayName } from '../graph/shape.ts';

export interface ChangeLine {
  mark: Mark;
  kind: 'resource' | 'connection';
  /** The node to select: the resource, or the connection's source. */
  key: ResourceKey;
  text: string;
}

const ORDER: Mark[] = ['added', 'removed', 'changed'];

/** The marked resources and connections that are in view, added first, each sorted by its text. */
export function changeLines(
  marks: DiffMarks,
  graph: LoadedGraph,
  visibleNodes: ReadonlySet<ResourceKey>,
  visibleEdges: ReadonlySet<string>,
): ChangeLine[] {
  const name = (key: ResourceKey) => {
    const n = graph.nodes.get(key);
    return n ? `${displayName(n)} (${shortType(n.resourceType)})` : key;
  };
  const lines: ChangeLine[] = [];
  for (const [key, mark] of marks.nodes)
    if (visibleNodes.has(key)) lines.push({ mark, kind: 'resource', key, text: name(key) });
  for (const [id, mark] of marks.edges) {
    const e: GraphEdge | undefined = graph.edges.get(id);
    if (!e || !visibleEdges.has(id)) continue;
    lines.push({
      mark,
      kind: 'connection',
      key: e.source,
      text: `${name(e.source)} — ${e.name.trim() || e.type} → ${name(e.target)}`,
    });
  }
  return lines.sort(
    (a, b) =>
      ORDER.indexOf(a.mark) - ORDER.indexOf(b.mark) ||
      (a.kind === b.kind ? 0 : a.kind === 'resource' ? -1 : 1) ||
      a.text.localeCompare(b.text),
  );
}

const TITLES: Record<Mark, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

export function changeSummary(
  lines: ChangeLine[],
  span: { from: string; to: string },
  select: (key: ResourceKey) => void,
): HTMLElement {
  const root = h(
    'section',
    { class: 'change-summary', id: 'change-summary', 'aria-label': 'What changed between the two times' },
    h('h3', {}, `What changed, ${span.from} → ${span.to}`),
  );
  if (!lines.length) {
    root.append(h('p', { class: 'muted' }, 'Nothing in view changed between the two times.'));
    return root;
  }
  for (const mark of ORDER) {
    const of = lines.filter((l) => l.mark === mark);
    if (!of.length) continue;
    const list = h('ul', { 'data-mark': mark });
    for (const l of of) {
      const b = button(`${l.kind === 'connection' ? 'connection ' : ''}${l.text}`, () => select(l.key), {
        class: 'link-button',
        'data-key': l.key,
        'data-kind': l.kind,
      });
      list.append(h('li', {}, b));
    }
    root.append(h('h4', {}, `${TITLES[mark]} (${of.length})`), list);
  }
  return root;
}

/** "Became non-compliant" / "became compliant" for the resources in view, each selecting its resource. */
export function complianceChangeList(
  changes: readonly ComplianceChange[],
  graph: LoadedGraph,
  visibleNodes: ReadonlySet<ResourceKey>,
  select: (key: ResourceKey) => void,
): HTMLElement | null {
  const shown = changes.filter((c) => visibleNodes.has(c.key));
  if (!shown.length) return null;
  const list = h('ul', { class: 'compliance-changes' });
  for (const c of shown) {
    const n = graph.nodes.get(c.key);
    const name = n ? `${displayName(n)} (${shortType(n.resourceType)})` : c.key;
    const b = button(`${name} ${complianceChangeText(c.change, c.rule)}`, () => select(c.key), {
      class: 'link-button',
      'data-key': c.key,
      'data-change': c.change,
    });
    list.append(h('li', {}, c.change === 'became-non-compliant' ? '⚠ ' : '', b));
  }
  return h('div', {}, h('h4', {}, `Compliance (${shown.length})`), list);
}
