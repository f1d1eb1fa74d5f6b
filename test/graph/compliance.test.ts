// Compliance timelines from AWS::Config::ResourceCompliance CIs (SPEC C1–C4), pure: no store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  causeOf,
  complianceAt,
  complianceTargetKey,
  complianceTimeline,
  complianceTransitions,
  isComplianceKey,
  readCompliance,
  type ComplianceVersion,
} from '../../graph/compliance.ts';
import type { ConfigItem, HistoryEntry } from '../../graph/model.ts';
import { parseFileContent } from '../../graph/parse/index.ts';
import { compareVersions, versionFromItem } from '../../graph/versions.ts';

const DIR = join(import.meta.dirname, '..', 'config-shaped', 'compliance');
const SG_FILE = 'get-resource-config-history.security-group-compliance.json';
const VOLUME_FILE = 'config-history.volume-compliance.json';

function itemsOf(file: string): ConfigItem[] {
  const r = parseFileContent(readFileSync(join(DIR, file)), file);
  expect(r.skipped, file).toEqual([]);
  return r.items;
}

function versionsOf(items: ConfigItem[]): ComplianceVersion[] {
  return items.map((i) => versionFromItem(i)).sort(compareVersions);
}

const version = (captureTime: string, rules: Record<string, string>, status = 'OK'): ComplianceVersion => ({
  captureTime,
  status,
  configuration: {
    targetResourceType: 'AWS::EC2::SecurityGroup',
    targetResourceId: 'sg-1',
    configRuleList: Object.entries(rules).map(([configRuleName, complianceType]) => ({
      configRuleName,
      complianceType,
    })),
  },
});

describe('compliance CIs in both of AWS key spellings (C1)', () => {
  it('C1: the API spelling (configuration as a JSON string) names its target and each rule result', () => {
    const items = itemsOf(SG_FILE);
    expect(items).toHaveLength(3);
    const [first] = items;
    expect(first).toMatchObject({
      accountId: '123456789012',
      awsRegion: 'us-east-1',
      resourceType: 'AWS::Config::ResourceCompliance',
      resourceId: 'AWS::EC2::SecurityGroup/sg-0a1b2c3d4e5f60718',
    });
    const reading = readCompliance(first!.resourceId, first!.configuration);
    expect(reading).toMatchObject({ targetType: 'AWS::EC2::SecurityGroup', targetId: 'sg-0a1b2c3d4e5f60718' });
    expect(reading!.rules.map((r) => r.rule)).toEqual(['required-tags', 'restricted-ssh']);
    expect(reading!.rules[1]).toMatchObject({
      ruleId: 'config-rule-a1b2c3',
      ruleArn: 'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-a1b2c3',
    });
    expect(complianceTargetKey(first!, reading!)).toBe(
      '123456789012|us-east-1|AWS::EC2::SecurityGroup|sg-0a1b2c3d4e5f60718',
    );
  });

  it('C1: the S3 delivery spelling (configuration as an object, relationships by name) reads the same', () => {
    const items = itemsOf(VOLUME_FILE);
    expect(items).toHaveLength(2);
    const reading = readCompliance(items[0]!.resourceId, items[0]!.configuration);
    expect(reading).toEqual({
      targetType: 'AWS::EC2::Volume',
      targetId: 'vol-0f1e2d3c4b5a69788',
      rules: [
        {
          rule: 'encrypted-volumes',
          status: 'NON_COMPLIANT',
          ruleId: 'config-rule-0a9b8c',
          ruleArn: 'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-0a9b8c',
        },
      ],
    });
    expect(items[0]!.relationships).toEqual([
      expect.objectContaining({ name: 'Is associated with ', resourceType: 'AWS::EC2::Volume' }),
    ]);
  });

  it('C1: without target fields the target is read from the resource id `Type/id`; without either, nothing', () => {
    expect(readCompliance('AWS::S3::Bucket/configrules-bucket', { configRuleList: [] })).toEqual({
      targetType: 'AWS::S3::Bucket',
      targetId: 'configrules-bucket',
      rules: [],
    });
    expect(readCompliance('not-a-target', { configRuleList: [] })).toBeNull();
    expect(readCompliance('AWS::S3::Bucket/b', 'not an object')).toMatchObject({ targetId: 'b', rules: [] });
  });

  it('C1: rule entries without a name or with an unknown result are left out; results are read in any case', () => {
    const reading = readCompliance('AWS::EC2::Volume/vol-1', {
      configRuleList: [
        { configRuleName: 'a', complianceType: 'non_compliant' },
        { configRuleName: '', complianceType: 'COMPLIANT' },
        { configRuleName: 'b', complianceType: 'ERROR' },
        'junk',
      ],
    });
    expect(reading!.rules).toEqual([{ rule: 'a', status: 'NON_COMPLIANT' }]);
  });
});

describe('compliance keys (C5)', () => {
  it('C5: a key is a compliance item’s by its third field only', () => {
    expect(isComplianceKey('111|us-east-1|AWS::Config::ResourceCompliance|AWS::EC2::Volume/vol-1')).toBe(true);
    expect(isComplianceKey('111|us-east-1|AWS::Config::ResourceCompliance')).toBe(true);
    expect(isComplianceKey('111|us-east-1|AWS::Config::ResourceComplianceX|a')).toBe(false);
    expect(isComplianceKey('111|us-east-1|AWS::Config::ResourceComplianc|a')).toBe(false);
    expect(isComplianceKey('111|us-east-1|AWS::EC2::Volume|AWS::Config::ResourceCompliance')).toBe(false);
    expect(isComplianceKey('AWS::Config::ResourceCompliance|a|b')).toBe(false);
    expect(isComplianceKey('111|AWS::Config::ResourceCompliance')).toBe(false);
    expect(isComplianceKey('vol-1')).toBe(false);
  });
});

describe('compliance timelines (C2, C3)', () => {
  it('C2: the fixture security group was compliant, broke restricted-ssh, then complied again', () => {
    const items = itemsOf(SG_FILE);
    const timeline = complianceTimeline(items[0]!.resourceId, versionsOf(items));
    expect(timeline).toEqual([
      { rule: 'required-tags', status: 'COMPLIANT', from: '2024-03-01T08:00:00.000Z', to: null },
      {
        rule: 'restricted-ssh',
        status: 'COMPLIANT',
        from: '2024-03-01T08:00:00.000Z',
        to: '2024-03-03T12:00:00.500Z',
      },
      {
        rule: 'restricted-ssh',
        status: 'NON_COMPLIANT',
        from: '2024-03-03T12:00:00.500Z',
        to: '2024-03-06T12:00:00.250Z',
      },
      { rule: 'restricted-ssh', status: 'COMPLIANT', from: '2024-03-06T12:00:00.250Z', to: null },
    ]);
  });

  it('C3: read at a time, with the start of the unbroken result as `since`', () => {
    const items = itemsOf(SG_FILE);
    const timeline = complianceTimeline(items[0]!.resourceId, versionsOf(items));
    expect(complianceAt(timeline, '2024-03-04T00:00:00.000Z')).toEqual([
      { rule: 'required-tags', status: 'COMPLIANT', since: '2024-03-01T08:00:00.000Z' },
      { rule: 'restricted-ssh', status: 'NON_COMPLIANT', since: '2024-03-03T12:00:00.500Z' },
    ]);
    // The capture instant itself belongs to the new result; before the first capture nothing is known.
    expect(complianceAt(timeline, '2024-03-06T12:00:00.250Z')[1]).toMatchObject({ status: 'COMPLIANT' });
    expect(complianceAt(timeline, '2024-02-01T00:00:00.000Z')).toEqual([]);
    expect(complianceAt(timeline).map((r) => r.status)).toEqual(['COMPLIANT', 'COMPLIANT']);
  });

  it('C2: repeated captures of the same result are one interval; `since` is its first capture', () => {
    const timeline = complianceTimeline('x', [
      version('2024-01-01T00:00:00.000Z', { r: 'NON_COMPLIANT' }),
      version('2024-01-02T00:00:00.000Z', { r: 'NON_COMPLIANT' }),
      version('2024-01-03T00:00:00.000Z', { r: 'NON_COMPLIANT' }),
    ]);
    expect(timeline).toEqual([{ rule: 'r', status: 'NON_COMPLIANT', from: '2024-01-01T00:00:00.000Z', to: null }]);
    expect(complianceAt(timeline, '2024-01-05T00:00:00.000Z')[0]!.since).toBe('2024-01-01T00:00:00.000Z');
  });

  it('C2: a rule no longer listed ends its result; a deleted compliance item ends them all', () => {
    const timeline = complianceTimeline('x', [
      version('2024-01-01T00:00:00.000Z', { a: 'COMPLIANT', b: 'NON_COMPLIANT' }),
      version('2024-01-02T00:00:00.000Z', { a: 'COMPLIANT' }),
      { captureTime: '2024-01-03T00:00:00.000Z', status: 'ResourceDeleted', configuration: null },
    ]);
    expect(timeline).toEqual([
      { rule: 'a', status: 'COMPLIANT', from: '2024-01-01T00:00:00.000Z', to: '2024-01-03T00:00:00.000Z' },
      { rule: 'b', status: 'NON_COMPLIANT', from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' },
    ]);
    expect(complianceAt(timeline, '2024-01-02T12:00:00.000Z')).toEqual([
      { rule: 'a', status: 'COMPLIANT', since: '2024-01-01T00:00:00.000Z' },
    ]);
    expect(complianceAt(timeline)).toEqual([]);
  });
});

describe('compliance transitions and their cause (C4)', () => {
  const timeline = complianceTimeline('x', [
    version('2024-01-01T00:00:00.000Z', { ssh: 'COMPLIANT' }),
    version('2024-01-02T00:05:00.000Z', { ssh: 'NON_COMPLIANT' }),
    version('2024-01-03T00:00:00.000Z', {}),
    version('2024-01-04T00:00:00.000Z', { ssh: 'COMPLIANT' }),
  ]);

  it('C4: first evaluation, each change, removal and re-evaluation, oldest first', () => {
    expect(complianceTransitions(timeline)).toEqual([
      { rule: 'ssh', at: '2024-01-01T00:00:00.000Z', from: null, to: 'COMPLIANT' },
      { rule: 'ssh', at: '2024-01-02T00:05:00.000Z', from: 'COMPLIANT', to: 'NON_COMPLIANT' },
      { rule: 'ssh', at: '2024-01-03T00:00:00.000Z', from: 'NON_COMPLIANT', to: null },
      { rule: 'ssh', at: '2024-01-04T00:00:00.000Z', from: null, to: 'COMPLIANT' },
    ]);
  });

  it('C4: the cause is the evaluated resource’s change captured at or just before the transition, with who made it', () => {
    const entry = (captureTime: string, principal?: string): HistoryEntry => ({
      captureTime,
      status: 'OK',
      inferred: false,
      source: { shape: 'test' },
      changes: { created: false, configuration: [], tags: [], relationships: [] },
      ...(principal
        ? { changedBy: [{ principal, eventName: 'AuthorizeSecurityGroupIngress', eventTime: captureTime }] }
        : {}),
    });
    const history = [
      entry('2023-12-31T00:00:00.000Z'),
      entry('2024-01-02T00:00:00.000Z', 'arn:aws:iam::123456789012:user/alice'),
      entry('2024-01-02T06:00:00.000Z'),
    ];
    const [, broke] = complianceTransitions(timeline);
    expect(causeOf(broke!, history)).toEqual({
      captureTime: '2024-01-02T00:00:00.000Z',
      changedBy: [
        {
          principal: 'arn:aws:iam::123456789012:user/alice',
          eventName: 'AuthorizeSecurityGroupIngress',
          eventTime: '2024-01-02T00:00:00.000Z',
        },
      ],
    });
    expect(causeOf({ rule: 'ssh', at: '2023-01-01T00:00:00.000Z', from: null, to: 'COMPLIANT' }, history)).toBe(
      undefined,
    );
  });
});
