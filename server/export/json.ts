// The JSON export: one canonical JSON object `{"content": …, "manifest": …}`. The content comes
// first so it can be written and hashed piece by piece; the manifest closing the file carries the hash.
import { createHash } from 'node:crypto';
import { canonicalJson, canonicalPieces } from '../../graph/canonical.ts';
import type { ExportData } from './data.ts';
import { buildManifest, type ManifestContext } from './manifest.ts';

/**
 * What the hash covers: the graph as of a time, its scope, the versions in force and the compliance of its
 * resources then (rule, status, since per resource); a redacted
 * export also says so here (`redacted: true`), so the manifest's `redacted` is covered too. Unredacted
 * content has no such member, so its hash is the one earlier versions wrote.
 */
export function jsonContent(data: ExportData, redacted: boolean): Record<string, unknown> {
  return {
    at: data.at,
    scope: data.scope,
    neighborhood: data.neighborhood,
    nodes: data.nodes,
    edges: data.edges,
    versions: data.versions ?? [],
    // Only when there is some, so a graph without compliance hashes as it did before compliance was exported.
    ...(data.compliance.length > 0 ? { compliance: data.compliance } : {}),
    ...(redacted ? { redacted: true } : {}),
  };
}

export function* jsonExport(data: ExportData, ctx: ManifestContext): Generator<string> {
  const hash = createHash('sha256');
  yield '{"content":';
  for (const piece of canonicalPieces(jsonContent(data, ctx.redacted === true), 2)) {
    hash.update(piece, 'utf8');
    yield piece;
  }
  const manifest = buildManifest(data, 'json', ctx, hash.digest('hex'));
  yield `,"manifest":${canonicalJson(manifest)}}\n`;
}
