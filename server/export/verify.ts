// Checks an export against its manifest: recomputes the SHA-256 over the canonical content (JSON)
// or over every file listed in SHA256SUMS (CSV tar). Pure over bytes, shared by `configgraph verify`.
import { createHash } from 'node:crypto';
import { isObject } from '../../graph/is-object.ts';
import { canonicalJson } from '../../graph/canonical.ts';
import { COMPLIANCE_CSV } from './csv.ts';
import {
  complianceCounts,
  CSV_COVERS,
  CSV_DESCRIPTION_FILE,
  describedContent,
  JSON_COVERS,
  type ComplianceCounts,
  type ExportManifest,
} from './manifest.ts';
import { readTar } from './tar.ts';

export interface VerifyResult {
  ok: boolean;
  format: 'json' | 'csv' | 'unknown';
  manifest?: ExportManifest;
  /** One line per check, e.g. "sha256 of content matches the manifest". */
  checks: { ok: boolean; what: string }[];
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export function verifyExport(bytes: Uint8Array): VerifyResult {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('utf8').trimStart();
  if (head.startsWith('{')) return verifyJson(bytes);
  if (bytes.length >= 512 && Buffer.from(bytes.subarray(257, 262)).toString('ascii') === 'ustar')
    return verifyCsvTar(bytes);
  if (head.startsWith('<')) {
    return {
      ok: false,
      format: 'unknown',
      checks: [
        {
          ok: false,
          what: 'GraphML and draw.io exports carry no manifest; verify the JSON or CSV export of the same graph',
        },
      ],
    };
  }
  return {
    ok: false,
    format: 'unknown',
    checks: [{ ok: false, what: 'not a configgraph JSON export or CSV archive' }],
  };
}

function verifyJson(bytes: Uint8Array): VerifyResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    return { ok: false, format: 'json', checks: [{ ok: false, what: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (!isObject(parsed) || !isObject(parsed.content) || !isObject(parsed.manifest)) {
    return {
      ok: false,
      format: 'json',
      checks: [{ ok: false, what: 'a JSON export has "content" and "manifest" members' }],
    };
  }
  const manifest = parsed.manifest as unknown as ExportManifest;
  const content = parsed.content;
  const checks: VerifyResult['checks'] = [];
  const actual = sha256(canonicalJson(content));
  checks.push({
    ok: actual === manifest.sha256,
    what: `sha256 of the canonical content is ${actual}; the manifest says ${String(manifest.sha256)}`,
  });
  checkHeader(checks, manifest, 'json', JSON_COVERS);
  checkCount(checks, 'nodes', content.nodes, manifest.counts?.nodes);
  checkCount(checks, 'edges', content.edges, manifest.counts?.edges);
  checkCount(checks, 'versions', content.versions, manifest.counts?.versions ?? 0);
  // Content without compliance has none (and hashes as before compliance was exported).
  const compliance = content.compliance === undefined ? [] : content.compliance;
  checkCompliance(
    checks,
    manifest,
    Array.isArray(compliance) ? complianceCounts(compliance.filter(isObject)) : undefined,
    'the content',
  );
  // The manifest's description of what was exported must be the one the hash covers (the content's).
  checkDescribed(checks, manifest, describedContent(content), 'the content');
  return { ok: checks.every((c) => c.ok), format: 'json', manifest, checks };
}

/** The fields that say what kind of file this is: a manifest of another format or version does not verify. */
function checkHeader(
  checks: VerifyResult['checks'],
  manifest: ExportManifest,
  format: 'json' | 'csv',
  covers: string,
): void {
  const m = manifest as unknown as Record<string, unknown>;
  checks.push({
    ok: m.manifestVersion === 1,
    what: `the manifest's manifestVersion ${JSON.stringify(m.manifestVersion)} is 1`,
  });
  checks.push({ ok: m.format === format, what: `the manifest's format ${JSON.stringify(m.format)} is "${format}"` });
  checks.push({
    ok: m.covers === covers,
    what: `the manifest's covers says what the hash covers in a ${format} export`,
  });
}

/** at, scope, neighbourhood and redacted in the manifest equal those under the hash. */
function checkDescribed(
  checks: VerifyResult['checks'],
  manifest: ExportManifest,
  covered: ReturnType<typeof describedContent>,
  where: string,
): void {
  const stated = describedContent(manifest);
  for (const field of ['at', 'scope', 'neighborhood', 'redacted'] as const) {
    const inManifest = canonicalJson(stated[field] ?? null);
    const underHash = canonicalJson(covered[field] ?? null);
    checks.push({
      ok: inManifest === underHash,
      what: `the manifest's ${field} ${inManifest} is ${where}'s ${underHash}`,
    });
  }
}

/** counts.compliance (results, nonCompliant) equal what the hash covers; undefined when it has no compliance. */
function checkCompliance(
  checks: VerifyResult['checks'],
  manifest: ExportManifest,
  covered: ComplianceCounts | undefined,
  where: string,
): void {
  const stated = (manifest.counts as { compliance?: Partial<ComplianceCounts> } | undefined)?.compliance;
  // A JSON export written before compliance was exported: no counts, and none in the content.
  if (stated === undefined && covered?.results === 0 && where === 'the content') return;
  for (const field of ['results', 'nonCompliant'] as const) {
    checks.push({
      ok: covered !== undefined && stated?.[field] === covered[field],
      what: `the manifest's counts.compliance.${field}: ${String(stated?.[field])}, ${covered === undefined ? 'no compliance' : covered[field]} in ${where}`,
    });
  }
}

function checkCount(checks: VerifyResult['checks'], name: string, list: unknown, expected: number | undefined): void {
  const n = Array.isArray(list) ? list.length : -1;
  checks.push({
    ok: n === expected,
    what: `the manifest's counts.${name}: ${String(expected)}, ${n} in the content`,
  });
}

function verifyCsvTar(bytes: Uint8Array): VerifyResult {
  let files: Map<string, Uint8Array>;
  try {
    files = new Map(readTar(bytes).map((e) => [e.name, e.content]));
  } catch (err) {
    return { ok: false, format: 'csv', checks: [{ ok: false, what: (err as Error).message }] };
  }
  const manifestBytes = files.get('manifest.json');
  const sums = files.get('SHA256SUMS');
  if (manifestBytes === undefined || sums === undefined) {
    return { ok: false, format: 'csv', checks: [{ ok: false, what: 'the archive lacks manifest.json or SHA256SUMS' }] };
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as ExportManifest;
  } catch (err) {
    return {
      ok: false,
      format: 'csv',
      checks: [{ ok: false, what: `manifest.json is not valid JSON: ${(err as Error).message}` }],
    };
  }
  const checks: VerifyResult['checks'] = [];
  const sumsHash = sha256(sums);
  checks.push({
    ok: sumsHash === manifest.sha256,
    what: `sha256 of SHA256SUMS is ${sumsHash}; the manifest says ${String(manifest.sha256)}`,
  });
  const listed = Buffer.from(sums)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  for (const line of listed) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (m === null) {
      checks.push({ ok: false, what: `SHA256SUMS line is malformed: ${line.slice(0, 80)}` });
      continue;
    }
    const [, expected, name] = m as unknown as [string, string, string];
    const content = files.get(name);
    const actual = content === undefined ? 'missing' : sha256(content);
    checks.push({ ok: actual === expected, what: `${name}: sha256 ${actual}, SHA256SUMS says ${expected}` });
    const inManifest = manifest.files?.find((f) => f.name === name);
    checks.push({
      ok: inManifest?.sha256 === expected,
      what: `${name} is listed in the manifest's files with the same sha256`,
    });
    if (content !== undefined && inManifest !== undefined && name.endsWith('.csv')) {
      const rows = countCsvRecords(content);
      checks.push({
        ok: rows === inManifest.rows,
        what: `${name}: ${rows} rows in the file, ${inManifest.rows} in the manifest`,
      });
    }
  }
  for (const f of manifest.files ?? []) {
    if (!listed.some((l) => l.endsWith(`  ${f.name}`)))
      checks.push({ ok: false, what: `${f.name} is in the manifest but not in SHA256SUMS` });
  }
  if (listed.length === 0) checks.push({ ok: false, what: 'SHA256SUMS lists no files' });
  // Every file the archive needs is under the hash: a file left out of SHA256SUMS would go unchecked.
  for (const name of [CSV_DESCRIPTION_FILE, 'nodes.csv', 'edges.csv', COMPLIANCE_CSV])
    if (!listed.some((l) => l.endsWith(`  ${name}`)))
      checks.push({
        ok: false,
        what:
          name === CSV_DESCRIPTION_FILE
            ? `SHA256SUMS does not list ${name}, so the manifest's at, scope, neighborhood and redacted are not covered (an archive written before configgraph covered them)`
            : name === COMPLIANCE_CSV
              ? `SHA256SUMS does not list ${name} (an archive written before configgraph exported compliance)`
              : `SHA256SUMS does not list ${name}`,
      });
  checkHeader(checks, manifest, 'csv', CSV_COVERS);
  const rowsOf = (name: string): number => {
    const f = files.get(name);
    return f === undefined ? -1 : countCsvRecords(f);
  };
  for (const [table, counted] of [
    ['nodes', manifest.counts?.nodes],
    ['edges', manifest.counts?.edges],
  ] as const) {
    const rows = rowsOf(`${table}.csv`);
    checks.push({
      ok: rows === counted,
      what: `the manifest's counts.${table}: ${String(counted)}, ${rows} rows in ${table}.csv`,
    });
  }
  const complianceFile = files.get(COMPLIANCE_CSV);
  checkCompliance(
    checks,
    manifest,
    complianceFile === undefined ? undefined : complianceCounts(csvRows(complianceFile)),
    COMPLIANCE_CSV,
  );
  const described = files.get(CSV_DESCRIPTION_FILE);
  if (described !== undefined) {
    let covered: ReturnType<typeof describedContent> | undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(described).toString('utf8'));
      if (isObject(parsed)) covered = describedContent(parsed);
    } catch {
      /* reported below */
    }
    if (covered === undefined) checks.push({ ok: false, what: `${CSV_DESCRIPTION_FILE} is not a JSON object` });
    else checkDescribed(checks, manifest, covered, CSV_DESCRIPTION_FILE);
  }
  return { ok: checks.every((c) => c.ok), format: 'csv', manifest, checks };
}

/** A CSV file's records as objects by header name (RFC 4180: quoted fields may hold commas, quotes, CRLF). */
function csvRows(content: Uint8Array): Record<string, string>[] {
  const text = Buffer.from(content).toString('utf8');
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field.replace(/\r$/, ''));
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  const [header = [], ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Counts CSV records honouring quoted fields (which may contain CRLF), minus the header. */
function countCsvRecords(content: Uint8Array): number {
  const text = Buffer.from(content).toString('utf8');
  let records = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) records++;
  }
  return records - 1;
}
