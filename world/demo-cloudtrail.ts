// The demo's CloudTrail: the write calls behind the demo's scenario changes, as a CloudTrail log file
// ({"Records": [...]}) so they travel through the same parser as a user's logs. Synthetic, fixed in time.
import { DEMO, demoTimes } from './demo.ts';

const before = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) - minutes * 60_000).toISOString().replace('.000Z', 'Z');

const ALICE = {
  type: 'AssumedRole',
  principalId: 'AROADEMOALICE:alice@example.com',
  arn: `arn:aws:sts::${DEMO.accountId}:assumed-role/NetworkAdmin/alice@example.com`,
  accountId: DEMO.accountId,
};
const BOB = {
  type: 'IAMUser',
  principalId: 'AIDADEMOBOB',
  arn: `arn:aws:iam::${DEMO.accountId}:user/bob`,
  accountId: DEMO.accountId,
  userName: 'bob',
};
const CAROL = {
  type: 'IAMUser',
  principalId: 'AIDADEMOCAROL',
  arn: DEMO.sshOpenedBy,
  accountId: DEMO.accountId,
  userName: 'carol',
};
const DAVE = {
  type: 'IAMUser',
  principalId: 'AIDADEMODAVE',
  arn: DEMO.sshClosedBy,
  accountId: DEMO.accountId,
  userName: 'dave',
};
const CLEANUP = {
  type: 'AssumedRole',
  principalId: 'AROADEMOCLEANUP:cleanup',
  arn: `arn:aws:sts::${DEMO.accountId}:assumed-role/volume-cleanup/cleanup`,
  accountId: DEMO.accountId,
  invokedBy: 'lambda.amazonaws.com',
};
const DEPLOY = {
  type: 'AssumedRole',
  principalId: 'AROADEMODEPLOY:ci',
  arn: `arn:aws:sts::${DEMO.accountId}:assumed-role/ci-deploy/pipeline`,
  accountId: DEMO.accountId,
};

function record(
  id: string,
  time: string,
  name: string,
  who: object,
  requestParameters: object,
  responseElements: object | null = null,
  readOnly = false,
) {
  return {
    eventVersion: '1.09',
    userIdentity: who,
    eventTime: time,
    eventSource: 'ec2.amazonaws.com',
    eventName: name,
    awsRegion: DEMO.region,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters,
    responseElements,
    requestID: `demo-${id}`,
    eventID: `demo-event-${id}`,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: DEMO.accountId,
    eventCategory: 'Management',
  };
}

export function demoCloudTrail(): { Records: unknown[] } {
  const sg = DEMO.securityGroupId;
  const ssh = { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } };
  return {
    Records: [
      record(
        'revoke-80',
        before(demoTimes.securityGroupRuleChanged, 4),
        'RevokeSecurityGroupIngress',
        ALICE,
        {
          groupId: sg,
          ipPermissions: {
            items: [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }],
          },
        },
        { _return: true },
      ),
      record(
        'authorize-80-8443',
        before(demoTimes.securityGroupRuleChanged, 3),
        'AuthorizeSecurityGroupIngress',
        ALICE,
        {
          groupId: sg,
          ipPermissions: {
            items: [
              { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: { items: [{ cidrIp: '203.0.113.0/24' }] } },
              { ipProtocol: 'tcp', fromPort: 8443, toPort: 8443, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
            ],
          },
        },
        { _return: true },
      ),
      record(
        'describe',
        before(demoTimes.securityGroupRuleChanged, 2),
        'DescribeSecurityGroups',
        ALICE,
        { groupSet: { items: [{ groupId: sg }] } },
        null,
        true,
      ),
      record(
        'tag-sg',
        before(demoTimes.securityGroupTagChanged, 2),
        'CreateTags',
        BOB,
        {
          resourcesSet: { items: [{ resourceId: sg }] },
          tagSet: {
            items: [
              { key: 'Owner', value: 'team-platform' },
              { key: 'Reviewed', value: '2026-03-06' },
            ],
          },
        },
        { _return: true },
      ),
      record(
        'detach',
        before(demoTimes.volumeDetached, 3),
        'DetachVolume',
        ALICE,
        { volumeId: DEMO.deletedVolumeId, instanceId: DEMO.instanceId, force: false },
        {
          volumeId: DEMO.deletedVolumeId,
          instanceId: DEMO.instanceId,
          device: '/dev/sdg',
          status: 'detaching',
        },
      ),
      record(
        'delete',
        before(demoTimes.volumeDeleted, 5),
        'DeleteVolume',
        CLEANUP,
        { volumeId: DEMO.deletedVolumeId },
        { _return: true },
      ),
      record(
        'open-ssh',
        before(demoTimes.sshOpened, 2),
        'AuthorizeSecurityGroupIngress',
        CAROL,
        { groupId: sg, ipPermissions: { items: [ssh] } },
        { _return: true },
      ),
      record(
        'close-ssh',
        before(demoTimes.sshClosed, 2),
        'RevokeSecurityGroupIngress',
        DAVE,
        { groupId: sg, ipPermissions: { items: [ssh] } },
        { _return: true },
      ),
      record(
        'run',
        before(demoTimes.instanceCreated, 1),
        'RunInstances',
        DEPLOY,
        {
          instanceType: 't3.large',
          subnetId: DEMO.privateSubnetId,
          groupSet: { items: [{ groupId: DEMO.appSecurityGroupId }] },
        },
        { instancesSet: { items: [{ instanceId: DEMO.createdInstanceId, privateIpAddress: '10.200.1.20' }] } },
      ),
    ],
  };
}
