// Compliance in the explorer: who breaks which rule (from a compliance answer), the rules present,
// what changed between two ends, and how the drawing marks and filters non-compliant resources.
import { describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../api/schemas.ts';
import {
  brokenRules,
  complianceChanges,
  complianceLegend,
  complianceChangeText,
  NON_COMPLIANT_BADGE,
  rulesIn,
  rulesWithResult,
} from '../../client/src/graph/compliance-marks.ts';
import { mergeFragments } from '../../client/src/graph/fragments.ts';
import { complianceRows } from '../../client/src/history/history-model.ts';
import { shapeElements, type NodeElement, type ViewFilters } from '../../client/src/graph/shape.ts';
import { edges, instance, nodes, sg, volume } from './fixtures.ts';

const T = '2026-03-05T00:00:00.000Z';
const report = (
  ...results: [typeof sg, string, ComplianceReport['results'][number]['status']][]
): ComplianceReport => ({
  at: T,
  results: results.map(([resource, rule, status]) => ({ resource, rule, status, since: T })),
});

describe('brokenRules and rulesIn', () => {
  it('keeps only NON_COMPLIANT results, rules sorted per resource; lists every rule named', () => {
    const r = report(
      [sg, 'restricted-ssh', 'NON_COMPLIANT'],
      [sg, 'required-tags', 'NON_COMPLIANT'],
      [volume, 'encrypted-volumes', 'COMPLIANT'],
      [instance, 'required-tags', 'NOT_APPLICABLE'],
    );
    expect([...brokenRules(r)]).toEqual([[sg.key, ['required-tags', 'restricted-ssh']]]);
    expect(rulesIn(r)).toEqual(['encrypted-volumes', 'required-tags', 'restricted-ssh']);
  });
});

describe('complianceChanges between two ends', () => {
  it('says which resource became non-compliant or compliant with which rule, by key then rule', () => {
    const before = brokenRules(
      report([volume, 'encrypted-volumes', 'NON_COMPLIANT'], [sg, 'required-tags', 'NON_COMPLIANT']),
    );
    const after = brokenRules(report([sg, 'restricted-ssh', 'NON_COMPLIANT'], [sg, 'required-tags', 'NON_COMPLIANT']));
    const compliant = rulesWithResult(report([volume, 'encrypted-volumes', 'COMPLIANT']), 'COMPLIANT');
    const changes = complianceChanges(before, after, compliant);
    expect(changes).toEqual(
      [
        { key: sg.key, rule: 'restricted-ssh', change: 'became-non-compliant' },
        { key: volume.key, rule: 'encrypted-volumes', change: 'became-compliant' },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(complianceChanges(after, after, compliant)).toEqual([]);
    // No longer broken but not COMPLIANT (NOT_APPLICABLE, INSUFFICIENT_DATA, no result): no change said.
    expect(complianceChanges(before, after, new Map())).toEqual([changes[0]]);
    expect(complianceChangeText('became-non-compliant', 'restricted-ssh')).toBe(
      'became non-compliant with restricted-ssh',
    );
    expect(complianceChangeText('became-compliant', 'restricted-ssh')).toBe('became compliant with restricted-ssh');
  });
});

describe('the drawing of compliance', () => {
  const graph = mergeFragments([{ owner: instance.key, nodes, edges, truncated: false, omitted: [] }]);
  const none: ViewFilters = { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] };
  const compliance = brokenRules(
    report([sg, 'restricted-ssh', 'NON_COMPLIANT'], [volume, 'encrypted-volumes', 'NON_COMPLIANT']),
  );
  const shape = (extra: { nonCompliantOnly?: boolean; rule?: string } = {}) =>
    shapeElements({ graph, root: instance.key, filters: none, grouping: false, expanded: [], compliance, ...extra });
  const byId = (els: ReturnType<typeof shapeElements>['elements']) =>
    new Map(
      els.filter((e): e is NodeElement => e.group === 'nodes' && e.data.kind === 'resource').map((e) => [e.data.id, e]),
    );

  it('marks a resource breaking a rule with a class, the rules in its data and words in its label', () => {
    const els = byId(shape().elements);
    expect(els.get(sg.key)!.classes.split(' ')).toContain('non-compliant');
    expect(els.get(sg.key)!.data.nonCompliant).toBe('restricted-ssh');
    expect(els.get(sg.key)!.data.label.endsWith(`\n${NON_COMPLIANT_BADGE}`)).toBe(true);
    expect(els.get(instance.key)!.classes).not.toContain('non-compliant');
    expect(els.get(instance.key)!.data.label).not.toContain(NON_COMPLIANT_BADGE);
    expect(els.get(instance.key)!.data.nonCompliant).toBeUndefined();
  });

  it('"non-compliant only" keeps the breakers and the start resource, and counts the rest hidden', () => {
    const shaped = shape({ nonCompliantOnly: true });
    expect(shaped.visibleNodes.sort()).toEqual([instance.key, sg.key, volume.key].sort());
    expect(shaped.hiddenCount).toBe(nodes.length - 3);
  });

  it('the rule picked marks only its breakers, naming the rule in the label', () => {
    const els = byId(shape({ rule: 'restricted-ssh' }).elements);
    expect(els.get(sg.key)!.classes.split(' ')).toContain('breaks-rule');
    expect(els.get(sg.key)!.data.label).toContain('⚠ breaks restricted-ssh');
    expect(els.get(volume.key)!.classes).not.toContain('breaks-rule');
    expect(els.get(volume.key)!.data.label).toContain(NON_COMPLIANT_BADGE);
  });
});

describe('compliance transitions in the history panel', () => {
  it('lists them newest first in words, with the change before each and who made it', () => {
    const rows = complianceRows([
      { rule: 'restricted-ssh', at: '2026-03-01T00:00:00.000Z', from: null, to: 'COMPLIANT' },
      {
        rule: 'restricted-ssh',
        at: '2026-03-04T10:05:00.000Z',
        from: 'COMPLIANT',
        to: 'NON_COMPLIANT',
        cause: {
          captureTime: '2026-03-04T10:00:00.000Z',
          changedBy: [
            { principal: 'carol', eventName: 'AuthorizeSecurityGroupIngress', eventTime: '2026-03-04T09:59:00.000Z' },
          ],
        },
      },
      {
        rule: 'restricted-ssh',
        at: '2026-03-06T00:00:00.000Z',
        from: 'NON_COMPLIANT',
        to: 'COMPLIANT',
        cause: { captureTime: '2026-03-05T23:58:00.000Z' },
      },
    ]);
    expect(rows.map((r) => r.text)).toEqual([
      'became compliant with restricted-ssh',
      'became non-compliant with restricted-ssh',
      'first evaluated by restricted-ssh: COMPLIANT',
    ]);
    expect(rows[1]!.nonCompliant).toBe(true);
    expect(rows[1]!.cause).toContain('carol (AuthorizeSecurityGroupIngress)');
    expect(rows[0]!.cause).toContain('unknown');
    expect(rows[2]!.cause).toBeUndefined();
  });
});

describe('the legend of compliance', () => {
  const broken = new Map([
    ['a', ['restricted-ssh']],
    ['b', ['required-tags']],
  ]);
  it('says "non-compliant" only when a drawn resource breaks a rule', () => {
    expect(complianceLegend(new Map(), ['a', 'b'], undefined)).toBeUndefined();
    expect(complianceLegend(broken, ['c'], undefined)).toBeUndefined();
    expect(complianceLegend(undefined, ['a'], undefined)).toBeUndefined();
    expect(complianceLegend(broken, ['a', 'b', 'c'], undefined)).toEqual({ nonCompliant: 2 });
  });
  it('names a picked rule with its breakers drawn, even none', () => {
    expect(complianceLegend(broken, ['a', 'c'], 'restricted-ssh')).toEqual({
      nonCompliant: 1,
      rule: { name: 'restricted-ssh', breakers: 1 },
    });
    expect(complianceLegend(broken, ['c'], 'restricted-ssh')).toEqual({
      rule: { name: 'restricted-ssh', breakers: 0 },
    });
  });
});
