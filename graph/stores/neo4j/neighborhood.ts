// The neighbourhood's subgraph read ahead in ONE statement (SPEC Q3): the breadth-first expansion of
// graph/traverse.ts run in Cypher, so the shared traversal then runs in memory (graph/subgraph-reader.ts)
// instead of paying a round trip per hop. The expansion here only has to predict the traversal: a node it
// takes for a hub that the traversal expands (a neighbour deleted at `at` counts here, not there) is read
// by the traversal afterwards, so answers never depend on it.
import type { GraphEdge, IsoTime, ResourceKey } from '../../model.ts';
import { graphEdgeOf } from '../../queries/edge-of.ts';
import type { RefLookedUp, RefMatch } from '../../queries/refs.ts';
import type { Subgraph } from '../../subgraph-reader.ts';
import { HUB_FANOUT } from '../../traverse.ts';
import { isDeletedStatus } from '../../versions.ts';
import { NODE_STATE, nodeOfRow, nodeStateParams } from './node-state.ts';
import { rows, type Row, type Runner } from './query.ts';
import { BY_ID_OR_ARN, BY_KEY, BY_NAME } from './refs.ts';

/** Cypher: relationship `e` is in force at `$at` (now when null). */
export const edgeInForce = (e: string) =>
  `(CASE WHEN $at IS NULL THEN ${e}.validTo IS NULL ELSE ${e}.validFrom <= $at AND (${e}.validTo IS NULL OR ${e}.validTo > $at) END)`;

/**
 * Cypher: relationship `e` as the list `edgeOfList` reads (a list, not a map: no field names on the wire).
 * Its ends are named by element id, which costs no read, and turned into keys from the statement's nodes
 * (every end of an edge is one of them); its type is the relationship's own, equal to its `type` property.
 */
const edgeList = (e: string) =>
  `[${e}.id, elementId(startNode(${e})), elementId(endNode(${e})), ${e}.name, type(${e}), ${e}.origin, ${e}.validFrom, ${e}.validTo, ${e}.rule]`;

function edgeOfList(l: unknown[], keyOf: Map<string, string>): GraphEdge {
  const [id, source, target, name, type, origin, validFrom, validTo, rule] = l as (string | null)[];
  return graphEdgeOf({
    id: id!,
    source: keyOf.get(source!)!,
    target: keyOf.get(target!)!,
    name: name!,
    type: type!,
    origin: origin as GraphEdge['origin'],
    validFrom: validFrom!,
    validTo,
    rule,
  });
}

/**
 * One hop: every edge of the frontier, and the neighbours the traversal will likely go on to. Edges travel
 * as relationships until the end, where each is sent once: whole when both its ends were reached, else as
 * its ends only (`beyond`: most are a hub's edges, which the traversal only counts).
 */
const HOP = `
  CALL (root, frontier, reached) {
    UNWIND frontier AS f
    MATCH (f)-[e]-(n:Resource) WHERE ${edgeInForce('e')}
    WITH root, reached, f, collect(e) AS es, collect(DISTINCT n) AS ns
    WITH root, reached, f, es, [n IN ns WHERE n <> f AND ($types IS NULL OR n.resourceType IN $types)] AS ns
    WITH es, CASE WHEN f = root OR size(ns) <= $hub THEN [n IN ns WHERE NOT n IN reached] ELSE [] END AS follow
    WITH collect(es) AS esl, collect(follow) AS fl
    RETURN reduce(a = [], x IN esl | a + x) AS hopEdges,
           reduce(a = [], x IN fl | a + [n IN x WHERE NOT n IN a]) AS next
  }
  WITH lookedUp, root, next AS frontier, reached + next AS reached, complete + frontier AS complete, edges + hopEdges AS edges`;

/**
 * Follows a clause that binds distinct `r` (a resource outside those reached) and `touching` (the element ids
 * of the reached resources it has edges with); returns `fates`: for each, its key, whether it is recorded,
 * the statuses of its versions at the last capture time at or before `$at`, and `touching`. The version in
 * force (nodeAt) is one of those, so when they agree they say whether the node is deleted (T4) without
 * reading what showing it would take.
 */
const FATE = `
  OPTIONAL MATCH (r)-[:HAS_VERSION]->(v) WHERE $at IS NULL OR v.captureTime <= $at
  WITH r, touching, collect(v) AS upTo
  WITH r, touching, upTo, reduce(m = '', x IN upTo | CASE WHEN x.captureTime > m THEN x.captureTime ELSE m END) AS last
  RETURN collect([r.key, r.recorded, [x IN upTo WHERE x.captureTime = last | x.status], touching]) AS fates`;

/** Whether a node is deleted, from its fate row; undefined when its last statuses disagree (read it). */
function fateOf(recorded: unknown, statuses: string[]): boolean | undefined {
  if (recorded !== true || statuses.length === 0) return false;
  const deleted = statuses.filter(isDeletedStatus).length;
  return deleted === 0 ? false : deleted === statuses.length ? true : undefined;
}

/**
 * Finds the root from what the user typed, as resolveRef does (Q1), so that the reference costs no round trip
 * of its own: every lookup is made (each an index seek) and sent back as `lookedUp`, and `root` is the one
 * resource Q1 would pick, or null when it picks none (the expansion then reads nothing). The adapter decides
 * from `lookedUp` with the shared rule; this only has to predict it.
 */
const FIND_ROOT = `
  CALL () { ${BY_KEY} RETURN collect(r) AS byKey }
  CALL () { ${BY_ID_OR_ARN} RETURN collect(r) AS byIdOrArn }
  CALL () { ${BY_NAME} RETURN collect(r) AS byName }
  WITH [l IN [byKey, byIdOrArn, byName] | [r IN l | [r.key, r.recorded = true]]] AS lookedUp,
       CASE WHEN size(byKey) > 0 THEN byKey WHEN size(byIdOrArn) > 0 THEN byIdOrArn ELSE byName END AS found
  WITH lookedUp, CASE WHEN any(r IN found WHERE r.recorded = true) THEN [r IN found WHERE r.recorded = true] ELSE found END AS candidates
  WITH lookedUp, CASE WHEN size(candidates) = 1 THEN candidates[0] END AS root`;

export function subgraphStatement(depth: number): string {
  return `
    ${FIND_ROOT}
    WITH lookedUp, root, CASE WHEN root IS NULL THEN [] ELSE [root] END AS frontier
    WITH lookedUp, root, frontier, frontier AS reached, [] AS complete, [] AS edges
    ${HOP.repeat(depth)}
    CALL (frontier) {
      UNWIND frontier AS a
      MATCH (a)-[e]->(b:Resource) WHERE b IN frontier AND ${edgeInForce('e')}
      RETURN collect(e) AS lastEdges
    }
    WITH lookedUp, root, reached, complete, edges + lastEdges AS edges
    CALL (edges, reached) {
      UNWIND edges AS e
      WITH DISTINCT e
      WITH e, startNode(e) AS a, endNode(e) AS b
      WITH e, a, b, a IN reached AS fromReached, b IN reached AS toReached
      RETURN collect(CASE WHEN fromReached AND toReached THEN ${edgeList('e')} END) AS edgeRows,
             collect(CASE WHEN NOT fromReached THEN [a, b] WHEN NOT toReached THEN [b, a] END) AS outside
    }
    CALL (reached) {
      UNWIND reached AS r
      ${NODE_STATE}
      RETURN collect([elementId(r), node]) AS nodes
    }
    CALL (outside) {
      UNWIND outside AS pair
      WITH pair[0] AS r, collect(DISTINCT elementId(pair[1])) AS touching
      ${FATE}
    }
    RETURN lookedUp, root.key AS root, [x IN reached | x.key] AS reached, [x IN complete | x.key] AS complete,
           edgeRows AS edges, nodes, fates`;
}

/** A resource a lookup found, as the statement sends it: its key and whether it is recorded. */
type LookedUpRow = [ResourceKey, boolean];
const matchesOf = (found: LookedUpRow[]): RefMatch[] => found.map(([key, recorded]) => ({ key, recorded }));

/** A reference as the statement looks it up: `ref` by id, ARN and name, `key` (null for none) by key. */
export interface RootLookup {
  ref: string;
  key: string | null;
}

/**
 * The resources a reference names (every lookup Q1 makes) and the subgraph a neighbourhood of `depth` hops
 * at `at` reads around the one Q1 picks (`root`; null and empty when it picks none), in one statement.
 */
export async function neighborhoodSubgraph(
  tx: Runner,
  lookup: RootLookup,
  opts: { depth: number; at?: IsoTime; types?: string[] },
): Promise<{ lookedUp: RefLookedUp; root: ResourceKey | null; subgraph: Subgraph }> {
  const [found] = await rows<{
    lookedUp: [LookedUpRow[], LookedUpRow[], LookedUpRow[]]; // by key, by id or ARN, by name
    root: string | null;
    reached: string[];
    complete: string[];
    edges: unknown[][];
    nodes: [string, Row][];
    fates: [string, unknown, string[], string[]][];
  }>(tx, subgraphStatement(opts.depth), {
    ...lookup,
    types: opts.types?.length ? opts.types : null,
    hub: HUB_FANOUT,
    ...nodeStateParams(opts.at),
  });
  if (!found) throw new Error('the neighbourhood statement returned no row'); // it aggregates: always one
  const [byKey, byIdOrArn, byName] = found.lookedUp;
  const keyOf = new Map(found.nodes.map(([id, n]) => [id, n.key as string]));
  const fates: [ResourceKey, boolean][] = [];
  const beyond: [ResourceKey, ResourceKey][] = [];
  for (const [key, recorded, statuses, touching] of found.fates) {
    const fate = fateOf(recorded, statuses);
    if (fate !== undefined) fates.push([key, fate]);
    for (const id of touching) beyond.push([keyOf.get(id)!, key]);
  }
  return {
    lookedUp: { byKey: matchesOf(byKey), byIdOrArn: matchesOf(byIdOrArn), byName: matchesOf(byName) },
    root: found.root,
    subgraph: {
      complete: found.complete,
      reached: found.reached,
      edges: found.edges.map((l) => edgeOfList(l, keyOf)),
      beyond,
      nodes: found.nodes.map(([, n]) => nodeOfRow(n, opts.at)),
      fates,
    },
  };
}
