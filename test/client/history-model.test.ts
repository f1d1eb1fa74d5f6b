import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../graph/model.ts';
import { formatValue, historyRow, historyRows } from '../../client/src/history/history-model.ts';
import { sg } from './fixtures.ts';

const base = (captureTime: string, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  captureTime,
  status: 'OK',
  inferred: false,
  source: { shape: 'api' },
  changes: { created: false, configuration: [], tags: [], relationships: [] },
  ...extra,
});

const created = base('2026-03-02T00:30:00.000Z', {
  changes: { created: true, configuration: [], tags: [], relationships: [] },
});
const ruleChanged = base('2026-03-05T10:15:00.000Z', {
  changes: {
    created: false,
    configuration: [
      { path: 'ipPermissions[0].fromPort', change: 'changed', oldValue: 80, newValue: 443 },
      { path: 'ipPermissions[1]', change: 'added', newValue: { ipProtocol: 'tcp', ipRanges: ['10.0.0.0/8'] } },
    ],
    tags: [{ key: 'Owner', change: 'changed', oldValue: 'alice', newValue: '<script>bob</script>' }],
    relationships: [
      {
        change: 'removed',
        name: 'Is associated with ',
        type: 'IS_ASSOCIATED_WITH',
        origin: 'config',
        target: '1|r|AWS::EC2::Instance|i-9',
        targetType: 'AWS::EC2::Instance',
      },
    ],
  },
  changedBy: [
    {
      principal: 'arn:aws:iam::111122223333:user/alice',
      eventName: 'AuthorizeSecurityGroupIngress',
      eventTime: '2026-03-05T10:14:58.000Z',
    },
  ],
});
const deleted = base('2026-03-09T08:30:00.000Z', {
  status: 'ResourceDeleted',
  inferred: true,
  changes: {
    created: false,
    statusChange: { from: 'OK', to: 'ResourceDeleted' },
    configuration: [],
    tags: [],
    relationships: [],
  },
});

describe('history rows', () => {
  it('are newest first', () => {
    const rows = historyRows({ resource: sg, versions: [created, ruleChanged, deleted] });
    expect(rows.map((r) => r.captureTime)).toEqual([deleted.captureTime, ruleChanged.captureTime, created.captureTime]);
  });

  it('show configuration paths old → new, tags and relationships, and who changed it', () => {
    const row = historyRow(ruleChanged);
    expect(row.configuration).toEqual([
      { change: 'changed', subject: 'ipPermissions[0].fromPort', before: '80', after: '443' },
      { change: 'added', subject: 'ipPermissions[1]', after: '{"ipProtocol":"tcp","ipRanges":["10.0.0.0/8"]}' },
    ]);
    // Values stay as plain strings: the view puts them in text nodes.
    expect(row.tags).toEqual([{ change: 'changed', subject: 'Owner', before: 'alice', after: '<script>bob</script>' }]);
    expect(row.relationships).toEqual([{ change: 'removed', subject: 'Is associated with → EC2 Instance i-9' }]);
    expect(row.who).toEqual([
      'arn:aws:iam::111122223333:user/alice (AuthorizeSecurityGroupIngress, 2026-03-05 10:14:58 UTC)',
    ]);
    expect(row.summary).toBe('2 configuration changes, 1 tag change, 1 relationship change');
    expect(row.when).toBe('2026-03-05 10:15:00 UTC');
  });

  it('summarise creation and (inferred) deletion', () => {
    expect(historyRow(created).summary).toBe('first recorded');
    const row = historyRow(deleted);
    expect(row.deleted).toBe(true);
    expect(row.summary).toBe('deleted (inferred: missing from a full snapshot)');
    expect(row.statusChange).toBe('OK → ResourceDeleted');
  });

  it('cut long values', () => {
    expect(formatValue('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(null)).toBe('null');
  });
});
