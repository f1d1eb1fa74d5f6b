// The CSV export: nodes.csv, edges.csv and compliance.csv (RFC 4180, UTF-8, CRLF) in a tar together with export.json (what
// was exported), SHA256SUMS and manifest.json, so `tar xf FILE && sha256sum -c SHA256SUMS` checks it without our tool.
import { createHash } from 'node:crypto';
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { canonicalJson } from '../../graph/canonical.ts';
import { pagesOf, type EdgePages, type ExportData, type ExportedCompliance } from './data.ts';
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

function csvRows(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  let text = '';
  for (const row of rows) text += `${columns.map((c) => csvCell(row[c])).join(',')}\r\n`;
  return text;
}

function csvTable(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return `${columns.join(',')}\r\n${csvRows(columns, rows)}`;
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

/** A file of the archive as its bytes, hashed and counted as they were added. */
interface Table {
  name: string;
  parts: Buffer[];
  bytes: number;
  rows: number;
  sha256: string;
}

function table(name: string, text: string, rows: number): Table {
  const bytes = Buffer.from(text, 'utf8');
  return { name, parts: [bytes], bytes: bytes.length, rows, sha256: sha256(bytes) };
}

/**
 * edges.csv from the edges in memory or as the store pages them: each page is written to bytes as it comes
 * and its edge objects let go, so the file is held as its bytes (a fifth of the objects' size), never as
 * edge objects and one giant string besides.
 */
async function edgesTable(edges: GraphEdge[] | EdgePages): Promise<Table> {
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let bytes = 0;
  let rows = 0;
  const add = (text: string): void => {
    const b = Buffer.from(text, 'utf8');
    hash.update(b);
    parts.push(b);
    bytes += b.length;
  };
  add(`${EDGE_COLUMNS.join(',')}\r\n`);
  for await (const page of pagesOf(edges)) {
    add(csvRows(EDGE_COLUMNS, page as unknown as Record<string, unknown>[]));
    rows += page.length;
  }
  return { name: 'edges.csv', parts, bytes, rows, sha256: hash.digest('hex') };
}

/**
 * The archive. Its first file, manifest.json, carries every table's SHA-256 and size (and a tar header each
 * table's size), so no byte can be written before the last edge is read: the tables are built first, the
 * edges page by page into bytes, and then the archive is written from those bytes.
 */
export async function* csvExport(
  data: ExportData<GraphEdge[] | EdgePages>,
  ctx: ManifestContext,
): AsyncGenerator<Uint8Array> {
  const described = describedContent({ ...data, redacted: ctx.redacted });
  const tables: Table[] = [
    // What was exported, under the hash with the tables, so the manifest's description of it is checked.
    table(CSV_DESCRIPTION_FILE, `${canonicalJson(described)}\n`, 1),
    table('nodes.csv', nodesCsv(data.nodes), data.nodes.length),
    await edgesTable(data.edges),
    table(COMPLIANCE_CSV, complianceCsv(data.compliance), data.compliance.length),
  ];
  const files: ManifestFile[] = tables.map((t) => ({ name: t.name, bytes: t.bytes, rows: t.rows, sha256: t.sha256 }));
  const sums = files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
  const manifest = buildManifest({ ...data, edges: undefined }, 'csv', ctx, sha256(sums), {
    files,
    edges: files[2]!.rows,
  });
  const mtime = new Date(ctx.generatedAt);
  yield* tarArchive(
    [
      { name: 'manifest.json', content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
      { name: 'SHA256SUMS', content: Buffer.from(sums, 'utf8') },
      ...tables.map((t) => ({ name: t.name, content: t.parts })),
    ],
    mtime,
  );
}
