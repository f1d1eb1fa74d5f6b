// `configgraph compliance` on the demo, through the real binary and a real SQLite file (SPEC C1–C3).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { demoCloudTrail } from '../../world/demo-cloudtrail.ts';
import { demoRunInput } from '../../world/demo-load.ts';
import { deliveryFiles, writeDeliveryFiles } from '../../world/generator/index.ts';
import { DEMO, demoEnvironment, demoTimes } from '../../world/demo.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
let store: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), ...args], {
    cwd: dir,
    env: { ...process.env, CONFIGGRAPH_STORE: store, NEO4J_URI: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-compliance-'));
  const path = join(dir, 'demo.db');
  store = `sqlite:${path}`;
  const db = openSqliteStore(path);
  const { description: _d, ...run } = demoRunInput();
  await db.ingest(run);
  await db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configgraph compliance', () => {
  const ssh = ['--rule', 'restricted-ssh', '--status', 'NON_COMPLIANT'];

  it('C3: while port 22 is open, the web security group alone breaks restricted-ssh, since the opening', () => {
    const r = cli(['compliance', ...ssh, '--at', demoTimes.sshOpen, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as {
      at: string;
      results: { resource: { resourceId: string; recorded: boolean }; rule: string; status: string; since: string }[];
    };
    expect(body.at).toBe(demoTimes.sshOpen);
    expect(body.results.map((x) => [x.resource.resourceId, x.rule, x.status, x.since])).toEqual([
      [DEMO.securityGroupId, 'restricted-ssh', 'NON_COMPLIANT', demoTimes.sshNonCompliantSince],
    ]);
    const text = cli(['compliance', ...ssh, '--at', demoTimes.sshOpen]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`compliance as of ${demoTimes.sshOpen}: 1 results`);
    expect(text.stdout).toMatch(
      new RegExp(
        `NON_COMPLIANT +restricted-ssh  since ${demoTimes.sshNonCompliantSince}  AWS::EC2::SecurityGroup ${DEMO.securityGroupId}`,
      ),
    );
  });

  it('none after the closing; filters by account and region', () => {
    const after = JSON.parse(cli(['compliance', ...ssh, '--at', demoTimes.afterSshClosed, '--json']).stdout) as {
      results: unknown[];
    };
    expect(after.results).toEqual([]);
    const other = cli(['compliance', ...ssh, '--at', demoTimes.sshOpen, '--region', DEMO.secondRegion, '--json']);
    expect((JSON.parse(other.stdout) as { results: unknown[] }).results).toEqual([]);
    const mine = cli(['compliance', ...ssh, '--at', demoTimes.sshOpen, '--account', DEMO.accountId, '--json']);
    expect((JSON.parse(mine.stdout) as { results: unknown[] }).results).toHaveLength(1);
  });

  it('C4: history shows the security group’s compliance transitions and who made the change before each', () => {
    const text = cli(['history', DEMO.securityGroupId]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      `${demoTimes.sshNonCompliantSince}  restricted-ssh: COMPLIANT → NON_COMPLIANT  after the change at ${demoTimes.sshOpened} by ${DEMO.sshOpenedBy}`,
    );
    expect(text.stdout).toContain(
      `${demoTimes.sshCompliantAgainSince}  restricted-ssh: NON_COMPLIANT → COMPLIANT  after the change at ${demoTimes.sshClosed} by ${DEMO.sshClosedBy}`,
    );
  });

  it('import counts the compliance items of S3 deliveries and API output (both key spellings)', () => {
    const fresh = `sqlite:${join(dir, 'fixtures.db')}`;
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'configgraph.js'), 'import', join(ROOT, 'test', 'config-shaped', 'compliance'), '--json'],
      { cwd: dir, env: { ...process.env, CONFIGGRAPH_STORE: fresh, NEO4J_URI: '' }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ items: 5, compliance: 5, skipped: [] });
  });

  it('a result it does not know is a clear error', () => {
    const r = cli(['compliance', '--status', 'broken']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--status "BROKEN" is not supported/);
    expect(r.stderr).toMatch(/NON_COMPLIANT/);
  });

  it('the demo delivered to S3 with its CloudTrail log, imported by `configgraph import`, answers the same', () => {
    // As a user would: Config's S3 delivery files (compliance items among them) and a CloudTrail file.
    const files = join(dir, 'delivered');
    writeDeliveryFiles(files, deliveryFiles(demoEnvironment().items));
    mkdirSync(join(files, 'cloudtrail'), { recursive: true });
    writeFileSync(join(files, 'cloudtrail', 'events.json'), JSON.stringify(demoCloudTrail()));
    const imported = `sqlite:${join(dir, 'delivered.db')}`;
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), ...args], {
        cwd: dir,
        env: { ...process.env, CONFIGGRAPH_STORE: imported, NEO4J_URI: '' },
        encoding: 'utf8',
        timeout: 120_000,
      });
    const imp = run(['import', files, '--json']);
    expect(imp.status, imp.stderr).toBe(0);
    expect((JSON.parse(imp.stdout) as { compliance: number }).compliance).toBeGreaterThan(0);
    const report = run(['compliance', ...ssh, '--at', demoTimes.sshOpen, '--json']);
    expect(report.status, report.stderr).toBe(0);
    const body = JSON.parse(report.stdout) as { results: { resource: { resourceId: string }; since: string }[] };
    expect(body.results.map((x) => [x.resource.resourceId, x.since])).toEqual([
      [DEMO.securityGroupId, demoTimes.sshNonCompliantSince],
    ]);
    const history = run(['history', DEMO.securityGroupId]);
    expect(history.status, history.stderr).toBe(0);
    expect(history.stdout).toContain(
      `${demoTimes.sshNonCompliantSince}  restricted-ssh: COMPLIANT → NON_COMPLIANT  after the change at ${demoTimes.sshOpened} by ${DEMO.sshOpenedBy}`,
    );
  });
});
