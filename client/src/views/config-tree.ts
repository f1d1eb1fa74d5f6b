// The configuration JSON as a collapsible tree of <details>. Children are built only when a branch
// is opened, so a large configuration does not cost anything until someone looks at it.
import { h } from '../dom.ts';

function summaryOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  if (value !== null && typeof value === 'object') return `{${Object.keys(value).length}}`;
  return '';
}

function leaf(value: unknown): HTMLElement {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const kind = value === null ? 'null' : typeof value;
  return h('span', { class: `tree-value tree-${kind}` }, text);
}

export function configTree(value: unknown, label = 'configuration', open = true): HTMLElement {
  if (value === null || typeof value !== 'object') {
    return h('div', { class: 'tree-leaf' }, h('span', { class: 'tree-key' }, label), ': ', leaf(value));
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [`[${i}]`, v])
    : Object.entries(value);
  const details = h(
    'details',
    { class: 'tree-branch' },
    h(
      'summary',
      {},
      h('span', { class: 'tree-key' }, label),
      ' ',
      h('span', { class: 'tree-count' }, summaryOf(value)),
    ),
  );
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    if (!entries.length) details.append(h('div', { class: 'tree-leaf tree-empty' }, '(empty)'));
    for (const [k, v] of entries) details.append(configTree(v, k, false));
  };
  details.addEventListener('toggle', () => details.open && build());
  if (open) {
    details.open = true;
    build();
  }
  return details;
}
