// `verify` checks every manifest field that says something about the content (issue 14, item 16): each is
// covered by the hash or compared with what the hash covers, so editing any of them fails verification with
// a check naming the field. JSON and CSV exports, plain and redacted, without a store.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ResourceNode } from '../../graph/model.ts';
import { canonicalJson } from '../../graph/canonical.ts';
import { csvExport } from '../../server/export/csv.ts';
import type { ExportData } from '../../server/export/data.ts';
import { jsonExport } from '../../server/export/json.ts';
import type { ManifestContext } from '../../server/export/manifest.ts';
import { readTar, tarArchive } from '../../server/export/tar.ts';
import { verifyExport, type VerifyResult } from '../../server/export/verify.ts';

async function joined(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

const node = (id: string): ResourceNode => ({
  key: `111122223333|eu-west-1|AWS::EC2::Instance|${id}`,
  accountId: '111122223333',
  awsRegion: 'eu-west-1',
  resourceType: 'AWS::EC2::Instance',
  resourceId: id,
  status: 'OK',
  recorded: true,
  tags: {},
});

const data: ExportData = {
  at: '2026-03-01T00:00:00.000Z',
  scope: { accountId: '111122223333' },
  neighborhood: null,
  nodes: [node('i-1'), node('i-2')],
  edges: [],
  versions: [],
  compliance: [
    { resource: node('i-1').key, rule: 'required-tags', status: 'COMPLIANT', since: '2026-02-01T00:00:00.000Z' },
    { resource: node('i-2').key, rule: 'required-tags', status: 'NON_COMPLIANT', since: '2026-02-03T00:00:00.000Z' },
  ],
};
const plain: ManifestContext = { store: 'sqlite:test.db', generatedAt: '2026-03-02T00:00:00.000Z' };
const redacted: ManifestContext = { ...plain, store: 'redacted', redacted: true };

type Json = Record<string, unknown>;
/** The manifest edits a careless or dishonest hand could make, each naming the field it touches. */
const EDITS: [field: string, edit: (m: Json) => void][] = [
  ['at', (m) => (m.at = '2026-02-01T00:00:00.000Z')],
  ['scope', (m) => (m.scope = null)],
  ['neighborhood', (m) => (m.neighborhood = { ref: 'i-1', root: 'i-1', depth: 1, truncated: false })],
  ['redacted', (m) => (m.redacted = !m.redacted)],
  ['counts.nodes', (m) => ((m.counts as Json).nodes = 1)],
  ['counts.edges', (m) => ((m.counts as Json).edges = 5)],
  ['counts.compliance.results', (m) => (((m.counts as Json).compliance as Json).results = 1)],
  ['counts.compliance.nonCompliant', (m) => (((m.counts as Json).compliance as Json).nonCompliant = 0)],
  ['format', (m) => (m.format = m.format === 'json' ? 'csv' : 'json')],
  ['covers', (m) => (m.covers = 'everything')],
  ['manifestVersion', (m) => (m.manifestVersion = 2)],
  ['sha256', (m) => (m.sha256 = '0'.repeat(64))],
];

const failing = (r: VerifyResult): string =>
  r.checks
    .filter((c) => !c.ok)
    .map((c) => c.what)
    .join('\n');

async function jsonFile(ctx: ManifestContext): Promise<Json> {
  return JSON.parse(await joined(jsonExport(data, ctx))) as Json;
}

async function csvFiles(ctx: ManifestContext): Promise<Map<string, Uint8Array>> {
  const parts: Uint8Array[] = [];
  for await (const part of csvExport(data, ctx)) parts.push(part);
  return new Map(readTar(Buffer.concat(parts)).map((e) => [e.name, e.content]));
}

function tar(files: Map<string, Uint8Array>): Uint8Array {
  const entries = [...files].map(([name, content]) => ({ name, content }));
  return Buffer.concat([...tarArchive(entries, new Date('2026-03-02T00:00:00.000Z'))]);
}

function editCsvManifest(files: Map<string, Uint8Array>, edit: (m: Json) => void): Map<string, Uint8Array> {
  const manifest = JSON.parse(Buffer.from(files.get('manifest.json') as Uint8Array).toString('utf8')) as Json;
  edit(manifest);
  return new Map([...files, ['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2))]]);
}

describe('verify: every manifest field about the content is checked', () => {
  for (const [label, ctx] of [
    ['plain', plain],
    ['redacted', redacted],
  ] as const) {
    it(`JSON (${label}): untouched it verifies; each edited field fails, named`, async () => {
      expect(verifyExport(Buffer.from(JSON.stringify(await jsonFile(ctx)))).ok).toBe(true);
      for (const [field, edit] of [
        ...EDITS,
        ['counts.versions', (m: Json) => ((m.counts as Json).versions = 7)],
      ] as const) {
        const file = await jsonFile(ctx);
        edit(file.manifest as Json);
        const r = verifyExport(Buffer.from(JSON.stringify(file)));
        expect(r.ok, field).toBe(false);
        expect(failing(r), field).toContain(field);
      }
    });

    it(`CSV (${label}): untouched it verifies; each edited field fails, named`, async () => {
      const files = await csvFiles(ctx);
      expect(verifyExport(tar(files)).ok).toBe(true);
      for (const [field, edit] of EDITS) {
        const r = verifyExport(tar(editCsvManifest(files, edit)));
        expect(r.ok, field).toBe(false);
        expect(failing(r), field).toContain(field);
      }
    });
  }

  it('JSON: dropping "redacted" from a redacted content changes the hash', async () => {
    const file = await jsonFile(redacted);
    expect((file.content as Json).redacted).toBe(true);
    delete (file.content as Json).redacted;
    (file.manifest as Json).redacted = false;
    expect(failing(verifyExport(Buffer.from(JSON.stringify(file))))).toContain('sha256 of the canonical content');
  });

  it('JSON: an unredacted export hashes what earlier versions hashed (no redacted member in its content)', async () => {
    const without = JSON.parse(await joined(jsonExport({ ...data, compliance: [] }, plain))) as Json;
    expect(Object.keys(without.content as Json).sort()).toEqual(
      ['at', 'edges', 'neighborhood', 'nodes', 'scope', 'versions'].sort(),
    );
    // An export written before compliance was exported (no counts.compliance) still verifies.
    delete ((without.manifest as Json).counts as Json).compliance;
    expect(failing(verifyExport(Buffer.from(canonicalJson(without))))).toBe('');
    expect(Object.keys((await jsonFile(plain)).content as Json)).toContain('compliance');
  });

  it('CSV: the scope is under the hash (export.json, listed in SHA256SUMS), and an archive without it fails', async () => {
    const files = await csvFiles(plain);
    const described = JSON.parse(Buffer.from(files.get('export.json') as Uint8Array).toString('utf8')) as Json;
    expect(described).toEqual({ at: data.at, scope: data.scope, neighborhood: null, redacted: false });
    expect(Buffer.from(files.get('SHA256SUMS') as Uint8Array).toString('utf8')).toMatch(/ {2}export\.json\n/);

    // Editing export.json itself breaks its line in SHA256SUMS.
    const edited = new Map(files);
    edited.set('export.json', Buffer.from(`${canonicalJson({ ...described, scope: null })}\n`));
    expect(failing(verifyExport(tar(edited)))).toContain('export.json: sha256');

    // An archive whose SHA256SUMS, manifest and hash leave export.json out: its scope is not covered.
    const sums = Buffer.from(files.get('SHA256SUMS') as Uint8Array)
      .toString('utf8')
      .split('\n')
      .filter((l) => !l.endsWith('export.json'))
      .join('\n');
    const without = editCsvManifest(new Map(files), (m) => {
      m.files = (m.files as Json[]).filter((f) => f.name !== 'export.json');
      m.sha256 = createHash('sha256').update(sums).digest('hex');
    });
    without.delete('export.json');
    without.set('SHA256SUMS', Buffer.from(sums));
    const r = verifyExport(tar(without));
    expect(r.ok).toBe(false);
    expect(failing(r)).toMatch(/does not list export\.json.*scope/);
  });
});
