// The CLI as a user runs it: the real `configgraph` binary, a real SQLite file, real sample files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../graph/model.ts';
import { deliveryFiles, generateEnvironment, SIZES } from '../../world/generator/index.ts';
import { rawCi } from '../support/ci-builder.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
let dir: string;
let store: string;

function cli(args: string[], storeSpec = store) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'configgraph.js'), ...args], {
    cwd: dir,
    env: { ...process.env, CONFIGGRAPH_STORE: storeSpec, NEO4J_URI: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr, // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary CLI JSON
    json: () => JSON.parse(r.stdout) as Record<string, any>,
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-cli-'));
  store = `sqlite:${join(dir, 'graph.db')}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configgraph CLI', () => {
  it('import: every sample imported or skipped with file, position and reason; --json summary', () => {
    const r = cli(['import', FIXTURES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = r.json();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['items', 'resources', 'versions', 'edges', 'skipped']));
    expect(body.items).toBeGreaterThan(90);
    const reasons = new Map(
      (body.skipped as { file: string; item?: string; reason: string }[]).map((s) => [
        `${s.file} ${s.item ?? ''}`.trim(),
        s.reason,
      ]),
    );
    expect([...reasons].find(([f]) => f.endsWith('invalid-json/AWS_EC2_NetworkInterface.json'))?.[1]).toMatch(
      /invalid JSON/,
    );
    expect([...reasons].find(([f]) => f.endsWith('AWS.properties.json'))?.[1]).toMatch(/not a configuration item/);
    expect([...reasons].find(([f]) => f.includes('test_kms_key_related') && f.endsWith('Results[2]'))?.[1]).toMatch(
      /no resourceType/,
    );
  });

  it('R7: import twice skips every file already imported (unreadable ones are reported again); --reimport reads them all', () => {
    const before = cli(['stats', '--json']).json();
    const again = cli(['import', FIXTURES, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const body = again.json();
    expect(body).toMatchObject({ items: 0, versions: 0, resources: 0 });
    // The two files that are not JSON are read again and listed again, in a run of their own.
    expect(body.skipped.map((s: { reason: string }) => s.reason.split(':')[0])).toEqual([
      'invalid JSON',
      'invalid JSON',
    ]);
    expect(body.alreadyImported).toBe(body.files - 2);
    expect(body.notes).toContain(`${body.files - 2} files already imported (the same bytes): skipped unread`);
    expect({ ...cli(['stats', '--json']).json(), runs: 0, lastRun: 0 }).toEqual({ ...before, runs: 0, lastRun: 0 });
    const forced = cli(['import', FIXTURES, '--reimport', '--json']).json();
    expect(forced.alreadyImported).toBe(0);
    expect(forced.versions).toBe(0);
    expect(forced.duplicates).toBeGreaterThan(90);
    const stats = cli(['stats', '--json']).json();
    expect(stats.runs).toBe(3);
    expect(stats.byType['AWS::EC2::Instance']).toBeGreaterThan(0);
  });

  it('R5: import --items-per-run stores the import as several runs and the same graph as one run', () => {
    const split = `sqlite:${join(dir, 'split.db')}`;
    const text = cli(['import', FIXTURES, '--items-per-run', '20'], split);
    expect(text.code, text.stderr).toBe(0);
    const runs = Number(/, stored as (\d+) runs\n/.exec(text.stdout)?.[1]);
    expect(runs).toBeGreaterThan(3);
    expect(cli(['stats', '--json'], split).json().runs).toBe(runs);
    // Same graph as the single-run import of the first test: resources, versions, edges, and exports.
    const [one, many] = [store, split].map((s) => cli(['stats', '--json'], s).json());
    expect([many!.resources, many!.versions, many!.edges]).toEqual([one!.resources, one!.versions, one!.edges]);
    const [whole, parts] = [store, split].map((s) =>
      cli(['export', '--format', 'json', '--at', '2030-01-01T00:00:00Z'], s).json(),
    );
    expect(parts!.content).toEqual(whole!.content);
    const bad = cli(['import', FIXTURES, '--items-per-run', '0'], split);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--items-per-run "0" is not a positive integer/);
  });

  it(
    'R5: import --items-per-run on top of stored data: bounded runs, the snapshots deletions included, same graph',
    { timeout: 120_000 },
    () => {
      // An estate's S3 deliveries; then its history again with later snapshots that list three resources
      // per account and region: every other stored resource is inferred deleted.
      const files = deliveryFiles(
        generateEnvironment({ ...SIZES.small, days: 2, seed: 'stored', accounts: ['111122223333'] }).items,
      );
      const estate = join(dir, 'estate');
      const later = join(dir, 'later');
      for (const f of files) {
        mkdirSync(dirname(join(estate, f.key)), { recursive: true });
        writeFileSync(join(estate, f.key), f.body);
        const path = join(later, f.key.replace(/ConfigSnapshot_(\d{8}T\d{6}Z)/, 'ConfigSnapshot_20290101T000000Z'));
        let body = f.body;
        if (f.kind === 'ConfigSnapshot') {
          const doc = JSON.parse(gunzipSync(f.body).toString()) as { configurationItems: unknown[] };
          body = gzipSync(JSON.stringify({ ...doc, configurationItems: doc.configurationItems.slice(0, 3) }));
        }
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, body);
      }
      const one = `sqlite:${join(dir, 'one-run-on-top.db')}`;
      const split = `sqlite:${join(dir, 'split-on-top.db')}`;
      for (const root of [estate, later]) expect(cli(['import', root, '--json'], one).code).toBe(0);
      expect(cli(['import', estate, '--items-per-run', '25'], split).code).toBe(0);
      const second = cli(['import', later, '--items-per-run', '25', '--json'], split);
      expect(second.code, second.stderr).toBe(0);
      const whole = cli(['runs', '--json'], one).json() as unknown as RunRecord[];
      expect(second.json().inferredDeletions).toBe(whole[0]!.counts.inferredDeletions);
      expect(second.json().inferredDeletions).toBeGreaterThan(100);

      const runs = cli(['runs', '--json'], split).json() as unknown as RunRecord[];
      for (const r of runs) {
        expect(r.status).toBe('succeeded');
        expect(r.counts.items).toBeLessThanOrEqual(25);
        expect(r.counts.inferredDeletions).toBeLessThanOrEqual(25);
        expect(r.reexamined?.resources ?? 0).toBeLessThanOrEqual(25);
      }
      expect(runs.filter((r) => / re-examination \d+$/.test(r.scope)).length).toBeGreaterThan(3);
      const [a, b] = [one, split].map((s) =>
        cli(['export', '--format', 'json', '--at', '2030-01-01T00:00:00Z'], s).json(),
      );
      expect(b!.content).toEqual(a!.content);
    },
  );

  it('neighbors --json has the documented shape and follows both directions', () => {
    const r = cli(['neighbors', 'i-03402838daac1d611', '--depth', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const n = r.json();
    expect(n.truncated).toBe(false);
    for (const node of n.nodes)
      expect(Object.keys(node)).toEqual(
        expect.arrayContaining(['key', 'resourceType', 'resourceId', 'accountId', 'awsRegion', 'status']),
      );
    for (const e of n.edges)
      expect(Object.keys(e)).toEqual(
        expect.arrayContaining(['source', 'target', 'name', 'type', 'origin', 'validFrom', 'validTo']),
      );
    expect(n.nodes.map((x: { resourceType: string }) => x.resourceType).sort()).toEqual([
      'AWS::EC2::Instance',
      'AWS::EC2::NetworkInterface',
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::Subnet',
      'AWS::EC2::VPC',
      'AWS::EC2::Volume',
    ]);
    const human = cli(['neighbors', 'i-03402838daac1d611']);
    expect(human.stdout).toMatch(/--\[Is attached to Volume\]--> AWS::EC2::Volume vol-0c24aa343c564eda8/);
  });

  it('W2: neighbors --view network shows a VPC’s subnets and counts each subnet’s members; --view needs no --depth', () => {
    const r = cli(['neighbors', 'vpc-0990dc6d', '--view', 'network']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(network view\)/);
    expect(r.stdout).toMatch(/AWS::EC2::Subnet subnet-29428871 .* holds 2 × AWS::EC2::NetworkInterface \(folded\)/);
    const json = cli(['neighbors', 'vpc-0990dc6d', '--view', 'network', '--json']).json();
    expect(json.kind).toBe('network');
    expect(cli(['neighbors', 'vpc-0990dc6d', '--view', 'network', '--depth', '2']).code).toBe(2);
    expect(cli(['neighbors', 'vpc-0990dc6d', '--view', 'everything']).code).toBe(2);
  });

  it('history --json lists versions oldest first with changes; diff and search answer', () => {
    const h = cli(['history', 'vol-12345', '--json']).json();
    expect(h.versions.map((v: { status: string }) => v.status)).toEqual(['OK', 'ResourceDeleted']);
    expect(h.versions[1].changes.statusChange).toEqual({ from: 'OK', to: 'ResourceDeleted' });
    const d = cli(['diff', '--from', '2017-01-18T00:00:00Z', '--to', '2017-01-20T00:00:00Z', '--json']).json();
    expect(d.resources.removed.map((n: { resourceId: string }) => n.resourceId)).toContain('vol-12345');
    const s = cli(['search', 'blue-moon', '--json']).json();
    expect(s.results[0].node.resourceId).toBe('sg-a38ed1de');
  });

  it('bad arguments: clear messages and distinct exit codes', () => {
    const depth = cli(['neighbors', 'i-03402838daac1d611', '--depth', '5']);
    expect(depth.code).toBe(2);
    expect(depth.stderr).toMatch(/--depth "5" is out of range \(accepted: an integer from 1 to 3\)/);
    const at = cli(['neighbors', 'i-03402838daac1d611', '--at', 'last tuesday']);
    expect(at.code).toBe(2);
    expect(at.stderr).toMatch(/--at "last tuesday" is not a time \(accepted: an ISO-8601 time with a zone offset/);
    const missing = cli(['history', 'i-doesnotexist']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no resource matches "i-doesnotexist"/);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['neighbors', '--bogus']).code).toBe(2);
    const badStore = cli(['stats'], 'mongodb://x');
    expect(badStore.code).toBe(2);
    expect(badStore.stderr).toMatch(/unsupported store/);
  });

  it('an ambiguous reference lists the candidate keys', () => {
    const twin = join(dir, 'twins.json');
    writeFileSync(
      twin,
      JSON.stringify({
        configurationItems: [
          rawCi({ type: 'AWS::EC2::VPC', id: 'vpc-twin', time: '2024-01-01T00:00:00Z' }),
          rawCi({ type: 'AWS::EC2::VPC', id: 'vpc-twin', region: 'us-east-1', time: '2024-01-01T00:00:00Z' }),
        ],
      }),
    );
    expect(cli(['import', twin]).code).toBe(0);
    const r = cli(['neighbors', 'vpc-twin']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('111122223333|us-east-1|AWS::EC2::VPC|vpc-twin');
    expect(r.stderr).toContain('111122223333|eu-west-1|AWS::EC2::VPC|vpc-twin');
  });

  it('T1/T3: search marks deleted resources with when they last existed; neighbors marks the first recorded later', () => {
    const file = join(dir, 'time.json');
    const eni = 'AWS::EC2::NetworkInterface';
    writeFileSync(
      file,
      JSON.stringify({
        configurationItems: [
          rawCi({
            type: 'AWS::EC2::Instance',
            id: 'i-tgone',
            time: '2024-05-01T00:00:00Z',
            tags: { Name: 'tgone-web' },
          }),
          rawCi({ type: 'AWS::EC2::Instance', id: 'i-tgone', time: '2024-05-03T00:00:00Z', status: 'ResourceDeleted' }),
          rawCi({
            type: 'AWS::EC2::Instance',
            id: 'i-tlate',
            time: '2024-05-01T00:00:00Z',
            rels: [{ name: 'Contains NetworkInterface', type: eni, id: 'eni-tlate' }],
          }),
          rawCi({
            type: eni,
            id: 'eni-tlate',
            time: '2024-05-01T00:05:00Z',
            created: '2024-04-30T23:59:00Z',
            rels: [{ name: 'Is contained in Subnet', type: 'AWS::EC2::Subnet', id: 'subnet-tlate' }],
          }),
        ],
      }),
    );
    expect(cli(['import', file]).code).toBe(0);
    const found = cli(['search', 'tgone-web']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain(
      'i-tgone (111122223333 eu-west-1)  tgone-web  [name: tgone-web]  DELETED at 2024-05-03T00:00:00.000Z, last existed 2024-05-02T23:59:59.999Z',
    );
    expect(cli(['search', 'tgone-web', '--json']).json().results[0].deleted).toBe(true);
    const n = cli(['neighbors', 'i-tlate', '--at', '2024-05-01T00:01:00Z']);
    expect(n.stdout).toContain('eni-tlate (111122223333 eu-west-1): first recorded at 2024-05-01T00:05:00.000Z');
    const gone = cli(['neighbors', 'i-tgone']);
    expect(gone.stdout).toContain('deleted at 2024-05-03T00:00:00.000Z; last existed 2024-05-02T23:59:59.999Z');
  });

  it('bad input: good items are imported, bad ones listed; nothing importable exits non-zero and changes nothing', () => {
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    const good = rawCi({
      type: 'AWS::EC2::Instance',
      id: 'i-hostile',
      time: '2024-02-01T00:00:00Z',
      tags: { Name: '<img src=x onerror=alert(1)>', '`; DROP TABLE resources; --': '"}) MATCH (n) DETACH DELETE n //' },
    });
    writeFileSync(
      join(mixed, 'a.json'),
      JSON.stringify({ configurationItems: [good, { resourceType: 'AWS::EC2::Instance', awsRegion: 'eu-west-1' }] }),
    );
    writeFileSync(join(mixed, 'b.json.gz'), gzipSync(JSON.stringify([good])).subarray(0, 30));
    writeFileSync(join(mixed, 'c.json'), '{"configurationItems": [');
    // Not the same bytes as the fixture imported before (that one would be skipped as already imported, R7).
    writeFileSync(
      join(mixed, 'd.json'),
      `${readFileSync(join(FIXTURES, 'aws-config-developer-guide', 'example-configuration-snapshot-notification.json'), 'utf8')}\n`,
    );
    const r = cli(['import', mixed, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = r.json();
    expect(body.items).toBe(1);
    const skipped = (body.skipped as { file: string; item?: string; reason: string }[]).map(
      (s) => `${s.file.split('/').pop()} ${s.item ?? '-'}: ${s.reason.split(' (')[0]}`,
    );
    expect(skipped).toEqual([
      'a.json configurationItems[1]: missing resourceId',
      'b.json.gz -: gzip data is truncated or corrupt',
      expect.stringMatching(/^c\.json -: invalid JSON/),
      expect.stringMatching(/^d\.json -: not a configuration item: ConfigurationSnapshotDeliveryCompleted/),
    ]);
    const found = cli(['search', '<img src=x onerror=alert(1)>', '--json']).json();
    expect(found.results[0].node.tags['`; DROP TABLE resources; --']).toBe('"}) MATCH (n) DETACH DELETE n //');

    const before = cli(['stats', '--json']).json();
    const onlyBad = join(dir, 'bad');
    mkdirSync(onlyBad);
    writeFileSync(join(onlyBad, 'x.json'), 'not json');
    const bad = cli(['import', onlyBad]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/x\.json: invalid JSON/);
    const after = cli(['stats', '--json']).json();
    expect({ ...after, runs: 0, lastRun: 0 }).toEqual({ ...before, runs: 0, lastRun: 0 });
    expect(readFileSync(join(mixed, 'a.json'), 'utf8')).toContain('i-hostile');
  });
});
