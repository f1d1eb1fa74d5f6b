// The demo says who made its scenario changes (SPEC A1–A2), through the real CloudTrail parser.
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { demoRunInput } from '../../world/demo-load.ts';
import { DEMO, demoTimes } from '../../world/demo.ts';

describe('demo CloudTrail', () => {
  it('A2: the security group rule change, its tag change, SSH opened and closed, and the volume deletion each name who did them', async () => {
    const input = demoRunInput();
    expect(input.skipped).toEqual([]);
    expect(input.events?.length).toBe(8); // the read-only DescribeSecurityGroups is ignored
    const store = openSqliteStore(':memory:');
    try {
      const { description: _d, ...run } = input;
      await store.ingest(run);
      const sg = await store.history(DEMO.securityGroupId);
      const ruleChange = sg.versions.find((v) =>
        v.changes.configuration.some((c) => c.path.startsWith('ipPermissions')),
      );
      expect(ruleChange?.changedBy?.map((c) => c.eventName)).toEqual([
        'RevokeSecurityGroupIngress',
        'AuthorizeSecurityGroupIngress',
      ]);
      expect(ruleChange?.changedBy?.[0]?.principal).toMatch(/assumed-role\/NetworkAdmin\/alice@example.com$/);
      const tagChange = sg.versions.find((v) =>
        v.changes.tags.some((t) => t.key === 'Owner' && t.change === 'changed'),
      );
      expect(tagChange?.changedBy?.map((c) => [c.eventName, c.principal])).toEqual([
        ['CreateTags', `arn:aws:iam::${DEMO.accountId}:user/bob`],
      ]);
      const ssh = sg.versions.filter((v) =>
        v.changedBy?.some((c) => c.principal === DEMO.sshOpenedBy || c.principal === DEMO.sshClosedBy),
      );
      expect(ssh.map((v) => [v.captureTime, v.changedBy?.map((c) => c.principal)])).toEqual([
        [demoTimes.sshOpened, [DEMO.sshOpenedBy]],
        [demoTimes.sshClosed, [DEMO.sshClosedBy]],
      ]);
      const vol = await store.history(DEMO.deletedVolumeId);
      expect(vol.versions.at(-1)?.changedBy?.map((c) => c.eventName)).toEqual(['DeleteVolume']);
    } finally {
      await store.close();
    }
  });
});
