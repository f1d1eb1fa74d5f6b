// The legend: families with their icons, edge styles, and (in compare mode) the diff colours.
import { FAMILIES, FAMILY_COLOURS, FAMILY_LABELS } from '../graph/family.ts';
import type { LegendEntry } from '../export/svg.ts';
import type { ComplianceLegend } from '../graph/compliance-marks.ts';
import { h } from '../dom.ts';
import { ICONS } from '../icons.ts';
import { MARK_COLOURS } from './cy-style.ts';

function swatch(colour: string, extraClass = ''): HTMLElement {
  const el = h('span', { class: `swatch ${extraClass}`, 'aria-hidden': 'true' });
  el.style.backgroundColor = colour;
  return el;
}

export function legend(
  compareCounts?: { added: number; removed: number; changed: number },
  compliance?: ComplianceLegend,
  drawn: { webgl?: boolean } = {},
): HTMLElement {
  const list = h('ul', { class: 'legend-list' });
  for (const f of FAMILIES) {
    const icon = h('img', { src: ICONS[f], alt: '', width: 16, height: 16 });
    const box = h('span', { class: 'legend-icon', 'aria-hidden': 'true' }, icon);
    box.style.backgroundColor = FAMILY_COLOURS[f];
    list.append(h('li', {}, box, FAMILY_LABELS[f]));
  }
  list.append(h('li', {}, h('span', { class: 'legend-line', 'aria-hidden': 'true' }), 'Config relationship'));
  // Cytoscape's WebGL renderer draws every line solid: the legend shows derived links as they are drawn.
  const derived = drawn.webgl ? 'legend-line derived solid' : 'legend-line derived';
  list.append(h('li', {}, h('span', { class: derived, 'aria-hidden': 'true' }), 'Derived from configuration'));
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
  if (compliance?.nonCompliant !== undefined)
    list.append(
      h(
        'li',
        { class: 'legend-non-compliant' },
        h('span', { class: 'legend-node non-compliant', 'aria-hidden': 'true' }),
        `⚠ non-compliant: breaks a Config rule at this time (${compliance.nonCompliant})`,
      ),
    );
  if (compliance?.rule)
    list.append(
      h(
        'li',
        { class: 'legend-breaks-rule' },
        h('span', { class: 'legend-node breaks-rule', 'aria-hidden': 'true' }),
        `⚠ breaks ${compliance.rule.name} (${compliance.rule.breakers})`,
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

/** The legend of an exported picture: the families drawn, the kinds of line, and compare marks. */
export function legendEntries(
  families: Iterable<string>,
  compareCounts?: { added: number; removed: number; changed: number },
): LegendEntry[] {
  const present = new Set(families);
  const entries: LegendEntry[] = FAMILIES.filter((f) => present.has(f)).map((f) => ({
    kind: 'family',
    family: f,
    colour: FAMILY_COLOURS[f],
    label: FAMILY_LABELS[f],
  }));
  entries.push(
    { kind: 'line', label: 'Config relationship' },
    { kind: 'both-ends', label: 'Recorded from both ends' },
    { kind: 'dashed-line', label: 'Derived from configuration' },
    { kind: 'placeholder', label: 'Not recorded by Config' },
  );
  if (compareCounts) {
    entries.push({ kind: 'mark', colour: MARK_COLOURS.added, label: `Added (${compareCounts.added})` });
    entries.push({ kind: 'mark', colour: MARK_COLOURS.removed, label: `Removed (${compareCounts.removed})` });
    entries.push({ kind: 'mark', colour: MARK_COLOURS.changed, label: `Changed (${compareCounts.changed})` });
  }
  return entries;
}
