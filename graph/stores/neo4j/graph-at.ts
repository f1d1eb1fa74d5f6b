// The graph at a time (Q6) read page by page over Bolt, for exports that write it as it comes: the nodes are
// read a page of keys at a time and held (they are a small part of a graph; the placeholders among them are
// known only from the edges), then the edges come in id order from one statement whose records the driver
// pulls as they are consumed, so no more than a page or two of edges is in memory at once. Collected, the pages
// are graphAtOf's answer over the same transaction (the contract suite compares them).
import { isComplianceKey } from '../../compliance.ts';
import { validAt } from '../../edges.ts';
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode, Scope } from '../../model.ts';
import { compareNodes } from '../../nodes.ts';
import { GRAPH_PAGE, placeholderAt, standsAt } from '../../queries/graph-at.ts';
import type { GraphPage } from '../../store.ts';
import { edgeInForce } from './neighborhood.ts';
import { rows, rowToEdge, type Runner } from './query.ts';

/** The keys of the recorded resources in a scope, in no order. */
export async function recordedKeysIn(tx: Runner, scope: Scope): Promise<ResourceKey[]> {
  return (
    await rows(
      tx,
      `MATCH (r:Resource {recorded: true})
       WHERE ($account IS NULL OR r.accountId = $account) AND ($region IS NULL OR r.awsRegion = $region)
       RETURN r.key AS key`,
      { account: scope.accountId ?? null, region: scope.awsRegion ?? null },
    )
  ).map((r) => r.key as string);
}

type NodesAt = (keys: ResourceKey[], at: IsoTime | undefined) => Promise<ResourceNode[]>;

/** Reads inside `tx` (one read transaction, so the statements agree); `nodesAt` reads in it too. */
export async function* streamGraphAtNeo4j(
  tx: Runner,
  nodesAt: NodesAt,
  at: IsoTime | undefined,
  scope: Scope,
): AsyncGenerator<GraphPage> {
  const params = { at: at ?? null, account: scope.accountId ?? null, region: scope.awsRegion ?? null };
  const recorded = (await recordedKeysIn(tx, scope)).filter((k) => !isComplianceKey(k));

  // The nodes drawn, a page of keys at a time.
  const nodes: ResourceNode[] = [];
  for (let i = 0; i < recorded.length; i += GRAPH_PAGE)
    for (const n of await nodesAt(recorded.slice(i, i + GRAPH_PAGE), at)) if (standsAt(n)) nodes.push(n);
  const drawn = new Set(nodes.map((n) => n.key));

  // The placeholders: resources not recorded at `at` (never recorded, or recorded only later) that an edge in
  // force from a drawn node points at; the pairs are pulled as they are looked at, not held.
  const pointedAt = new Set<string>();
  for await (const r of tx.run(
    `MATCH (s:Resource)-[e]->(t:Resource) WHERE ${edgeInForce('e')} RETURN DISTINCT s.key AS source, t.key AS target`,
    params,
  )) {
    const target = r.get('target') as string;
    if (drawn.has(r.get('source') as string) && !drawn.has(target) && !isComplianceKey(target)) pointedAt.add(target);
  }
  const placeholders = (await nodesAt([...pointedAt], at)).filter(placeholderAt);
  const ends = new Set(drawn);
  for (const n of placeholders) {
    ends.add(n.key);
    nodes.push(n);
  }
  nodes.sort(compareNodes);
  for (let i = 0; i < nodes.length; i += GRAPH_PAGE) yield { nodes: nodes.slice(i, i + GRAPH_PAGE) };
  nodes.length = 0;

  // The edges in id order (ids are hex digests: Cypher's string order is graphAtOf's code-unit order), each
  // record pulled from Bolt as the pages are consumed.
  const result = tx.run(
    `MATCH (s:Resource)-[e]->(t:Resource) WHERE ${edgeInForce('e')}
     RETURN properties(e) AS e, s.key AS source, t.key AS target ORDER BY e.id`,
    params,
  );
  let page: GraphEdge[] = [];
  for await (const record of result) {
    const source = record.get('source') as string;
    const target = record.get('target') as string;
    if (!drawn.has(source) || !ends.has(target)) continue;
    const edge = rowToEdge({ e: record.get('e') as unknown, source, target });
    if (!validAt(edge, at)) continue;
    page.push(edge);
    if (page.length === GRAPH_PAGE) {
      yield { edges: page };
      page = [];
    }
  }
  if (page.length > 0) yield { edges: page };
}
