// The Path tab: from the resource in view to one chosen with its own search box, and the steps of
// the path found (each relationship with its direction and raw Config name).
import type { GraphEdge, ResourceNode } from '../../../graph/model.ts';
import type { PathResult } from '../../../graph/store.ts';
import { button, h } from '../dom.ts';
import { shortType } from '../graph/keys.ts';
import { displayName } from '../graph/shape.ts';

export function pathPanel(
  from: ResourceNode | undefined,
  search: HTMLElement,
  pathTo: string | undefined,
  result: PathResult | undefined,
  clear: () => void,
): HTMLElement {
  const wrap = h('div', { class: 'path' }, h('h2', {}, 'How are two resources connected?'));
  if (!from) {
    wrap.append(
      h('p', { class: 'muted' }, 'Open the first resource with the search box, then choose the second one here.'),
    );
    return wrap;
  }
  wrap.append(h('p', {}, `From: ${displayName(from)} (${shortType(from.resourceType)})`), search);
  if (pathTo) {
    wrap.append(button('Clear path', clear));
  }
  if (result && !result.found)
    wrap.append(h('p', { class: 'notice' }, 'No path found within the search depth (at this time).'));
  if (result?.found)
    wrap.append(
      h(
        'ol',
        { class: 'path-steps' },
        ...pathSteps(result).map((step) => h('li', step.edge ? { class: 'path-edge' } : {}, step.text)),
      ),
    );
  return wrap;
}

/** The path as lines to read in order: resources, and between them each relationship with its direction. */
export function pathSteps(result: PathResult): { text: string; edge: boolean }[] {
  const byKey = new Map<string, ResourceNode>(result.nodes.map((n) => [n.key, n]));
  const label = (key: string) => {
    const n = byKey.get(key);
    if (!n) return key;
    const name = displayName(n);
    return name === n.resourceId
      ? `${name} (${shortType(n.resourceType)})`
      : `${name} (${shortType(n.resourceType)} ${n.resourceId})`;
  };
  const steps: { text: string; edge: boolean }[] = [];
  const first = result.nodes[0];
  if (first) steps.push({ text: label(first.key), edge: false });
  let current = first?.key;
  const remaining: GraphEdge[] = [...result.edges];
  while (current && remaining.length) {
    const i = remaining.findIndex((e) => e.source === current || e.target === current);
    if (i < 0) break;
    const e = remaining.splice(i, 1)[0]!;
    const forward = e.source === current;
    const next = forward ? e.target : e.source;
    steps.push(
      { text: `${forward ? '→' : '←'} "${e.name.trim()}"${e.origin === 'derived' ? ' (derived)' : ''}`, edge: true },
      { text: label(next), edge: false },
    );
    current = next;
  }
  return steps;
}
