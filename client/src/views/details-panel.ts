// The side panel's details: properties, status, tags, the configuration tree, relationships (raw
// Config names and their origin) and a link to the AWS console. Everything from the data is text.
import type { GraphEdge } from '../../../graph/model.ts';
import type { ResourceView as ApiResourceView } from '../../../api/schemas.ts';
import type { ResourceView } from '../../../graph/store.ts';
import { consoleUrl } from '../console-link.ts';
import { button, h } from '../dom.ts';
import { familyOf, FAMILY_COLOURS } from '../graph/family.ts';
import { identityOfKey, shortType } from '../graph/keys.ts';
import { displayName } from '../graph/shape.ts';
import { ICONS } from '../icons.ts';
import { formatTime } from '../time/format.ts';
import { configTree } from './config-tree.ts';

export interface DetailsActions {
  open(key: string): void;
  toggle(key: string): void;
  hide(key: string): void;
  history(key: string): void;
  pathFrom(key: string): void;
  /** Move the view to a time (a deleted resource's last moment, SPEC T3). */
  showAt(at: string): void;
}

function row(term: string, value: string | undefined): HTMLElement[] {
  return value ? [h('dt', {}, term), h('dd', {}, value)] : [];
}

function relationshipList(
  title: string,
  edges: GraphEdge[],
  other: (e: GraphEdge) => string,
  actions: DetailsActions,
): HTMLElement {
  const section = h(
    'section',
    { class: 'relationships', 'aria-label': title },
    h('h3', {}, `${title} (${edges.length})`),
  );
  if (!edges.length) {
    section.append(h('p', { class: 'muted' }, 'None at this time.'));
    return section;
  }
  const list = h('ul', { class: 'rel-list' });
  for (const e of [...edges].sort((a, b) => a.name.localeCompare(b.name) || other(a).localeCompare(other(b)))) {
    const target = other(e);
    const id = identityOfKey(target);
    const link = button(id ? `${shortType(id.resourceType)} ${id.resourceId}` : target, () => actions.open(target), {
      class: 'link-button',
      title: `Open ${target}`,
    });
    const origin = e.origin === 'derived' ? `derived${e.rule ? ` (${e.rule})` : ''}` : 'config';
    list.append(
      h(
        'li',
        { class: `rel rel-${e.origin}` },
        // JSON quotes show the raw name exactly, trailing space included ("Is associated with ").
        h('code', { class: 'rel-name', title: e.type }, JSON.stringify(e.name)),
        ' ',
        link,
        ' ',
        h('span', { class: 'badge' }, origin),
        e.validTo ? h('span', { class: 'muted' }, ` until ${formatTime(e.validTo)}`) : null,
      ),
    );
  }
  section.append(list);
  return section;
}

/**
 * What the time says about this resource (SPEC T1, T3): created before Config first recorded it, deleted
 * (with a way to see it at its last moment), or not there at all.
 */
function timeNotice(view: ResourceView, at: string | undefined, actions: DetailsActions): HTMLElement | null {
  const { node } = view;
  if (node.beforeFirstRecord)
    return h(
      'p',
      { class: 'notice notice-first-recorded', role: 'status' },
      `First recorded at ${formatTime(node.firstRecordedAt)}: Config says it was created earlier, so it is shown as first recorded. ` +
        'Before then only its placement in a VPC or subnet is shown.',
    );
  if (view.existsAt) return null;
  if (node.deletedAt) {
    const p = h(
      'p',
      { class: 'notice notice-deleted', role: 'status' },
      `Deleted at ${formatTime(node.deletedAt)}${node.lastExistedAt ? `, last seen ${formatTime(node.lastExistedAt)}` : ''}. ` +
        'Name and tags are its last known ones.',
    );
    const last = node.lastExistedAt;
    if (last) {
      p.append(
        ' ',
        button('Show it as of its last moment', () => actions.showAt(last), { class: 'link-button' }),
      );
    }
    return p;
  }
  return h(
    'p',
    { class: 'notice', role: 'status' },
    `This resource did not exist ${at ? `at ${formatTime(at)}` : 'now'} (deleted, or not yet recorded).`,
  );
}

/** Its Config rule results at the view's time (SPEC C3): rule, status, since when. */
function complianceSection(results: ApiResourceView['compliance']): HTMLElement {
  const section = h(
    'section',
    { class: 'compliance', 'aria-label': 'Config rules' },
    h('h3', {}, `Config rules (${results.length})`),
  );
  if (!results.length) {
    section.append(h('p', { class: 'muted' }, 'No Config rule evaluated it at this time.'));
    return section;
  }
  const list = h('ul', { class: 'rule-list' });
  for (const r of [...results].sort((a, b) => a.rule.localeCompare(b.rule))) {
    const broken = r.status === 'NON_COMPLIANT';
    list.append(
      h(
        'li',
        { class: `rule-result${broken ? ' rule-broken' : ''}`, 'data-rule': r.rule, 'data-status': r.status },
        h('code', {}, r.rule),
        ' ',
        h('span', { class: `badge${broken ? ' warn' : ''}` }, broken ? `⚠ ${r.status}` : r.status),
        h('span', { class: 'muted' }, ` since ${formatTime(r.since)}`),
      ),
    );
  }
  section.append(list);
  return section;
}

export function detailsPanel(
  view: ResourceView & Partial<Pick<ApiResourceView, 'compliance'>>,
  at: string | undefined,
  expanded: boolean,
  actions: DetailsActions,
): HTMLElement {
  const { node, version } = view;
  const family = familyOf(node.resourceType);
  const icon = h(
    'span',
    { class: 'details-icon', 'aria-hidden': 'true' },
    h('img', { src: ICONS[family], alt: '', width: 24, height: 24 }),
  );
  icon.style.backgroundColor = FAMILY_COLOURS[family];

  const buttons = h('div', { class: 'button-row' });
  const add = (label: string, fn: () => void, title?: string) => buttons.append(button(label, fn, { title }));
  add('Centre view here', () => actions.open(node.key), 'Make this resource the centre of the view');
  add(
    expanded ? 'Collapse' : 'Expand',
    () => actions.toggle(node.key),
    'Show or hide its direct neighbours (or double-click the node)',
  );
  add('Hide', () => actions.hide(node.key), 'Hide this node (Filters lists hidden nodes)');
  add('History', () => actions.history(node.key));
  add('Path from here…', () => actions.pathFrom(node.key));

  const props = h(
    'dl',
    { class: 'props' },
    ...row('Type', node.resourceType),
    ...row('Id', node.resourceId),
    ...row('Name', node.resourceName),
    ...row('ARN', node.arn ?? version?.arn),
    ...row('Account', node.accountId),
    ...row('Region', node.awsRegion),
    ...row('Availability zone', node.availabilityZone),
    ...row(
      'Status',
      node.status + (node.recorded ? '' : ' (not recorded by Config: known only as a relationship target)'),
    ),
    ...row('Version captured', formatTime(node.captureTime)),
    ...row('First recorded', node.beforeFirstRecord ? formatTime(node.firstRecordedAt) : undefined),
    ...row('Deleted', node.deletedAt ? formatTime(node.deletedAt) : undefined),
    ...row('Last existed', node.lastExistedAt ? formatTime(node.lastExistedAt) : undefined),
    ...row('Created', version?.resourceCreationTime ? formatTime(version.resourceCreationTime) : undefined),
    ...row('Configuration state', version?.configurationStateId),
    ...row(
      'Source',
      version?.source ? [version.source.shape, version.source.file].filter(Boolean).join(' · ') : undefined,
    ),
    ...row('Key', node.key),
  );

  const notice = timeNotice(view, at, actions);

  const tags = Object.entries(version?.tags ?? node.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const tagSection = h('section', { 'aria-label': 'Tags' }, h('h3', {}, `Tags (${tags.length})`));
  if (tags.length) {
    const table = h(
      'table',
      { class: 'tags' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'))),
    );
    const body = h('tbody', {});
    for (const [k, v] of tags) body.append(h('tr', {}, h('td', {}, k), h('td', {}, v)));
    table.append(body);
    tagSection.append(table);
  } else
    tagSection.append(
      h(
        'p',
        { class: 'muted' },
        version && version.tags === null ? 'Tags were not delivered by this source.' : 'No tags.',
      ),
    );

  const configSection = h('section', { 'aria-label': 'Configuration' }, h('h3', {}, 'Configuration'));
  if (version && version.configuration !== null && version.configuration !== undefined)
    configSection.append(configTree(version.configuration));
  else
    configSection.append(
      h('p', { class: 'muted' }, version ? 'No configuration (deleted resources have none).' : 'No version recorded.'),
    );
  const supplementary = version?.supplementaryConfiguration ?? {};
  if (Object.keys(supplementary).length)
    configSection.append(configTree(supplementary, 'supplementaryConfiguration', false));

  const link = h(
    'a',
    { href: consoleUrl(node), target: '_blank', rel: 'noopener noreferrer', class: 'console-link' },
    'Open in the AWS console ↗',
  );

  return h(
    'div',
    { class: 'details', 'data-key': node.key },
    h(
      'header',
      { class: 'details-header' },
      icon,
      h(
        'div',
        {},
        h('h2', { class: 'details-title' }, displayName(node)),
        h('p', { class: 'muted' }, `${shortType(node.resourceType)} · ${formatTime(at)}`),
      ),
    ),
    notice,
    buttons,
    link,
    props,
    complianceSection(view.compliance ?? []),
    tagSection,
    relationshipList('Outgoing relationships', view.outgoing, (e) => e.target, actions),
    relationshipList('Incoming relationships', view.incoming, (e) => e.source, actions),
    configSection,
  );
}
