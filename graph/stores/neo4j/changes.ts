// The Neo4j store's reads for a diff taken from the changes (graph/queries/diff-of.ts), inside one read
// transaction, so a run committed meanwhile cannot slip in between them.
import type { GraphEdge, IsoTime, ResourceKey } from '../../model.ts';
import type { ChangeReader } from '../../queries/diff-of.ts';
import type { GraphReader } from '../../traverse.ts';
import { batches } from './names.ts';
import { rows, rowToEdge, type Runner } from './query.ts';

/** Cypher: relationship `e`'s interval starts or ends in ($from, $to]. */
const changedBetween = (e: string) =>
  `((${e}.validFrom > $from AND ${e}.validFrom <= $to) OR (${e}.validTo > $from AND ${e}.validTo <= $to))`;
/** Cypher: relationship `e` is in force at both $from and $to. */
const inForceThroughout = (e: string) => `(${e}.validFrom <= $from AND (${e}.validTo IS NULL OR ${e}.validTo > $to))`;
const RETURN_EDGE = (e: string) => `RETURN properties(${e}) AS e, s.key AS source, t.key AS target`;

export function neo4jChanges(tx: Runner, reader: GraphReader): ChangeReader {
  const edges = async (cypher: string, params: Record<string, unknown>): Promise<GraphEdge[]> =>
    (await rows(tx, cypher, params)).map(rowToEdge);
  return {
    ...reader,
    async nodesAtBoth(keys, from, to) {
      return [await reader.nodesAt(keys, from), await reader.nodesAt(keys, to)];
    },
    async resourcesChangedAfter(from: IsoTime): Promise<ResourceKey[]> {
      // From the index on the capture times.
      const found = await rows(
        tx,
        `MATCH (v:Version) WHERE v.captureTime > $from
         MATCH (r:Resource)-[:HAS_VERSION]->(v) RETURN DISTINCT r.key AS key`,
        { from },
      );
      return found.map((r) => r.key as string);
    },
    async edgesChangedBetween(from, to) {
      return edges(`MATCH (s:Resource)-[e]->(t:Resource) WHERE ${changedBetween('e')} ${RETURN_EDGE('e')}`, {
        from,
        to,
      });
    },
    async edgesTouchingBetween(keys, from, to) {
      const out: GraphEdge[] = [];
      for (const part of batches([...new Set(keys)]))
        out.push(
          ...(await edges(
            `UNWIND $keys AS k MATCH (s:Resource {key: k})-[e]->(t:Resource) WHERE ${inForceThroughout('e')} ${RETURN_EDGE('e')}
             UNION ALL
             UNWIND $keys AS k MATCH (s:Resource)-[e]->(t:Resource {key: k}) WHERE ${inForceThroughout('e')} ${RETURN_EDGE('e')}`,
            { keys: part, from, to },
          )),
        );
      return out;
    },
    async twinsInForce(from, to) {
      return edges(
        `MATCH (s:Resource)-[e]->(t:Resource) WHERE ${changedBetween('e')}
         MATCH (s)-[l]->(t)
         WHERE l.id <> e.id AND l.name = e.name AND l.origin = e.origin AND coalesce(l.rule, '') = coalesce(e.rule, '')
           AND ${inForceThroughout('l')}
         WITH DISTINCT l, s, t ${RETURN_EDGE('l')}`,
        { from, to },
      );
    },
  };
}
