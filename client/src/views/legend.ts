// The legend: families with their icons, edge styles, and (in compare mode) the diff colours.
import { FAMILIES, FAMILY_COLOURS, FAMILY_LABELS } from '../graph/family.ts';
import { h } from '../dom.ts';
import { ICONS } from '../icons.ts';
import { MARK_COLOURS } from './cy-style.ts';

function swatch(colour: string, extraClass = ''): HTMLElement {
  const el = h('span', { class: `swatch ${extraClass}`, 'aria-hidden': 'true' });
  el.style.backgroundColor = colour;
  return el;
}

export function legend(compareCounts?: { added: number; removed: number; changed: number }): HTMLElement {
  const list = h('ul', { class: 'legend-list' });
  for (const f of FAMILIES) {
    const icon = h('img', { src: ICONS[f], alt: '', width: 16, height: 16 });
    const box = h('span', { class: 'legend-icon', 'aria-hidden': 'true' }, icon);
    box.style.backgroundColor = FAMILY_COLOURS[f];
    list.append(h('li', {}, box, FAMILY_LABELS[f]));
  }
  list.append(h('li', {}, h('span', { class: 'legend-line', 'aria-hidden': 'true' }), 'Config relationship'));
  list.append(
    h('li', {}, h('span', { class: 'legend-line dashed', 'aria-hidden': 'true' }), 'Derived from configuration'),
  );
  list.append(
    h('li', {}, h('span', { class: 'legend-node placeholder', 'aria-hidden': 'true' }), 'Not recorded by Config'),
  );
  list.append(
    h(
      'li',
      {},
      h('span', { class: 'legend-node first-recorded-later', 'aria-hidden': 'true' }),
      'Existed, first recorded by Config later',
    ),
  );
  if (compareCounts) {
    list.append(h('li', {}, swatch(MARK_COLOURS.added), `Added (${compareCounts.added})`));
    list.append(h('li', {}, swatch(MARK_COLOURS.removed), `Removed (${compareCounts.removed})`));
    list.append(h('li', {}, swatch(MARK_COLOURS.changed), `Changed (${compareCounts.changed})`));
  }
  const details = h('details', { class: 'legend' }, h('summary', {}, 'Legend'), list);
  details.open = true;
  return details;
}
