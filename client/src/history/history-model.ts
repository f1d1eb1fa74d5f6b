// What the history timeline shows, computed from the API's ResourceHistory: newest first, each
// version with a one-line summary and its changes as display strings.
import type { HistoryEntry } from '../../../graph/model.ts';
import type { ResourceHistory as ApiHistory } from '../../../api/schemas.ts';
import type { ResourceHistory } from '../../../graph/store.ts';
import { identityOfKey, shortType } from '../graph/keys.ts';
import { formatTime } from '../time/format.ts';

export interface ChangeLine {
  change: 'added' | 'removed' | 'changed';
  /** What changed: a configuration path, a tag key, or a relationship. */
  subject: string;
  before?: string;
  after?: string;
}

export interface HistoryRow {
  captureTime: string;
  when: string;
  status: string;
  inferred: boolean;
  created: boolean;
  deleted: boolean;
  summary: string;
  statusChange?: string;
  who: string[];
  configuration: ChangeLine[];
  tags: ChangeLine[];
  relationships: ChangeLine[];
}

/** Values shown compactly: strings as they are, everything else as JSON, long ones cut. */
export function formatValue(value: unknown, max = 160): string {
  let s: string;
  if (value === undefined) s = '—';
  else if (typeof value === 'string') s = value;
  else {
    try {
      // undefined only for functions and symbols, which JSON cannot hold.
      s = JSON.stringify(value) ?? typeof value;
    } catch {
      s = 'unprintable value';
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const DELETED = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

export function historyRow(entry: HistoryEntry): HistoryRow {
  const c = entry.changes;
  const configuration: ChangeLine[] = c.configuration.map((x) => {
    const line: ChangeLine = { change: x.change, subject: x.path || '(whole configuration)' };
    if (x.change !== 'added') line.before = formatValue(x.oldValue);
    if (x.change !== 'removed') line.after = formatValue(x.newValue);
    return line;
  });
  const tags: ChangeLine[] = c.tags.map((t) => {
    const line: ChangeLine = { change: t.change, subject: t.key };
    if (t.change !== 'added') line.before = formatValue(t.oldValue);
    if (t.change !== 'removed') line.after = formatValue(t.newValue);
    return line;
  });
  const relationships: ChangeLine[] = c.relationships.map((r) => {
    const target = r.targetId ?? r.targetName ?? identityOfKey(r.target)?.resourceId ?? r.target;
    const origin = r.origin === 'derived' ? ' (derived)' : '';
    return { change: r.change, subject: `${r.name.trim()} → ${shortType(r.targetType)} ${target}${origin}` };
  });
  const deleted = DELETED.has(entry.status);
  const parts: string[] = [];
  if (c.created) parts.push('first recorded');
  if (deleted) parts.push(entry.inferred ? 'deleted (inferred: missing from a full snapshot)' : 'deleted');
  else if (c.statusChange) parts.push(`status ${c.statusChange.from} → ${c.statusChange.to}`);
  if (configuration.length) parts.push(plural(configuration.length, 'configuration change'));
  if (tags.length) parts.push(plural(tags.length, 'tag change'));
  if (relationships.length) parts.push(plural(relationships.length, 'relationship change'));
  if (!parts.length) parts.push('no visible change');
  const row: HistoryRow = {
    captureTime: entry.captureTime,
    when: formatTime(entry.captureTime),
    status: entry.status,
    inferred: entry.inferred,
    created: c.created,
    deleted,
    summary: parts.join(', '),
    who: (entry.changedBy ?? []).map((w) => `${w.principal} (${w.eventName}, ${formatTime(w.eventTime)})`),
    configuration,
    tags,
    relationships,
  };
  if (c.statusChange) row.statusChange = `${c.statusChange.from} → ${c.statusChange.to}`;
  return row;
}

export function historyRows(history: ResourceHistory): HistoryRow[] {
  return [...history.versions].sort((a, b) => b.captureTime.localeCompare(a.captureTime)).map(historyRow);
}

/** A Config rule result change as the history panel lists it (SPEC C4). */
export interface ComplianceRow {
  at: string;
  when: string;
  rule: string;
  /** "became non-compliant with restricted-ssh", "first evaluated COMPLIANT by …", … */
  text: string;
  /** The change just before it and who made it, when known. */
  cause?: string;
  nonCompliant: boolean;
}

type Transition = ApiHistory['compliance'][number];

function transitionText(t: Transition): string {
  if (t.to === 'NON_COMPLIANT') return `became non-compliant with ${t.rule}`;
  if (t.to === 'COMPLIANT' && t.from !== null) return `became compliant with ${t.rule}`;
  if (t.to === null) return `no longer evaluated by ${t.rule}`;
  if (t.from === null) return `first evaluated by ${t.rule}: ${t.to}`;
  return `${t.rule}: ${t.from} → ${t.to}`;
}

/** The resource's compliance transitions, newest first, each with its cause when the API knows it. */
export function complianceRows(transitions: ApiHistory['compliance']): ComplianceRow[] {
  return [...transitions]
    .sort((a, b) => b.at.localeCompare(a.at) || a.rule.localeCompare(b.rule))
    .map((t) => {
      const row: ComplianceRow = {
        at: t.at,
        when: formatTime(t.at),
        rule: t.rule,
        text: transitionText(t),
        nonCompliant: t.to === 'NON_COMPLIANT',
      };
      if (t.cause) {
        const who = (t.cause.changedBy ?? []).map((w) => `${w.principal} (${w.eventName})`);
        row.cause = `after the change captured at ${formatTime(t.cause.captureTime)}, by ${who.length ? who.join('; ') : 'unknown (no CloudTrail event matched)'}`;
      }
      return row;
    });
}
