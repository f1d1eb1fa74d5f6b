// The graph at a time (Q6) of a whole estate, or of a scope holding much of it, read in three scans: the
// resources in key order, the heads of their versions and the edges in force. It is the answer graphAtOf
// gives over nodesAt and edgesTouching (the contract suite compares them), without building an edge object
// for an edge left out, looking a key up twice, or sorting edges with a comparator.
import type Database from 'better-sqlite3';
import { COMPLIANCE_RESOURCE_TYPE, isComplianceKey } from '../../compliance.ts';
import { graphEdgeOf } from '../../queries/edge-of.ts';
import type { GraphEdge, IsoTime, ResourceNode, Scope } from '../../model.ts';
import { nodeAt, placeholderNode } from '../../nodes.ts';
import { GRAPH_PAGE, placeholderAt, standsAt } from '../../queries/graph-at.ts';
import { sortById } from '../../queries/sort-by-id.ts';
import type { GraphPage } from '../../store.ts';
import { inVersionOrder, LazyHead } from './heads.ts';

type Stmt = (sql: string) => Database.Statement;

/** Edge columns under the port's names. */
export const EDGE = 'id, source, target, name, type, origin, rule, valid_from AS validFrom, valid_to AS validTo';
/** An edge row read as an array, in EDGE's order. */
export type EdgeRow = [
  string,
  string,
  string,
  string,
  string,
  GraphEdge['origin'],
  string | null,
  string,
  string | null,
];

export function edgeOfRow(r: EdgeRow): GraphEdge {
  const [id, source, target, name, type, origin, rule, validFrom, validTo] = r;
  return graphEdgeOf({ id, source, target, name, type, origin, rule, validFrom, validTo });
}

/** The edges in force at `at` (now, when absent), as a WHERE clause and its parameters. */
export function inForce(at: IsoTime | undefined): { where: string; params: string[] } {
  return at
    ? { where: 'valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)', params: [at, at] }
    : { where: 'valid_to IS NULL', params: [] };
}

/** The columns of a resource's row a node is drawn from. */
export const RESOURCE_COLUMNS = 'key, account_id, aws_region, resource_type, resource_id, resource_name, recorded';
export interface ResourceRow {
  key: string;
  account_id: string;
  aws_region: string;
  resource_type: string;
  resource_id: string;
  resource_name: string | null;
  recorded: number;
}

/**
 * A resource's node at `at` from its row and its versions' heads in order. Heads only, parsed when drawn:
 * parsing every configuration just to draw nodes made whole-estate reads slow. All of a resource's heads,
 * not only those up to `at`: its first version says whether it existed before (T1).
 */
export function nodeOfRow(r: ResourceRow, heads: readonly LazyHead[], at: IsoTime | undefined): ResourceNode {
  if (r.recorded === 0) return placeholderNode(r.key, r.resource_name ?? undefined);
  const identity = {
    accountId: r.account_id,
    awsRegion: r.aws_region,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
  };
  return nodeAt(r.key, identity, heads, at);
}

/**
 * Each resource in key order with the heads of its versions (one row per version; one row with no version
 * for a placeholder or a compliance item, whose heads are not needed), so that each node is drawn as soon as
 * its rows have passed and no head outlives its node: holding every head of the estate until the nodes
 * were drawn cost more than reading them.
 */
const RESOURCES_WITH_HEADS = `SELECT r.key, r.account_id, r.aws_region, r.resource_type, r.resource_id, r.resource_name,
  r.recorded, v.capture_time, v.status, v.inferred, v.content_hash, v.head
  FROM resources r LEFT JOIN versions v ON v.key = r.key AND r.recorded = 1
  WHERE r.recorded = 0 OR r.resource_type <> ?
  ORDER BY r.key`;
/** A resource's row read as an array, in RESOURCE_COLUMNS' order. */
export type ResourceTuple = [
  key: string,
  accountId: string,
  awsRegion: string,
  resourceType: string,
  resourceId: string,
  resourceName: string | null,
  recorded: number,
];
type JoinedRow = [
  ...ResourceTuple,
  captureTime: string | null,
  status: string,
  inferred: number,
  contentHash: string,
  head: string,
];

/** Everything the graph holds, read in one transaction; the pages are built from it afterwards. */
interface Read {
  /** The drawn nodes (recorded) and the possible placeholders (not), in key order. */
  nodes: ResourceNode[];
  /** The edges kept, in id order. */
  edges: GraphEdge[];
  /** The placeholders a kept edge points at. */
  pointedAt: Set<string>;
}

/** The resources of a graph at `at` within `scope`, read in key order. */
interface NodesRead {
  /** The drawn nodes (recorded) and the possible placeholders (not), in key order. */
  nodes: ResourceNode[];
  /** The nodes an edge may join: drawn (recorded) or placeholders (not), by key. */
  ends: Map<string, ResourceNode>;
}

/** The resources scan of a graph at `at` within `scope`, each node drawn from its row and heads. */
function readNodes(stmt: Stmt, at: IsoTime | undefined, scope: Scope): NodesRead {
  const nodes: ResourceNode[] = [];
  const ends = new Map<string, ResourceNode>();
  const inScope = (r: ResourceRow) =>
    (scope.accountId === undefined || r.account_id === scope.accountId) &&
    (scope.awsRegion === undefined || r.aws_region === scope.awsRegion);
  // A recorded resource outside the scope, or not yet recorded, may still be a placeholder: every
  // resource is read, and every one but the compliance items with its heads.
  const add = (r: ResourceRow, heads: LazyHead[]) => {
    // Compliance items are never drawn, nor kept as placeholders (C5); their rows say what they are.
    if (r.recorded === 1 ? r.resource_type === COMPLIANCE_RESOURCE_TYPE : isComplianceKey(r.key)) return;
    const node = nodeOfRow(r, inVersionOrder(heads), at);
    // A resource outside the scope is neither drawn nor a placeholder: edges to it are left out.
    if (standsAt(node) ? !inScope(r) : !placeholderAt(node)) return;
    ends.set(node.key, node);
    nodes.push(node);
  };
  let resource: ResourceRow | undefined;
  let heads: LazyHead[] = [];
  for (const row of stmt(RESOURCES_WITH_HEADS).raw(true).iterate(COMPLIANCE_RESOURCE_TYPE) as Iterable<JoinedRow>) {
    if (resource?.key !== row[0]) {
      if (resource) add(resource, heads);
      const [key, account_id, aws_region, resource_type, resource_id, resource_name, recorded] = row;
      resource = { key, account_id, aws_region, resource_type, resource_id, resource_name, recorded };
      heads = [];
    }
    if (row[7] !== null) heads.push(new LazyHead([row[0], row[7], row[8], row[9], row[10], row[11]]));
  }
  if (resource) add(resource, heads);
  return { nodes, ends };
}

/**
 * What keeps the edges of rows of edges in force: those from a drawn node to a node an edge may join, each
 * built once as the answer's object (undefined for a row left out). Its ends are the nodes' own key strings,
 * and its few names, types, origins and rules one string each (the copies each row brings die young, so the
 * scavenges that copy what survives copy less). An edge's rows come grouped by source when read in rowid
 * order (they are written a CI at a time), so the source is looked up once per run of rows: hashing a fresh
 * key string per edge was a tenth of the read. A plain function per row, not a generator: resuming one per
 * edge cost more than building the edge. The placeholders a kept edge points at are added to `pointedAt`.
 */
function edgeKeeper(ends: Map<string, ResourceNode>, pointedAt?: Set<string>): (e: EdgeRow) => GraphEdge | undefined {
  const same = new Map<string, string>();
  const once = (s: string): string => {
    const kept = same.get(s);
    if (kept !== undefined) return kept;
    same.set(s, s);
    return s;
  };
  let lastSource: string | undefined;
  let source: ResourceNode | undefined;
  return (e) => {
    if (e[1] !== lastSource) {
      lastSource = e[1];
      source = ends.get(lastSource);
    }
    if (source === undefined || !source.recorded) return undefined;
    const target = ends.get(e[2]);
    if (target === undefined) return undefined;
    if (!target.recorded) pointedAt?.add(target.key);
    const origin = e[5];
    const rule = e[6];
    return graphEdgeOf({
      id: e[0],
      source: source.key,
      target: target.key,
      name: once(e[3]),
      type: once(e[4]),
      origin: origin === 'config' ? 'config' : origin === 'derived' ? 'derived' : (once(origin) as GraphEdge['origin']),
      rule: rule === null ? null : once(rule),
      validFrom: e[7],
      validTo: e[8],
    });
  };
}

/** Reads the graph at `at` within `scope`: call inside a transaction, so the scans agree. */
export function readGraphAt(stmt: Stmt, at: IsoTime | undefined, scope: Scope): Read {
  const { nodes, ends } = readNodes(stmt, at, scope);
  const edges: GraphEdge[] = [];
  const pointedAt = new Set<string>();
  const time = inForce(at);
  const keep = edgeKeeper(ends, pointedAt);
  const rows = stmt(`SELECT ${EDGE} FROM edges WHERE ${time.where}`)
    .raw(true)
    .iterate(...time.params) as Iterable<EdgeRow>;
  for (const row of rows) {
    const e = keep(row);
    if (e !== undefined) edges.push(e);
  }
  return { nodes, edges: sortById(edges, (e) => e.id), pointedAt };
}

/**
 * The graph at `at` within `scope` read page by page on a connection of its own (`open`ed here, read-only
 * and used for nothing else), which this closes when the pages are done or left unread (`return`). It reads in one
 * read transaction, so every page is of one snapshot whatever is committed meanwhile; a write-ahead-log
 * reader holds its snapshot without blocking the writer. The nodes are read whole (an export holds them
 * anyway), then the placeholders a kept edge points at are looked up by target, then the edges in force
 * are stepped in id order as the pages are consumed: a page of edges is held, never the estate's.
 * `pageSize` is for tests.
 */
export function* streamGraphAtOn(
  open: () => Database.Database,
  at: IsoTime | undefined,
  scope: Scope,
  pageSize = GRAPH_PAGE,
): Generator<GraphPage> {
  const db = open();
  try {
    db.exec('BEGIN');
    const stmt = (sql: string) => db.prepare(sql);
    const { nodes, ends } = readNodes(stmt, at, scope);
    const pointedAt = placeholdersPointedAt(stmt, nodes, ends, at);
    yield* nodePages(nodes, pointedAt, pageSize);
    nodes.length = 0;
    const time = inForce(at);
    // Sorted by SQLite (`+id`: not by walking the primary key's index, which looks each row up apart and cost
    // 0.7–0.9 s of CPU at large against 0.45–0.5 s for the sort, 0.22 s unsorted). Its sorter works within
    // the connection's cache and spills to a temporary file beyond it; rows are stepped as pages are asked for.
    const rows = stmt(`SELECT ${EDGE} FROM edges WHERE ${time.where} ORDER BY +id`)
      .raw(true)
      .iterate(...time.params) as Iterable<EdgeRow>;
    let edges: GraphEdge[] = [];
    const keep = edgeKeeper(ends);
    // Leaving this loop early (the consumer's `return`) ends the statement, so the connection can close.
    for (const row of rows) {
      const e = keep(row);
      if (e === undefined) continue;
      edges.push(e);
      if (edges.length === pageSize) {
        yield { edges };
        edges = [];
      }
    }
    if (edges.length > 0) yield { edges };
  } finally {
    db.close(); // a read transaction still open is rolled back: nothing was written
  }
}

/** The placeholders (nodes not recorded at `at`) a kept edge points at: looked up by target, one by one. */
function placeholdersPointedAt(
  stmt: Stmt,
  nodes: readonly ResourceNode[],
  ends: Map<string, ResourceNode>,
  at: IsoTime | undefined,
): Set<string> {
  const time = inForce(at);
  const sources = stmt(`SELECT source FROM edges WHERE target = ? AND ${time.where}`).pluck();
  const out = new Set<string>();
  for (const n of nodes) {
    if (n.recorded) continue;
    for (const s of sources.iterate(n.key, ...time.params) as Iterable<string>)
      if (ends.get(s)?.recorded === true) {
        out.add(n.key);
        break;
      }
  }
  return out;
}

/** The nodes a graph draws, in pages: recorded ones, and placeholders only where a kept edge points at them. */
function* nodePages(
  nodes: readonly ResourceNode[],
  pointedAt: ReadonlySet<string>,
  size: number,
): Generator<GraphPage> {
  let page: ResourceNode[] = [];
  for (const n of nodes) {
    if (!n.recorded && !pointedAt.has(n.key)) continue;
    page.push(n);
    if (page.length === size) {
      yield { nodes: page };
      page = [];
    }
  }
  if (page.length > 0) yield { nodes: page };
}

/** The pages of what readGraphAt read: the nodes drawn and pointed at, by key, then the edges by id. */
export function* pagesOfRead(read: Read): Generator<GraphPage> {
  yield* nodePages(read.nodes, read.pointedAt, GRAPH_PAGE);
  read.nodes = [];
  const { edges } = read;
  read.edges = [];
  // Pages are cut off the front as they are handed on, so a reader writing them out lets them go.
  for (let i = 0; i < edges.length; i += GRAPH_PAGE) {
    const page = edges.slice(i, i + GRAPH_PAGE);
    edges.fill(undefined as unknown as GraphEdge, i, i + GRAPH_PAGE);
    yield { edges: page };
  }
}
