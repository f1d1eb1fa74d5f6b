// Gathers what an export contains from the store, through the port only: the graph (or one
// neighbourhood) as of a time, in a canonical order so equal graphs give byte-equal exports.
import { COMPLIANCE_RESOURCE_TYPE, type ComplianceStatus } from '../../graph/compliance.ts';
import { matchingResults, timelinesByTarget } from '../../graph/compliance-report.ts';
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode, ResourceVersion, Scope } from '../../graph/model.ts';
import type { GraphPage, GraphStore } from '../../graph/store.ts';
import type { ExportFormat } from '../../graph/query-limits.ts';

export type { ExportFormat };

export interface ExportRequest {
  format: ExportFormat;
  /** As-of time; the caller fills in "now" when the user gave none, so the manifest names a real time. */
  at: IsoTime;
  scope?: Scope;
  /** Neighbourhood exports: centre and depth (1–3). */
  ref?: string;
  depth?: number;
  /** Replace ids, names, tags and ARNs with pseudonyms and leave configurations out (redact.ts). */
  redact?: boolean;
}

export interface NeighborhoodScope {
  ref: string;
  root: string;
  depth: number;
  truncated: boolean;
}

/** A version as exported: where it was imported from is provenance of the import, not of the resource. */
export type ExportedVersion = Omit<ResourceVersion, 'runId' | 'source'>;

/** One rule's result in force at the export's `at` for one exported resource (SPEC C3, C5). */
export interface ExportedCompliance {
  resource: ResourceKey;
  rule: string;
  status: ComplianceStatus;
  since: IsoTime;
}

/** A whole graph's edges in id order, a page at a time as the store reads them (written as they come). */
export type EdgePages = AsyncIterable<GraphEdge[]>;

/** Edges in memory are cut into pages of this many, so no page is written as one giant string. */
const EDGE_PAGE = 2000;

/** A graph's edges a page at a time, whether held in memory or read as the store pages them. */
export function pagesOf(edges: GraphEdge[] | EdgePages): EdgePages | GraphEdge[][] {
  if (!Array.isArray(edges)) return edges;
  const pages: GraphEdge[][] = [];
  for (let i = 0; i < edges.length; i += EDGE_PAGE) pages.push(edges.slice(i, i + EDGE_PAGE));
  return pages;
}

/** `E`: the edges in memory, or (JSON exports of a whole graph) their pages, read while the file is written. */
export interface ExportData<E extends GraphEdge[] | EdgePages = GraphEdge[]> {
  at: IsoTime;
  scope: Scope | null;
  neighborhood: NeighborhoodScope | null;
  nodes: ResourceNode[];
  edges: E;
  /** The compliance of the exported resources at `at`, by resource key then rule. */
  compliance: ExportedCompliance[];
  /** The version in force at `at` for every recorded node (JSON exports only), possibly read as written. */
  versions?: ExportedVersion[] | AsyncIterable<ExportedVersion>;
}

/** Large enough for any neighbourhood a user would export; the manifest says when it was cut. */
const NEIGHBORHOOD_EXPORT_LIMIT = 5000;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What an export holds. With `streamEdges`, a whole graph's edges are handed on as the store pages them
 * rather than held (they are most of a large estate's graph); the nodes are read first either way, since
 * the compliance and the versions are those of the exported nodes.
 */
export async function gatherExport(
  store: GraphStore,
  req: ExportRequest,
  opts: { withVersions: boolean; streamEdges: true },
): Promise<ExportData<GraphEdge[] | EdgePages>>;
export async function gatherExport(
  store: GraphStore,
  req: ExportRequest,
  opts: { withVersions: boolean; streamEdges?: false },
): Promise<ExportData>;
export async function gatherExport(
  store: GraphStore,
  req: ExportRequest,
  opts: { withVersions: boolean; streamEdges?: boolean },
): Promise<ExportData<GraphEdge[] | EdgePages>> {
  let nodes: ResourceNode[];
  let edges: GraphEdge[] | EdgePages;
  let neighborhood: NeighborhoodScope | null = null;
  let graph: Awaited<ReturnType<typeof graphPages>> | undefined;
  if (req.ref !== undefined) {
    const depth = req.depth ?? 1;
    const n = await store.neighborhood(req.ref, { depth, at: req.at, limit: NEIGHBORHOOD_EXPORT_LIMIT });
    nodes = [...n.nodes].sort((a, b) => byCodeUnits(a.key, b.key));
    edges = [...n.edges].sort((a, b) => byCodeUnits(a.id, b.id));
    neighborhood = { ref: req.ref, root: n.root, depth, truncated: n.truncated };
  } else {
    // streamGraphAt's order (nodes by key, edges by id) is the export's.
    graph = await graphPages(store.streamGraphAt(req.at, req.scope));
    nodes = graph.nodes.sort((a, b) => byCodeUnits(a.key, b.key)); // in order already: a check that costs little
    edges = opts.streamEdges === true ? graph.edges : await allEdges(graph.edges);
  }
  let compliance: ExportedCompliance[];
  try {
    compliance = await complianceOf(store, nodes, req);
  } catch (e) {
    await graph?.close(); // the edges will not be read
    throw e;
  }
  const data: ExportData<GraphEdge[] | EdgePages> = {
    at: req.at,
    scope: req.scope ?? null,
    neighborhood,
    nodes,
    edges,
    compliance,
  };
  if (opts.withVersions) data.versions = versionsInForce(store, nodes, req.at);
  return data;
}

/**
 * A streamed graph's nodes, read up to its first page of edges, and its edges still to come. The store's
 * stream is ended (`return`) when the edges are done or left unread, so a store holding a read open for it
 * (Neo4j's transaction, SQLite's connection) lets it go.
 */
async function graphPages(
  pages: AsyncIterable<GraphPage>,
): Promise<{ nodes: ResourceNode[]; edges: EdgePages; close: () => Promise<void> }> {
  const it = pages[Symbol.asyncIterator]();
  const close = async (): Promise<void> => {
    await it.return?.();
  };
  const nodes: ResourceNode[] = [];
  let next = await it.next();
  for (; !next.done && next.value.nodes; next = await it.next()) for (const n of next.value.nodes) nodes.push(n);
  const first = next;
  async function* edges(): AsyncGenerator<GraphEdge[]> {
    try {
      for (let page = first; !page.done; page = await it.next()) {
        if (!page.value.edges) throw new Error('streamGraphAt: a page of nodes after the edges');
        yield page.value.edges;
      }
    } finally {
      await close();
    }
  }
  const pagesLeft = edges();
  // Ended before its first page was asked for (an export abandoned while writing its nodes), the generator
  // would not run its `finally`: the store's stream is ended here instead.
  const end = pagesLeft.return.bind(pagesLeft);
  pagesLeft.return = async (value) => {
    try {
      return await end(value);
    } finally {
      await close();
    }
  };
  return { nodes, edges: pagesLeft, close };
}

async function allEdges(pages: EdgePages): Promise<GraphEdge[]> {
  const out: GraphEdge[] = [];
  for await (const page of pages) for (const e of page) out.push(e);
  return out;
}

/** The results in force at `at` for the exported resources only (a scope or neighbourhood carries its own). */
async function complianceOf(
  store: GraphStore,
  nodes: ResourceNode[],
  req: ExportRequest,
): Promise<ExportedCompliance[]> {
  const exported = new Set(nodes.map((n) => n.key));
  // The compliance item's account is its target's; the region may differ (global types), so nodes decide.
  const items = await store.versionsOfType(
    COMPLIANCE_RESOURCE_TYPE,
    req.scope?.accountId !== undefined ? { accountId: req.scope.accountId } : {},
  );
  return matchingResults(timelinesByTarget(items), { at: req.at })
    .filter((m) => exported.has(m.target))
    .map(({ target, result }) => ({ resource: target, rule: result.rule, status: result.status, since: result.since }));
}

/** Keys per store read of the versions in force: one page of versions is held at a time. */
const VERSION_PAGE = 500;

/** The version in force at `at` for every recorded node, chosen by the domain's own rule (versionAt),
 * without its ingestion provenance (`source`, `runId`): like the store's canonical export, so two
 * stores holding the same graph give the same hash whatever files it was imported from. Read page by
 * page as the file is written, so a whole estate's configurations are never in memory at once. */
async function* versionsInForce(
  store: GraphStore,
  nodes: ResourceNode[],
  at: IsoTime,
): AsyncGenerator<ExportedVersion> {
  const recorded = nodes.filter((n) => n.recorded).map((n) => n.key);
  for (let i = 0; i < recorded.length; i += VERSION_PAGE) {
    for (const { source: _source, runId: _runId, ...rest } of await store.versionsInForce(
      recorded.slice(i, i + VERSION_PAGE),
      at,
    ))
      yield rest;
  }
}
