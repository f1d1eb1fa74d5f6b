// Filters (type, account, region), hidden nodes, the list of resources in view (a keyboard and
// screen-reader way to reach every node on the canvas) and the drawing-size setting.
import { button, h } from '../dom.ts';
import { shortType } from '../graph/keys.ts';
import { isFoldKey } from '../graph/purpose.ts';
import type { ViewFilters } from '../graph/shape.ts';
import { MIN_MAX_ELEMENTS, type DrawingSettings } from '../state/settings.ts';
import { probeWebgl, webglLabel } from './webgl-support.ts';

export interface InViewItem {
  key: string;
  label: string;
  type: string;
  mark?: string;
  /** The Config rules it breaks, joined. */
  nonCompliant?: string;
  expanded: boolean;
  root: boolean;
  status: string;
}

export interface FiltersActions {
  setHidden(kind: keyof ViewFilters, values: string[]): void;
  select(key: string): void;
  toggle(key: string): void;
  hide(key: string): void;
  setMaxElements(n: number): void;
  setWebgl(on: boolean): void;
  /** G12: folds an opened counted node again. */
  close(foldId: string): void;
  /** A readable name for a resource key (hidden nodes are not on the canvas to ask). */
  nameOf(key: string): string;
  setNonCompliantOnly(on: boolean): void;
  /** undefined: no rule marked. */
  setRule(rule: string | undefined): void;
}

/** What the compliance section shows: the rules broken at the view's time, and the choices made. */
export interface ComplianceChoices {
  /** undefined: compliance could not be loaded. */
  rules: string[] | undefined;
  nonCompliantOnly: boolean;
  rule: string | undefined;
}

/** "Non-compliant only" and the rule picker (both in the URL). */
function complianceFilters(c: ComplianceChoices, actions: FiltersActions): HTMLElement {
  const fieldset = h('fieldset', { class: 'facet compliance-filters' }, h('legend', {}, 'Compliance'));
  const only = h('input', { type: 'checkbox', id: 'non-compliant-only' });
  only.checked = c.nonCompliantOnly;
  only.addEventListener('change', () => actions.setNonCompliantOnly(only.checked));
  fieldset.append(
    h('label', { class: 'check' }, only, ' Non-compliant only (hide resources that break no Config rule)'),
  );
  if (!c.rules) {
    fieldset.append(h('p', { class: 'muted' }, 'Compliance could not be loaded for this view.'));
    return fieldset;
  }
  const picker = h('select', { id: 'rule-picker' });
  picker.append(h('option', { value: '' }, 'No rule marked'));
  // A rule in the link but not broken at this time stays choosable, so the link is not lost.
  const rules = c.rule && !c.rules.includes(c.rule) ? [...c.rules, c.rule].sort() : c.rules;
  for (const r of rules) picker.append(h('option', { value: r }, r));
  picker.value = c.rule ?? '';
  picker.addEventListener('change', () => actions.setRule(picker.value || undefined));
  fieldset.append(h('label', { for: 'rule-picker' }, 'Mark the resources breaking '), picker);
  if (!c.rules.length) fieldset.append(h('p', { class: 'muted' }, 'No resource breaks a Config rule at this time.'));
  return fieldset;
}

function facet(
  title: string,
  kind: keyof ViewFilters,
  values: string[],
  hidden: string[],
  label: (v: string) => string,
  actions: FiltersActions,
): HTMLElement {
  const fieldset = h('fieldset', { class: 'facet' }, h('legend', {}, title));
  if (!values.length) fieldset.append(h('p', { class: 'muted' }, 'Nothing loaded yet.'));
  for (const v of values) {
    const box = h('input', { type: 'checkbox', 'data-value': v });
    box.checked = !hidden.includes(v);
    box.addEventListener('change', () => {
      const next = box.checked ? hidden.filter((x) => x !== v) : [...hidden, v];
      actions.setHidden(kind, next);
    });
    fieldset.append(h('label', { class: 'check' }, box, ' ', label(v)));
  }
  return fieldset;
}

export function filtersPanel(
  facets: { types: string[]; accounts: string[]; regions: string[] },
  filters: ViewFilters,
  inView: InViewItem[],
  /** Counted nodes the user opened (G11), each with its Close button (G12). */
  opened: readonly { id: string; label: string }[],
  settings: DrawingSettings,
  compliance: ComplianceChoices,
  actions: FiltersActions,
): HTMLElement {
  const hiddenList = h('ul', { class: 'hidden-nodes' });
  for (const key of filters.hiddenNodes) {
    const b = button(
      'Show',
      () =>
        actions.setHidden(
          'hiddenNodes',
          filters.hiddenNodes.filter((k) => k !== key),
        ),
      { 'aria-label': `Show ${actions.nameOf(key)}` },
    );
    hiddenList.append(h('li', {}, actions.nameOf(key), ' ', b));
  }

  const list = h('ul', { class: 'in-view', 'aria-label': 'Resources in view' });
  for (const item of inView) {
    const name = button(item.label, () => actions.select(item.key), {
      class: 'link-button',
      title: 'Select and show details',
    });
    // A counted node ("40 instances") opens into its members; it is not a resource to expand or hide.
    const fold = isFoldKey(item.key);
    const toggle = fold
      ? button('Open', () => actions.select(item.key), { class: 'small', 'aria-label': `Open ${item.label}` })
      : button(item.expanded ? 'Collapse' : 'Expand', () => actions.toggle(item.key), {
          class: 'small',
          disabled: item.root,
          'aria-label': `${item.expanded ? 'Collapse' : 'Expand'} ${item.label}`,
        });
    const hide = fold
      ? null
      : button('Hide', () => actions.hide(item.key), {
          class: 'small',
          disabled: item.root,
          'aria-label': `Hide ${item.label}`,
        });
    list.append(
      h(
        'li',
        {
          'data-key': item.key,
          'data-type': item.type,
          'data-status': item.status,
          ...(item.mark ? { 'data-mark': item.mark } : {}),
          ...(item.nonCompliant ? { 'data-non-compliant': item.nonCompliant } : {}),
          class: item.mark ? `mark-${item.mark}` : '',
        },
        name,
        ' ',
        h('span', { class: 'muted' }, shortType(item.type)),
        item.mark ? h('span', { class: `badge mark-badge mark-${item.mark}` }, item.mark) : null,
        item.nonCompliant ? h('span', { class: 'badge warn', title: item.nonCompliant }, '⚠ non-compliant') : null,
        ' ',
        toggle,
        hide,
      ),
    );
  }

  const openedList = h('ul', { class: 'opened-boxes' });
  for (const box of opened)
    openedList.append(
      h(
        'li',
        { 'data-key': box.id },
        box.label,
        ' ',
        button('Close', () => actions.close(box.id), { class: 'small', 'aria-label': `Close ${box.label}` }),
      ),
    );

  const max = h('input', {
    type: 'number',
    id: 'max-elements',
    min: MIN_MAX_ELEMENTS,
    max: 100000,
    step: 50,
    value: settings.maxElements,
  });
  max.addEventListener('change', () => {
    const n = Number(max.value);
    if (Number.isFinite(n) && n >= MIN_MAX_ELEMENTS) actions.setMaxElements(Math.round(n));
  });
  const webgl = h('input', { type: 'checkbox', id: 'webgl' });
  const webglHere = probeWebgl();
  webgl.checked = settings.webgl;
  // Without WebGL the setting can only be turned off.
  webgl.disabled = webglHere === 'none' && !settings.webgl;
  webgl.addEventListener('change', () => actions.setWebgl(webgl.checked));

  return h(
    'div',
    { class: 'filters' },
    h('h2', {}, 'Filters'),
    facet('Types', 'hiddenTypes', facets.types, filters.hiddenTypes, shortType, actions),
    facet('Accounts', 'hiddenAccounts', facets.accounts, filters.hiddenAccounts, (v) => v, actions),
    facet('Regions', 'hiddenRegions', facets.regions, filters.hiddenRegions, (v) => v, actions),
    complianceFilters(compliance, actions),
    h(
      'section',
      { 'aria-label': 'Hidden nodes' },
      h('h3', {}, `Hidden nodes (${filters.hiddenNodes.length})`),
      filters.hiddenNodes.length ? hiddenList : h('p', { class: 'muted' }, 'None.'),
    ),
    opened.length
      ? h(
          'section',
          { 'aria-label': 'Opened boxes' },
          h('h3', {}, `Opened counted nodes (${opened.length})`),
          openedList,
        )
      : null,
    h(
      'section',
      { 'aria-label': 'Resources in view section' },
      h('h3', {}, `Resources in view (${inView.length})`),
      list,
    ),
    h(
      'section',
      { class: 'settings', 'aria-label': 'Drawing' },
      h('h3', {}, 'Drawing'),
      h('label', { for: 'max-elements' }, 'Ask before drawing more than '),
      max,
      h('span', {}, ' elements'),
      h('div', {}, h('label', { class: 'check' }, webgl, ` ${webglLabel(webglHere)}`)),
    ),
  );
}
