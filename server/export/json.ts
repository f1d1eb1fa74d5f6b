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
 * content has no such member, so its hash is the one earlier versions wrote. This is every member but
 * `versions`, which jsonExport writes as it reads them.
 */
function contentBesideVersions(data: ExportData, redacted: boolean): Record<string, unknown> {
  return {
    at: data.at,
    scope: data.scope,
    neighborhood: data.neighborhood,
    nodes: data.nodes,
    edges: data.edges,
    // Only when there is some, so a graph without compliance hashes as it did before compliance was exported.
    ...(data.compliance.length > 0 ? { compliance: data.compliance } : {}),
    ...(redacted ? { redacted: true } : {}),
  };
}

/** Pieces are handed on in strings of about this many characters, not one by one. */
const BATCH = 64 * 1024;

/**
 * The file, in strings of about BATCH characters. The versions (a whole estate's configurations) may come
 * page by page from the store: they are written and hashed as they arrive, never held all at once.
 */
export async function* jsonExport(data: ExportData, ctx: ManifestContext): AsyncGenerator<string> {
  const hash = createHash('sha256');
  let parts: string[] = [];
  let size = 0;
  /** Adds a piece of the content; true when a batch is ready to go. */
  const add = (piece: string): boolean => {
    hash.update(piece, 'utf8');
    parts.push(piece);
    size += piece.length;
    return size >= BATCH;
  };
  const take = (): string => {
    const batch = parts.join('');
    parts = [];
    size = 0;
    return batch;
  };
  yield '{"content":';
  const content = contentBesideVersions(data, ctx.redacted === true);
  // Canonical JSON orders members by name and `versions` comes after every other one, so the others are
  // written first (all but the closing brace) and the versions close the object.
  if (Object.keys(content).some((k) => k >= 'versions')) throw new Error('export content: versions must sort last');
  let held: string | undefined;
  for (const piece of canonicalPieces(content, 2)) {
    if (held !== undefined && add(held)) yield take();
    held = piece;
  }
  add(',"versions":[');
  let count = 0;
  for await (const v of data.versions ?? []) {
    if (add(count++ === 0 ? canonicalJson(v) : `,${canonicalJson(v)}`)) yield take();
  }
  add(']}');
  yield take();
  const manifest = buildManifest(data, 'json', ctx, hash.digest('hex'), {
    ...(data.versions === undefined ? {} : { versions: count }),
  });
  yield `,"manifest":${canonicalJson(manifest)}}\n`;
}
