// The history timeline of one resource: versions newest first, what changed in each, who changed
// it where CloudTrail says so. Choosing a version sets the whole view "as of" that moment.
import type { ResourceHistory } from '../../../graph/store.ts';
import { button, h } from '../dom.ts';
import { displayName } from '../graph/shape.ts';
import type { ResourceHistory as ApiHistory } from '../../../api/schemas.ts';
import { complianceRows, historyRows, type ChangeLine, type HistoryRow } from '../history/history-model.ts';

/** Its Config rule result changes, newest first, beside its own versions. */
function complianceTimeline(transitions: ApiHistory['compliance']): HTMLElement {
  const rows = complianceRows(transitions);
  const section = h(
    'section',
    { class: 'compliance-history', 'aria-label': 'Compliance changes' },
    h('h3', {}, `Compliance changes (${rows.length})`),
  );
  if (!rows.length) {
    section.append(h('p', { class: 'muted' }, 'No Config rule result recorded for this resource.'));
    return section;
  }
  const list = h('ol', { class: 'timeline compliance-timeline' });
  for (const r of rows)
    list.append(
      h(
        'li',
        {
          class: `compliance-transition${r.nonCompliant ? ' became-non-compliant' : ''}`,
          'data-time': r.at,
          'data-rule': r.rule,
        },
        h('p', {}, h('strong', {}, r.when), ' ', r.nonCompliant ? '⚠ ' : '', r.text),
        r.cause ? h('p', { class: 'who' }, r.cause) : null,
      ),
    );
  section.append(list);
  return section;
}

function changeList(title: string, lines: ChangeLine[]): HTMLElement | null {
  if (!lines.length) return null;
  const list = h('ul', { class: 'change-list' });
  for (const l of lines) {
    const li = h(
      'li',
      { class: `change change-${l.change}` },
      h('span', { class: 'badge' }, l.change),
      ' ',
      h('code', { class: 'change-subject' }, l.subject),
    );
    if (l.before !== undefined || l.after !== undefined) {
      li.append(
        h(
          'div',
          { class: 'change-values' },
          l.before !== undefined ? h('del', { class: 'old-value' }, l.before) : null,
          l.before !== undefined && l.after !== undefined ? ' → ' : null,
          l.after !== undefined ? h('ins', { class: 'new-value' }, l.after) : null,
        ),
      );
    }
    list.append(li);
  }
  return h('div', { class: 'change-group' }, h('h4', {}, title), list);
}

export type CompareEnd = 'from' | 'to';

function entry(
  row: HistoryRow,
  current: boolean,
  onSelect: (time: string) => void,
  onCompare: ((time: string, end: CompareEnd) => void) | undefined,
  compare: { from: string; to: string } | undefined,
): HTMLElement {
  const version = button(row.when, () => onSelect(row.captureTime), {
    class: 'version-button',
    'aria-pressed': String(current),
    title: 'Show the graph as of this version',
  });
  const ends = onCompare
    ? (['from', 'to'] as const).map((end) => {
        const on = compare?.[end] === row.captureTime;
        return button(end === 'from' ? 'Compare from' : 'to', () => onCompare(row.captureTime, end), {
          class: `small compare-end compare-${end}`,
          'aria-pressed': String(on),
          title: `Compare ${end === 'from' ? 'from' : 'to'} this version`,
        });
      })
    : [];
  const who = row.who.length
    ? h('p', { class: 'who' }, `Changed by: ${row.who.join('; ')}`)
    : h('p', { class: 'who muted' }, 'Changed by: unknown (no CloudTrail event matched)');
  return h(
    'li',
    {
      class: `version${row.deleted ? ' version-deleted' : ''}${current ? ' current' : ''}`,
      'data-time': row.captureTime,
    },
    h(
      'div',
      { class: 'version-head' },
      version,
      h('span', { class: 'badge' }, row.status),
      row.inferred ? h('span', { class: 'badge warn' }, 'inferred') : null,
      ...ends,
    ),
    h('p', { class: 'version-summary' }, row.summary),
    who,
    changeList('Configuration', row.configuration),
    changeList('Tags', row.tags),
    changeList('Relationships', row.relationships),
  );
}

export function historyPanel(
  history: ResourceHistory & Partial<Pick<ApiHistory, 'compliance'>>,
  at: string | undefined,
  onSelect: (time: string) => void,
  onCompare?: (time: string, end: CompareEnd) => void,
  compare?: { from: string; to: string },
): HTMLElement {
  const rows = historyRows(history);
  // The version in force at `at` is the newest one not after it.
  const current = at ? rows.find((r) => r.captureTime <= at)?.captureTime : rows[0]?.captureTime;
  const list = h('ol', { class: 'timeline', 'aria-label': 'Versions, newest first' });
  for (const row of rows) list.append(entry(row, row.captureTime === current, onSelect, onCompare, compare));
  return h(
    'div',
    { class: 'history' },
    h('h2', {}, `History of ${displayName(history.resource)}`),
    h(
      'p',
      { class: 'muted' },
      `${rows.length} version${rows.length === 1 ? '' : 's'}. Choose one to see the graph as of that moment, or pick two with "Compare from" and "to".`,
    ),
    complianceTimeline(history.compliance ?? []),
    rows.length ? list : h('p', {}, 'No versions recorded for this resource.'),
  );
}
