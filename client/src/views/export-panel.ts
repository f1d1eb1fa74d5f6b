// Export: PNG and SVG of what is drawn (made here), JSON/GraphML/CSV/draw.io of the graph (made by
// the API, with its manifest), for this neighbourhood or a whole account/region, as of the view's time.
import { EXPORT_FORMATS, type ExportFormat } from '../../../graph/query-limits.ts';
import { button, h } from '../dom.ts';

export interface ExportActions {
  image(kind: 'png' | 'svg', redact: boolean): void;
  file(format: ExportFormat, whole: boolean, redact: boolean): void;
}

export function exportPanel(hasView: boolean, actions: ExportActions, message: string): HTMLElement {
  const redact = h('input', { type: 'checkbox', id: 'export-redact' });
  const whole = h('input', { type: 'checkbox', id: 'export-whole' });
  const action = (label: string, fn: () => void, id: string) => button(label, fn, { id, disabled: !hasView });
  return h(
    'div',
    { class: 'export' },
    h('h2', {}, 'Export'),
    hasView ? null : h('p', { class: 'muted' }, 'Open a resource first: exports start from the current view.'),
    h('div', {}, h('label', { class: 'check' }, redact, ' Redact names, tags and ids')),
    h('h3', {}, 'Picture of this view'),
    h(
      'div',
      { class: 'button-row' },
      action('PNG', () => actions.image('png', redact.checked), 'export-png'),
      action('SVG', () => actions.image('svg', redact.checked), 'export-svg'),
    ),
    h('h3', {}, 'Graph data (from the server, as of the view time)'),
    h('div', {}, h('label', { class: 'check' }, whole, ' The whole account and region (not only this neighbourhood)')),
    h(
      'div',
      { class: 'button-row' },
      ...EXPORT_FORMATS.map((f) =>
        action(
          f === 'drawio' ? 'draw.io' : f === 'csv' ? 'CSV' : f === 'json' ? 'JSON' : 'GraphML',
          () => actions.file(f, whole.checked, redact.checked),
          `export-${f}`,
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      'JSON and CSV exports carry a manifest with a SHA-256 of their content; check one with `configgraph verify FILE`.',
    ),
    h('p', { class: 'export-status', role: 'status', 'aria-live': 'polite' }, message),
  );
}
