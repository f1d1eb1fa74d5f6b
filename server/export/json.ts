// The JSON export: one canonical JSON object `{"content": …, "manifest": …}`. The content comes
// first so it can be written and hashed piece by piece; the manifest closing the file carries the hash.
import { createHash } from 'node:crypto';
import { canonicalJson, canonicalPieces } from '../../graph/canonical.ts';
import type { GraphEdge } from '../../graph/model.ts';
import type { EdgePages, ExportData } from './data.ts';
import { buildManifest, type ManifestContext } from './manifest.ts';

/**
 * What the hash covers: the graph as of a time, its scope, the versions in force and the compliance of its
 * resources then (rule, status, since per resource); a redacted
 * export also says so here (`redacted: true`), so the manifest's `redacted` is covered too. Unredacted
 * content has no such member, so its hash is the one earlier versions wrote. This is every member but
 * `versions`, which jsonExport writes as it reads them.
 */
function contentBesideVersions(data: JsonExportData, redacted: boolean): Record<string, unknown> {
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

/** What a JSON export is written from: its edges in memory or as the store pages them. */
export type JsonExportData = ExportData<GraphEdge[] | EdgePages>;

/** Pieces are handed on in strings of about this many characters, not one by one. */
const BATCH = 64 * 1024;

/**
 * The file, in strings of about BATCH characters. The edges and the versions (most of a whole estate) may
 * come page by page from the store: they are written and hashed as they arrive, never held all at once.
 */
export async function* jsonExport(data: JsonExportData, ctx: ManifestContext): AsyncGenerator<string> {
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
  // written first and the versions close the object. The members are those canonicalPieces(content, 2)
  // writes, in its order and with its bytes; streamed edges are written as it writes an array's elements.
  const names = Object.keys(content).sort();
  if (names.some((k) => k >= 'versions')) throw new Error('export content: versions must sort last');
  let edges = 0;
  let first = true;
  add('{');
  for (const name of names) {
    const member = content[name];
    if (member === undefined) continue;
    add(`${first ? '' : ','}${JSON.stringify(name)}:`);
    first = false;
    if (name !== 'edges' || Array.isArray(member)) {
      for (const piece of canonicalPieces(member, 1)) if (add(piece)) yield take();
      if (name === 'edges') edges = (member as unknown[]).length;
      continue;
    }
    add('[');
    for await (const page of member as EdgePages)
      for (const e of page) if (add(edges++ === 0 ? canonicalJson(e) : `,${canonicalJson(e)}`)) yield take();
    add(']');
  }
  add(',"versions":[');
  let count = 0;
  for await (const v of data.versions ?? []) {
    if (add(count++ === 0 ? canonicalJson(v) : `,${canonicalJson(v)}`)) yield take();
  }
  add(']}');
  yield take();
  const manifest = buildManifest(data, 'json', ctx, hash.digest('hex'), {
    edges,
    ...(data.versions === undefined ? {} : { versions: count }),
  });
  yield `,"manifest":${canonicalJson(manifest)}}\n`;
}
