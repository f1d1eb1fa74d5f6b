// Exports carry compliance at their time (issue 15): a CSV export as of a date lists exactly the resources
// non-compliant then, on the demo's SSH scenario; JSON carries it under the hash; a redacted export
// pseudonymises the resources but keeps the rule names; scope and neighbourhood carry only their own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceReport } from '../../graph/compliance-report.ts';
import { keyOf } from '../../graph/identity.ts';
import type { GraphStore } from '../../graph/store.ts';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import { buildExport, type ExportRequestInput } from '../../server/export/index.ts';
import { readTar } from '../../server/export/tar.ts';
import { verifyExport } from '../../server/export/verify.ts';
import { demoRunInput } from '../../world/demo-load.ts';
import { DEMO, demoTimes } from '../../world/demo.ts';

let dir: string;
let store: GraphStore;
const NOW = new Date('2026-04-01T00:00:00.000Z');
const SG = keyOf({
  accountId: DEMO.accountId,
  awsRegion: DEMO.region,
  resourceType: 'AWS::EC2::SecurityGroup',
  resourceId: DEMO.securityGroupId,
});
const VOLUME = keyOf({
  accountId: DEMO.accountId,
  awsRegion: DEMO.region,
  resourceType: 'AWS::EC2::Volume',
  resourceId: DEMO.dataVolumeId,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'configgraph-export-compliance-'));
  store = openSqliteStore(join(dir, 'demo.db'));
  const { description: _d, ...run } = demoRunInput();
  await store.ingest(run);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function bytes(req: ExportRequestInput): Promise<Buffer> {
  const out = await buildExport(store, req, { store: 'sqlite:test', now: NOW });
  const parts: Buffer[] = [];
  for await (const c of out.chunks) parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c));
  return Buffer.concat(parts);
}

/** compliance.csv's rows as [resource, rule, status, since] (the demo's keys hold no quotes or commas). */
function complianceRows(archive: Buffer): string[][] {
  const file = readTar(archive).find((e) => e.name === 'compliance.csv');
  if (file === undefined) throw new Error('no compliance.csv in the archive');
  const [header, ...rows] = Buffer.from(file.content).toString('utf8').split('\r\n').filter(Boolean);
  expect(header).toBe('resource,rule,status,since');
  return rows.map((r) => r.split(','));
}

const nonCompliantKeys = (rows: string[][]) => [
  ...new Set(rows.filter((r) => r[2] === 'NON_COMPLIANT').map((r) => r[0])),
];

describe('compliance in exports', () => {
  it('a CSV export as of a date lists exactly the resources non-compliant then', async () => {
    const during = complianceRows(await bytes({ format: 'csv', at: demoTimes.sshOpen }));
    const after = complianceRows(await bytes({ format: 'csv', at: demoTimes.afterSshClosed }));
    expect(during).toContainEqual([SG, 'restricted-ssh', 'NON_COMPLIANT', demoTimes.sshNonCompliantSince]);
    expect(after).toContainEqual([SG, 'restricted-ssh', 'COMPLIANT', demoTimes.sshCompliantAgainSince]);
    for (const rows of [during, after])
      expect(rows.filter((r) => r[0] === VOLUME).map((r) => r.slice(1, 3))).toContainEqual([
        'encrypted-volumes',
        'NON_COMPLIANT',
      ]);
    // Exactly those the API answers for the same time, no more, no fewer.
    for (const [at, rows] of [
      [demoTimes.sshOpen, during],
      [demoTimes.afterSshClosed, after],
    ] as const) {
      const report = await complianceReport(store, { at, status: 'NON_COMPLIANT' });
      expect(nonCompliantKeys(rows).sort()).toEqual([...new Set(report.results.map((r) => r.resource.key))].sort());
    }
    expect(nonCompliantKeys(during)).toContain(SG);
    expect(nonCompliantKeys(after)).not.toContain(SG);
    expect(nonCompliantKeys(after)).toContain(VOLUME);
  });

  it('the CSV manifest counts compliance and verify checks it', async () => {
    const archive = await bytes({ format: 'csv', at: demoTimes.sshOpen });
    const result = verifyExport(archive);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    const rows = complianceRows(archive);
    expect(result.manifest?.counts.compliance).toEqual({
      results: rows.length,
      nonCompliant: rows.filter((r) => r[2] === 'NON_COMPLIANT').length,
    });
    expect(result.manifest?.files?.map((f) => f.name)).toContain('compliance.csv');
  });

  it('JSON carries compliance under the hash, and a compliance node is never exported as a resource', async () => {
    const file = JSON.parse((await bytes({ format: 'json', at: demoTimes.sshOpen })).toString('utf8')) as {
      content: {
        nodes: { key: string }[];
        compliance: { resource: string; rule: string; status: string; since: string }[];
      };
      manifest: { counts: { compliance: { results: number; nonCompliant: number } } };
    };
    expect(file.content.compliance).toContainEqual({
      resource: SG,
      rule: 'restricted-ssh',
      status: 'NON_COMPLIANT',
      since: demoTimes.sshNonCompliantSince,
    });
    expect(file.content.nodes.some((n) => n.key.includes('AWS::Config::ResourceCompliance'))).toBe(false);
    const exported = new Set(file.content.nodes.map((n) => n.key));
    expect(file.content.compliance.every((c) => exported.has(c.resource))).toBe(true);
    expect(file.manifest.counts.compliance.results).toBe(file.content.compliance.length);
    expect(verifyExport(await bytes({ format: 'json', at: demoTimes.sshOpen })).ok).toBe(true);
  });

  it('a neighbourhood export carries only the compliance of the resources it contains', async () => {
    const file = JSON.parse(
      (await bytes({ format: 'json', at: demoTimes.sshOpen, ref: SG, depth: 1 })).toString('utf8'),
    ) as { content: { nodes: { key: string }[]; compliance: { resource: string }[] } };
    const exported = new Set(file.content.nodes.map((n) => n.key));
    expect(exported.has(SG)).toBe(true);
    expect(file.content.compliance.map((c) => c.resource)).toContain(SG);
    expect(file.content.compliance.every((c) => exported.has(c.resource))).toBe(true);
    const whole = JSON.parse((await bytes({ format: 'json', at: demoTimes.sshOpen })).toString('utf8')) as {
      content: { compliance: unknown[] };
    };
    expect(file.content.compliance.length).toBeLessThan(whole.content.compliance.length);
  });

  it('a redacted export pseudonymises compliance rows’ resources and keeps rule names', async () => {
    const archive = await bytes({ format: 'csv', at: demoTimes.sshOpen, redact: true });
    const text = readTar(archive)
      .map((e) => Buffer.from(e.content).toString('utf8'))
      .join('\n');
    expect(text).not.toContain(DEMO.securityGroupId);
    expect(text).not.toContain(DEMO.dataVolumeId);
    expect(text).not.toContain(DEMO.accountId);
    const rows = complianceRows(archive);
    const nodes = readTar(archive).find((e) => e.name === 'nodes.csv');
    const nodeKeys = new Set(
      Buffer.from(nodes!.content)
        .toString('utf8')
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => nodeKeys.has(r[0]))).toBe(true);
    expect(rows.map((r) => r[1])).toContain('restricted-ssh');
    expect(verifyExport(archive).ok).toBe(true);
  });

  it('draw.io marks the resources breaking a rule in words, not by colour alone', async () => {
    const xml = (await bytes({ format: 'drawio', at: demoTimes.sshOpen })).toString('utf8');
    const cellOf = (key: string) => new RegExp(`<object [^>]*key="${key.replace(/[|]/g, '\\|')}"[^>]*>`).exec(xml)?.[0];
    expect(cellOf(SG)).toContain('⚠ non-compliant: restricted-ssh');
    const after = (await bytes({ format: 'drawio', at: demoTimes.afterSshClosed })).toString('utf8');
    expect(new RegExp(`<object [^>]*key="${SG.replace(/[|]/g, '\\|')}"[^>]*>`).exec(after)?.[0]).not.toContain(
      'non-compliant',
    );
    expect(xml).toMatch(/nonCompliant=1;/);
  });
});
