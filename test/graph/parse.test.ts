// Parser tests over every family of real samples (SPEC P1–P6).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDocument, parseFileContent } from '../../graph/parse/index.ts';
import { listDataFiles } from '../../server/import.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const read = (p: string) => readFileSync(join(FIXTURES, p));
const parse = (p: string) => parseFileContent(read(p), p);

describe('parsing real AWS Config samples', () => {
  it('P1: every valid JSON sample is recognised or reported as not a configuration item, with a reason', async () => {
    const { files } = listDataFiles([FIXTURES]);
    expect(files.length).toBeGreaterThan(150);
    for (const f of files) {
      const rel = relative(FIXTURES, f);
      const r = parseFileContent(readFileSync(f), rel);
      const accounted =
        r.items.length +
        r.skipped.length +
        (r.shape.includes('get-resource-config-history') || r.shape.includes('select-results') ? 1 : 0);
      expect(accounted, rel).toBeGreaterThan(0);
      for (const s of r.skipped) {
        expect(s.file).toBe(rel);
        expect(s.reason.length, rel).toBeGreaterThan(10);
      }
      if (rel.startsWith('aws-config-rdk/example_ci/') && !rel.includes('invalid-json')) {
        expect(r.items, rel).toHaveLength(1);
      }
    }
  });

  it('P1: API shape (RDK CI) gives identity, parsed configuration and raw relationship names', () => {
    const r = parse('aws-config-rdk/example_ci/AWS_EC2_Instance.json');
    expect(r.shape).toBe('ci');
    const [ci] = r.items;
    expect(ci).toMatchObject({
      accountId: '681361479661',
      awsRegion: 'us-east-1',
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-03402838daac1d611',
      captureTime: '2017-04-05T22:23:11.677Z',
      status: 'ResourceDiscovered',
      configurationStateId: '1491430991677',
    });
    expect(ci!.relationships!.map((x) => x.name)).toContain('Is contained in Vpc');
    expect(typeof ci!.configuration).toBe('object');
  });

  it('P1/P2: GetResourceConfigHistory recordings: configuration as a JSON string, datetimes, empty pages with a token', () => {
    const r = parse('cloud-custodian/tests/data/placebo/test_sg_config_diff/config.GetResourceConfigHistory_1.json');
    expect(r.shape).toBe('recorded-get-resource-config-history');
    expect(r.items.map((i) => i.captureTime)).toEqual(['2016-12-11T06:04:03.800Z', '2016-12-11T06:04:02.376Z']);
    expect((r.items[0]!.configuration as { groupId: string }).groupId).toBe('sg-a38ed1de');
    expect(r.items[0]!.tags).toEqual({ NetworkLocation: 'DMZ', App: 'blue-moon' });
    const empty = parse(
      'cloud-custodian/tests/data/placebo/test_ecs_service_config/config.GetResourceConfigHistory_2.json',
    );
    expect(empty.items).toEqual([]);
    expect(empty.notes.join()).toMatch(/empty page that still carries a nextToken/);
  });

  it('P2: a deleted CI has null configuration and no relationships; CLI epoch capture times are converted', () => {
    const r = parse(
      'cloud-custodian/tests/data/placebo/test_ebs_health_events_filter/config.GetResourceConfigHistory_1.json',
    );
    const deleted = r.items.find((i) => i.status === 'ResourceDeleted')!;
    expect(deleted.configuration).toBeNull();
    expect(deleted.relationships).toEqual([]);
    const cli = parse(
      'aws-config-developer-guide/view-manage-resource-console.get-resource-config-history.cli-output.json',
    );
    expect(cli.items[0]!.captureTime).toBe('2014-10-30T22:35:29.922Z');
  });

  it('P1/P2: S3 files and SNS v1.0 notifications: notification key spelling, upper-case types, old field spellings', () => {
    const snap = parse('aws-config-developer-guide/deliver-snapshot-cli.example-config-snapshot.json');
    expect(snap.items.map((i) => [i.resourceType, i.awsRegion])).toEqual([
      ['AWS::EC2::Volume', 'us-west-2'],
      ['AWS::EC2::Instance', 'us-west-2'],
    ]);
    const sns = parse('aws-config-developer-guide/example-sns-notification.1-volume-attached.json');
    expect(sns.items[0]!.resourceType).toBe('AWS::EC2::Volume');
    expect(sns.items[0]!.relationships![0]).toMatchObject({
      resourceType: 'AWS::EC2::Instance',
      name: 'Attached to Instance',
    });
    const sns2 = parse('aws-config-developer-guide/example-sns-notification.2-instance-security-group-replaced.json');
    expect(sns2.shape).toBe('sns-notification');
    expect(sns2.items[0]!.relationships!.length).toBe(5);
  });

  it('P1: SNS Message delivered as a JSON string (as on the wire) parses like the object form', () => {
    const doc = JSON.parse(
      read('aws-config-developer-guide/example-sns-notification.3-security-group-created.json').toString(),
    ) as Record<string, unknown>;
    const asObject = parseDocument(doc, 'a.json');
    const asString = parseDocument({ ...doc, Message: JSON.stringify(doc.Message) }, 'a.json');
    expect(asString.items).toEqual(asObject.items);
    expect(asString.items).toHaveLength(1);
  });

  it('P1: EventBridge events and Config-rule events carrying a CI', () => {
    const eb = parse('aws-docs-eventbridge-example/config-configuration-item-change.eventbridge.efs-filesystem.json');
    expect(eb.shape).toBe('eventbridge-event');
    expect(eb.items[0]!.resourceType).toBe('AWS::EFS::FileSystem');
    const rule = parse(
      'aws-config-developer-guide/evaluate-config_develop-rules_example-events.1-change-triggered.json',
    );
    expect(rule.items[0]).toMatchObject({ resourceId: 'i-00000000', accountId: '123456789012' });
  });

  it('P1: delivery notifications, scheduled and oversized events, schemas and resource lists are not configuration items', () => {
    for (const f of [
      'aws-config-developer-guide/example-configuration-snapshot-notification.json',
      'aws-config-developer-guide/example-configuration-history-notification.json',
      'aws-config-developer-guide/evaluate-config_develop-rules_example-events.3-periodic.json',
      'aws-config-developer-guide/oversized-notification-example.summary-part.json',
      'aws-config-resource-schema/AWS.properties.json',
      'cloud-custodian/tests/data/placebo/test_eks_config/config.ListDiscoveredResources_1.json',
    ]) {
      const r = parse(f);
      expect(r.shape, f).toBe('not-config-data');
      expect(r.items, f).toEqual([]);
      expect(r.skipped[0]!.reason, f).toMatch(/^not a configuration item: /);
    }
  });

  it('P3: Select results without identity fields are skipped with the reason; with them they parse', () => {
    const r = parse('cloud-custodian/tests/data/placebo/test_kms_key_related/config.SelectResourceConfig_1.json');
    expect(r.skipped.map((s) => s.item)).toEqual(['Results[0]', 'Results[1]', 'Results[2]']);
    expect(r.skipped[0]!.reason).toMatch(/no resourceType/);
    const ok = parseDocument(
      {
        Results: [
          JSON.stringify({
            resourceId: 'sg-1',
            resourceType: 'AWS::EC2::SecurityGroup',
            accountId: '1',
            awsRegion: 'eu-west-1',
            configurationItemCaptureTime: '2024-01-01T00:00:00Z',
            tags: [{ key: 'a', value: 'b' }],
            relationships: [
              { resourceId: 'vpc-1', resourceType: 'AWS::EC2::VPC', relationshipName: 'Is contained in Vpc' },
            ],
          }),
          '{broken',
        ],
      },
      'select.json',
    );
    expect(ok.items[0]!.tags).toEqual({ a: 'b' });
    expect(ok.skipped).toEqual([{ file: 'select.json', item: 'Results[1]', reason: 'result is not valid JSON' }]);
  });

  it('P3/P4: missing identity fields are named; a missing account comes from siblings, the ARN or "unknown"', () => {
    const r = parseDocument(
      {
        configurationItems: [
          {
            resourceType: 'AWS::S3::Bucket',
            awsRegion: 'eu-west-1',
            configurationItemCaptureTime: '2024-01-01T00:00:00Z',
          },
          { resourceId: 'x', awsRegion: 'eu-west-1', configurationItemCaptureTime: '2024-01-01T00:00:00Z' },
          { resourceType: 'AWS::S3::Bucket', resourceId: 'b', awsRegion: 'eu-west-1' },
        ],
      },
      'f.json',
    );
    expect(r.skipped.map((s) => `${s.item}: ${s.reason}`)).toEqual([
      'configurationItems[0]: missing resourceId',
      'configurationItems[1]: missing resourceType',
      'configurationItems[2]: missing configurationItemCaptureTime',
    ]);
    const vol = parse(
      'cloud-custodian/tests/data/placebo/test_ebs_health_events_filter/config.GetResourceConfigHistory_1.json',
    );
    expect(vol.items.map((i) => i.accountId)).toEqual(['unknown', 'unknown']);
    expect(vol.notes.join()).toMatch(/--account/);
    const withAccount = parseFileContent(
      read('cloud-custodian/tests/data/placebo/test_ebs_health_events_filter/config.GetResourceConfigHistory_1.json'),
      'v.json',
      { defaultAccountId: '999988887777' },
    );
    expect(withAccount.items.map((i) => i.accountId)).toEqual(['999988887777', '999988887777']);
  });

  it('P5: invalid JSON, empty files and truncated gzip are skipped whole with the reason', () => {
    expect(parse('aws-config-rdk/example_ci/invalid-json/AWS_EC2_NetworkInterface.json').skipped[0]!.reason).toMatch(
      /^invalid JSON/,
    );
    expect(
      parse('aws-config-rdk/example_ci/invalid-json/AWS_SSM_ManagedInstanceInventory_Linux.json').skipped[0]!.reason,
    ).toMatch(/control character/);
    const gz = gzipSync(read('aws-config-rdk/example_ci/AWS_EC2_VPC.json'));
    expect(parseFileContent(gz, 'vpc.json.gz').items).toHaveLength(1);
    expect(parseFileContent(gz.subarray(0, gz.length - 20), 'vpc.json.gz').skipped[0]!.reason).toMatch(
      /gzip data is truncated or corrupt/,
    );
    expect(parseFileContent(Buffer.from('  '), 'e.json').skipped[0]!.reason).toBe('file is empty');
  });

  it('P6: known types in another case are spelled one way; unknown types are kept as given', () => {
    const r = parseDocument(
      [
        {
          resourceType: 'AWS::EC2::VOLUME',
          resourceId: 'v',
          awsRegion: 'us-east-1',
          configurationItemCaptureTime: '2024-01-01T00:00:00Z',
        },
        {
          resourceType: 'AWS::Brand::NewThing',
          resourceId: 'n',
          awsRegion: 'us-east-1',
          configurationItemCaptureTime: '2024-01-01T00:00:00Z',
        },
      ],
      'a.json',
    );
    expect(r.items.map((i) => i.resourceType)).toEqual(['AWS::EC2::Volume', 'AWS::Brand::NewThing']);
  });

  it('P1: an S3 ConfigSnapshot file is a full snapshot of its scope, timed by its key', () => {
    const doc = {
      fileVersion: '1.0',
      configSnapshotId: 'abc',
      configurationItems: [
        {
          configurationItemVersion: '1.3',
          awsAccountId: '1',
          resourceType: 'AWS::S3::Bucket',
          resourceId: 'b',
          awsRegion: 'eu-west-1',
          configurationItemCaptureTime: '2024-01-01T00:00:00Z',
          configurationStateId: 5,
          configuration: {},
          tags: {},
          relationships: [],
        },
      ],
    };
    const r = parseFileContent(
      gzipSync(JSON.stringify(doc)),
      'AWSLogs/1/Config/eu-west-1/2024/1/2/ConfigSnapshot/1_Config_eu-west-1_ConfigSnapshot_20240102T030405Z_abc.json.gz',
    );
    expect(r.shape).toBe('s3-config-snapshot');
    expect(r.snapshots).toEqual([
      {
        accountId: '1',
        awsRegion: 'eu-west-1',
        time: '2024-01-02T03:04:05.000Z',
        members: ['1|eu-west-1|AWS::S3::Bucket|b'],
      },
    ]);
    expect(r.items[0]!.configurationStateId).toBe('5');
  });

  it('A1: CloudTrail log files and LookupEvents output become write events; read-only calls are ignored', () => {
    const record = {
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/deploy/bob',
        accountId: '111122223333',
      },
      eventTime: '2024-03-05T10:14:02Z',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      awsRegion: 'us-east-1',
      requestParameters: {
        groupId: 'sg-0de0000000000d001',
        ipPermissions: {
          items: [{ ipProtocol: 'tcp', fromPort: 443, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }],
        },
      },
      responseElements: { _return: true },
      eventID: '5d2c-example',
      readOnly: false,
      recipientAccountId: '111122223333',
    };
    const log = parseFileContent(
      gzipSync(
        JSON.stringify({
          Records: [
            record,
            { ...record, eventID: 'ro', eventName: 'DescribeSecurityGroups', readOnly: true },
            { eventVersion: '1.08' },
          ],
        }),
      ),
      'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/x.json.gz',
    );
    expect(log.shape).toBe('cloudtrail-log');
    expect(log.events).toEqual([
      {
        eventId: '5d2c-example',
        eventTime: '2024-03-05T10:14:02.000Z',
        eventName: 'AuthorizeSecurityGroupIngress',
        eventSource: 'ec2.amazonaws.com',
        principal: 'arn:aws:sts::111122223333:assumed-role/deploy/bob',
        accountId: '111122223333',
        awsRegion: 'us-east-1',
        resources: ['sg-0de0000000000d001'],
      },
    ]);
    expect(log.skipped).toEqual([
      { file: expect.any(String), item: 'Records[2]', reason: 'record has no eventID, eventTime or eventName' },
    ]);
    expect(log.notes[0]).toMatch(/1 CloudTrail write events .* 1 read-only events ignored/);
    const lookup = parseDocument(
      {
        Events: [
          {
            EventId: '5d2c-example',
            EventName: 'AuthorizeSecurityGroupIngress',
            CloudTrailEvent: JSON.stringify(record),
          },
        ],
      },
      'lookup.json',
    );
    expect(lookup.shape).toBe('cloudtrail-lookup-events');
    expect(lookup.events).toEqual(log.events);
  });
});
