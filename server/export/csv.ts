// The CSV export: nodes.csv, edges.csv and compliance.csv (RFC 4180, UTF-8, CRLF) in a tar together with export.json (what
// was exported), SHA256SUMS and manifest.json, so `tar xf FILE && sha256sum -c SHA256SUMS` checks it without our tool.
import { createHash } from 'node:crypto';
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { canonicalJson } from '../../graph/canonical.ts';
import type { ExportData, ExportedCompliance } from './data.ts';
import {
  buildManifest,
  CSV_DESCRIPTION_FILE,
  describedContent,
  type ManifestContext,
  type ManifestFile,
} from './manifest.ts';
import { tarArchive } from './tar.ts';

export const NODE_COLUMNS = [
  'key',
  'accountId',
  'awsRegion',
  'resourceType',
  'resourceId',
  'resourceName',
  'arn',
  'availabilityZone',
  'status',
  'recorded',
  'captureTime',
  'tags',
] as const;
export const EDGE_COLUMNS = [
  'id',
  'source',
  'target',
  'name',
  'type',
  'origin',
  'rule',
  'validFrom',
  'validTo',
] as const;

/** One row per exported resource and rule: the result in force at the export's `at` and since when. */
export const COMPLIANCE_COLUMNS = ['resource', 'rule', 'status', 'since'] as const;
export const COMPLIANCE_CSV = 'compliance.csv';

/** Cells a spreadsheet would evaluate as a formula get a leading apostrophe: tags and names are
 * attacker-controlled, and an auditor opening the file must not run them. JSON keeps exact values. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = typeof value === 'string' ? value : typeof value === 'object' ? canonicalJson(value) : JSON.stringify(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvTable(columns: readonly string[], rows: Record<string, unknown>[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function nodesCsv(nodes: ResourceNode[]): string {
  return csvTable(NODE_COLUMNS, nodes as unknown as Record<string, unknown>[]);
}

export function edgesCsv(edges: GraphEdge[]): string {
  return csvTable(EDGE_COLUMNS, edges as unknown as Record<string, unknown>[]);
}

export function complianceCsv(rows: ExportedCompliance[]): string {
  return csvTable(COMPLIANCE_COLUMNS, rows as unknown as Record<string, unknown>[]);
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export function* csvExport(data: ExportData, ctx: ManifestContext): Generator<Uint8Array> {
  const described = describedContent({ ...data, redacted: ctx.redacted });
  const tables: { name: string; text: string; rows: number }[] = [
    // What was exported, under the hash with the tables, so the manifest's description of it is checked.
    { name: CSV_DESCRIPTION_FILE, text: `${canonicalJson(described)}\n`, rows: 1 },
    { name: 'nodes.csv', text: nodesCsv(data.nodes), rows: data.nodes.length },
    { name: 'edges.csv', text: edgesCsv(data.edges), rows: data.edges.length },
    { name: COMPLIANCE_CSV, text: complianceCsv(data.compliance), rows: data.compliance.length },
  ];
  const files: ManifestFile[] = tables.map((t) => {
    const bytes = Buffer.from(t.text, 'utf8');
    return { name: t.name, bytes: bytes.length, rows: t.rows, sha256: sha256(bytes) };
  });
  const sums = files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
  const manifest = buildManifest(data, 'csv', ctx, sha256(sums), { files });
  const mtime = new Date(ctx.generatedAt);
  yield* tarArchive(
    [
      { name: 'manifest.json', content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
      { name: 'SHA256SUMS', content: Buffer.from(sums, 'utf8') },
      ...tables.map((t) => ({ name: t.name, content: Buffer.from(t.text, 'utf8') })),
    ],
    mtime,
  );
}
