// The manifest that makes an export auditable: what it is (time, scope, counts, store, tool) and a
// SHA-256 that anyone can recompute over the canonical content (see docs/api.md, "Exports").
import type { IsoTime, Scope } from '../../graph/model.ts';
import type { ExportData, NeighborhoodScope } from './data.ts';
import { toolVersion } from './tool-version.ts';

export interface ManifestFile {
  name: string;
  bytes: number;
  rows: number;
  sha256: string;
}

export interface ExportManifest {
  manifestVersion: 1;
  tool: { name: 'configgraph'; version: string };
  format: 'json' | 'csv';
  /** When the file was written (not covered by the hash: two exports of the same graph share a hash). */
  generatedAt: IsoTime;
  /** The graph is as it was at this time. */
  at: IsoTime;
  scope: Scope | null;
  neighborhood: NeighborhoodScope | null;
  /** Which store it came from, without secrets (kind and location). */
  store: string;
  counts: { nodes: number; edges: number; versions?: number; compliance: ComplianceCounts };
  /** What `sha256` is computed over, in words. */
  covers: string;
  sha256: string;
  /** True when ids, names, tags, ARNs and configurations were replaced or left out (redact.ts). */
  redacted: boolean;
  /** CSV exports: every file in the archive besides the manifest. */
  files?: ManifestFile[];
}

/** Compliance rows in the export (one per resource and rule) and how many of them are NON_COMPLIANT. */
export interface ComplianceCounts {
  results: number;
  nonCompliant: number;
}

export function complianceCounts(rows: readonly { status?: unknown }[]): ComplianceCounts {
  return { results: rows.length, nonCompliant: rows.filter((r) => r.status === 'NON_COMPLIANT').length };
}

export interface ManifestContext {
  store: string;
  generatedAt: IsoTime;
  redacted?: boolean;
}

export const JSON_COVERS = 'the canonical JSON (RFC 8785: sorted keys, no whitespace) of the "content" member, UTF-8';
export const CSV_COVERS =
  'the SHA256SUMS file in the archive (sha256sum format: "<hex>  export.json", "<hex>  nodes.csv", "<hex>  edges.csv" and "<hex>  compliance.csv" lines, LF)';

/** The CSV archive's file that states, under the hash, what was exported (at, scope, neighbourhood, redacted). */
export const CSV_DESCRIPTION_FILE = 'export.json';

/** The manifest fields that describe the content: the hash covers them (JSON: in `content`; CSV: export.json). */
export function describedContent(m: { at?: unknown; scope?: unknown; neighborhood?: unknown; redacted?: unknown }): {
  at: unknown;
  scope: unknown;
  neighborhood: unknown;
  redacted: boolean;
} {
  return {
    at: m.at ?? null,
    scope: m.scope ?? null,
    neighborhood: m.neighborhood ?? null,
    redacted: m.redacted === true,
  };
}

/**
 * `written.versions`: how many versions the file holds (JSON exports; counted as they are written), and
 * `written.edges` likewise when the edges were written as the store read them.
 */
export function buildManifest(
  data: Omit<ExportData, 'edges'> & { edges: unknown },
  format: 'json' | 'csv',
  ctx: ManifestContext,
  sha256: string,
  written: { versions?: number; edges?: number; files?: ManifestFile[] } = {},
): ExportManifest {
  const { files } = written;
  const edges = written.edges ?? (Array.isArray(data.edges) ? data.edges.length : undefined);
  if (edges === undefined) throw new Error('export manifest: edges written as they came must be counted');
  const counts: ExportManifest['counts'] = {
    nodes: data.nodes.length,
    edges,
    compliance: complianceCounts(data.compliance),
  };
  if (written.versions !== undefined) counts.versions = written.versions;
  const manifest: ExportManifest = {
    manifestVersion: 1,
    tool: { name: 'configgraph', version: toolVersion() },
    format,
    generatedAt: ctx.generatedAt,
    at: data.at,
    scope: data.scope,
    neighborhood: data.neighborhood,
    store: ctx.store,
    counts,
    covers: format === 'json' ? JSON_COVERS : CSV_COVERS,
    sha256,
    redacted: ctx.redacted === true,
  };
  if (files !== undefined) manifest.files = files;
  return manifest;
}
