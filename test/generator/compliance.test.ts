// The generator's Config rules: evaluated over the history, written as ResourceCompliance CIs in the API
// spelling a few minutes after each capture that changes a result (SPEC C1–C2 read them back).
import { describe, expect, it } from 'vitest';
import { COMPLIANCE_RULES, complianceItems, EVALUATION_DELAY_MS } from '../../world/generator/compliance.ts';
import { generateEnvironment, SIZES, toS3Item, type ApiConfigItem } from '../../world/generator/index.ts';
import { permission } from '../../world/generator/network.ts';
import { complianceAt, complianceTimeline, readCompliance } from '../../graph/compliance.ts';
import { parseDocument } from '../../graph/parse/index.ts';
import { compareVersions, versionFromItem } from '../../graph/versions.ts';
import { DEMO, demoEnvironment, demoTimes } from '../../world/demo.ts';

const COMPLIANCE = 'AWS::Config::ResourceCompliance';
const rule = (name: string) => COMPLIANCE_RULES.find((r) => r.name === name)!;

function ci(
  resourceType: string,
  resourceId: string,
  time: string,
  configuration: unknown,
  tags: Record<string, string> = {},
  status = 'OK',
): ApiConfigItem {
  return {
    version: '1.3',
    accountId: '123456789012',
    configurationItemCaptureTime: time,
    configurationItemStatus: status,
    configurationStateId: String(Date.parse(time)),
    configurationItemMD5Hash: '',
    arn: `arn:aws:ec2:us-east-1:123456789012:x/${resourceId}`,
    resourceType,
    resourceId,
    awsRegion: 'us-east-1',
    availabilityZone: 'Not Applicable',
    tags,
    relatedEvents: [],
    relationships: [],
    configuration: JSON.stringify(configuration),
    supplementaryConfiguration: {},
  };
}

/** Every compliance CI's timeline, by the resource id Config gives it (`Type/id`). */
function timelines(items: ApiConfigItem[]) {
  const parsed = parseDocument(
    items.filter((i) => i.resourceType === COMPLIANCE),
    'compliance',
  );
  expect(parsed.skipped).toEqual([]);
  const byId = new Map<string, ReturnType<typeof versionFromItem>[]>();
  for (const item of parsed.items)
    byId.set(item.resourceId, [...(byId.get(item.resourceId) ?? []), versionFromItem(item)]);
  return new Map([...byId].map(([id, versions]) => [id, complianceTimeline(id, versions.sort(compareVersions))]));
}

describe('the generator’s rules', () => {
  it('restricted-ssh: port 22 open to 0.0.0.0/0 or ::/0 (directly, by a range or all traffic) is NON_COMPLIANT', () => {
    const evaluate = (ipPermissions: unknown[]) => rule('restricted-ssh').evaluate({ ipPermissions }, {});
    expect(evaluate([permission('tcp', 22, 22, ['0.0.0.0/0'])])).toBe('NON_COMPLIANT');
    expect(evaluate([permission('tcp', 0, 1024, ['0.0.0.0/0'])])).toBe('NON_COMPLIANT');
    expect(evaluate([permission('-1', undefined, undefined, ['0.0.0.0/0'])])).toBe('NON_COMPLIANT');
    expect(evaluate([{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipv6Ranges: [{ cidrIpv6: '::/0' }] }])).toBe(
      'NON_COMPLIANT',
    );
    expect(evaluate([permission('tcp', 22, 22, ['10.0.0.0/8'])])).toBe('COMPLIANT');
    expect(evaluate([permission('tcp', 443, 443, ['0.0.0.0/0'])])).toBe('COMPLIANT');
    expect(evaluate([permission('udp', 22, 22, ['0.0.0.0/0'])])).toBe('COMPLIANT');
    expect(evaluate([])).toBe('COMPLIANT');
  });

  it('encrypted-volumes and required-tags read the volume’s `encrypted` and the Owner tag', () => {
    expect(rule('encrypted-volumes').evaluate({ encrypted: true }, {})).toBe('COMPLIANT');
    expect(rule('encrypted-volumes').evaluate({ encrypted: false }, {})).toBe('NON_COMPLIANT');
    expect(rule('required-tags').evaluate({}, { Owner: 'team' })).toBe('COMPLIANT');
    expect(rule('required-tags').evaluate({}, { Name: 'x' })).toBe('NON_COMPLIANT');
  });
});

describe('compliance items over a history', () => {
  const open = { ipPermissions: [permission('tcp', 22, 22, ['0.0.0.0/0'])] };
  const closed = { ipPermissions: [permission('tcp', 443, 443, ['0.0.0.0/0'])] };
  const owner = { Owner: 'team' };
  const history = [
    ci('AWS::EC2::SecurityGroup', 'sg-1', '2026-01-01T00:00:00.000Z', closed, owner, 'ResourceDiscovered'),
    ci('AWS::EC2::SecurityGroup', 'sg-1', '2026-01-02T00:00:00.000Z', closed, { ...owner, Name: 'same results' }),
    ci('AWS::EC2::SecurityGroup', 'sg-1', '2026-01-03T00:00:00.000Z', open, owner),
    ci('AWS::EC2::SecurityGroup', 'sg-1', '2026-01-03T00:01:00.000Z', closed, owner),
    ci('AWS::EC2::Subnet', 'subnet-1', '2026-01-03T00:02:00.000Z', {}),
    ci('AWS::EC2::SecurityGroup', 'sg-1', '2026-01-04T00:00:00.000Z', null, {}, 'ResourceDeleted'),
  ];
  const end = Date.parse('2026-02-01T00:00:00.000Z');
  const out = complianceItems(history, end);

  it('writes a version a few minutes after each capture that changes a result, none for unevaluated types', () => {
    expect(out.map((i) => [i.configurationItemCaptureTime, i.configurationItemStatus])).toEqual([
      ['2026-01-01T00:03:00.000Z', 'ResourceDiscovered'],
      ['2026-01-03T00:03:00.000Z', 'OK'],
      // The next result is due before the previous version: it still comes strictly after.
      ['2026-01-03T00:04:00.000Z', 'OK'],
      ['2026-01-04T00:03:00.000Z', 'ResourceDeleted'],
    ]);
    expect(out[0]).toMatchObject({
      resourceType: COMPLIANCE,
      resourceId: 'AWS::EC2::SecurityGroup/sg-1',
      accountId: '123456789012',
      awsRegion: 'us-east-1',
      arn: '',
      relationships: [
        { resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'sg-1', relationshipName: 'Is associated with ' },
      ],
    });
    expect(JSON.parse(out[1]!.configuration)).toMatchObject({
      complianceType: 'NON_COMPLIANT',
      targetResourceId: 'sg-1',
      targetResourceType: 'AWS::EC2::SecurityGroup',
    });
    expect(out[3]).toMatchObject({ configuration: 'null', relationships: [] });
  });

  it('reads back (C1, C2) in both key spellings: broken at the opening, fixed at the closing, ended by the deletion', () => {
    const [timeline] = [...timelines(out).values()];
    expect(timeline!.filter((i) => i.rule === 'restricted-ssh')).toEqual([
      { rule: 'restricted-ssh', status: 'COMPLIANT', from: '2026-01-01T00:03:00.000Z', to: '2026-01-03T00:03:00.000Z' },
      {
        rule: 'restricted-ssh',
        status: 'NON_COMPLIANT',
        from: '2026-01-03T00:03:00.000Z',
        to: '2026-01-03T00:04:00.000Z',
      },
      { rule: 'restricted-ssh', status: 'COMPLIANT', from: '2026-01-03T00:04:00.000Z', to: '2026-01-04T00:03:00.000Z' },
    ]);
    const s3 = parseDocument({ fileVersion: '1.0', configurationItems: out.map(toS3Item) }, 'history.json');
    expect(s3.skipped).toEqual([]);
    expect(readCompliance(s3.items[1]!.resourceId, s3.items[1]!.configuration)?.rules).toEqual([
      expect.objectContaining({ rule: 'required-tags', status: 'COMPLIANT' }),
      expect.objectContaining({
        rule: 'restricted-ssh',
        status: 'NON_COMPLIANT',
        ruleArn: expect.stringMatching(/^arn:aws:config:us-east-1:123456789012:config-rule\//),
      }),
    ]);
  });

  it('records nothing Config would write after the end of the recorded period', () => {
    expect(complianceItems(history, Date.parse('2026-01-03T00:02:00.000Z'))).toHaveLength(1);
  });
});

describe('compliance in generated estates', () => {
  const env = generateEnvironment({ ...SIZES.small, days: 3 });

  it('every evaluated resource has a compliance item, after its first capture; none when asked not to', () => {
    const evaluated = new Set(
      env.items
        .filter((i) => ['AWS::EC2::SecurityGroup', 'AWS::EC2::Volume', 'AWS::EC2::Instance'].includes(i.resourceType))
        .map((i) => `${i.resourceType}/${i.resourceId}`),
    );
    const compliance = new Set(env.items.filter((i) => i.resourceType === COMPLIANCE).map((i) => i.resourceId));
    expect(compliance).toEqual(evaluated);
    const times = env.items.map((i) => i.configurationItemCaptureTime);
    expect([...times].sort()).toEqual(times);
    const none = generateEnvironment({ ...SIZES.small, days: 1, compliance: false });
    expect(none.items.some((i) => i.resourceType === COMPLIANCE)).toBe(false);
  });
});

describe('compliance in the demo', () => {
  const demo = demoEnvironment();
  const all = timelines(demo.items);

  it('the web security group breaks restricted-ssh when port 22 opens and complies again when it closes', () => {
    const timeline = all.get(`AWS::EC2::SecurityGroup/${DEMO.securityGroupId}`)!;
    const at = (t: string) => complianceAt(timeline, t).find((r) => r.rule === 'restricted-ssh');
    expect(at(demoTimes.sshOpened)).toMatchObject({ status: 'COMPLIANT' });
    expect(at(demoTimes.sshOpen)).toEqual({
      rule: 'restricted-ssh',
      status: 'NON_COMPLIANT',
      since: demoTimes.sshNonCompliantSince,
    });
    expect(at(demoTimes.afterSshClosed)).toEqual({
      rule: 'restricted-ssh',
      status: 'COMPLIANT',
      since: demoTimes.sshCompliantAgainSince,
    });
    expect(Date.parse(demoTimes.sshNonCompliantSince) - Date.parse(demoTimes.sshOpened)).toBe(EVALUATION_DELAY_MS);
  });

  it('the data volume is unencrypted throughout', () => {
    const timeline = all.get(`AWS::EC2::Volume/${DEMO.dataVolumeId}`)!;
    expect(timeline.filter((i) => i.rule === 'encrypted-volumes')).toEqual([
      expect.objectContaining({ status: 'NON_COMPLIANT', to: null }),
    ]);
  });
});
