// The SQLite store's reads for a diff taken from the changes (graph/queries/diff-of.ts). Keys travel as one
// JSON parameter and rows come back as arrays: a diff of a whole estate names tens of thousands of
// resources and edges, and lists of 400 keys or a row object per row cost more than the reads themselves.
import type Database from 'better-sqlite3';
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode } from '../../model.ts';
import { compareNodes, nodeAt, placeholderNode } from '../../nodes.ts';
import type { ChangeReader } from '../../queries/diff-of.ts';
import type { GraphReader } from '../../traverse.ts';
import { EDGE, edgeOfRow, RESOURCE_COLUMNS, type EdgeRow, type ResourceTuple } from './graph-at.ts';
import { HEAD_COLUMNS, headsByKey, type HeadRow } from './heads.ts';

type Stmt = (sql: string) => Database.Statement;

const edges = (st: Database.Statement, ...params: unknown[]) =>
  (st.raw(true).all(...params) as EdgeRow[]).map(edgeOfRow);
const prefixed = (alias: string) =>
  EDGE.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');

export type SqliteChanges = Omit<ChangeReader, keyof GraphReader>;

/**
 * Everything a diff reads, on one connection: what sqliteChanges reads, and nodes at one time read as
 * nodesAtBoth reads them. For a diff read in one transaction on a connection of its own.
 */
export function sqliteChangeReader(stmt: Stmt): ChangeReader {
  const changes = sqliteChanges(stmt);
  return {
    ...changes,
    async nodesAt(keys: ResourceKey[], at?: IsoTime): Promise<ResourceNode[]> {
      return nodesAtTimes(stmt, keys, [at])[0]!;
    },
  };
}

/** The nodes of these resources at each of these times, sorted by key, their rows read once for all. */
function nodesAtTimes(stmt: Stmt, keys: ResourceKey[], times: (IsoTime | undefined)[]): ResourceNode[][] {
  const json = JSON.stringify([...new Set(keys)]);
  const rows = stmt(
    `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE key IN (SELECT value FROM json_each(?)) ORDER BY key`,
  )
    .raw(true)
    .all(json) as ResourceTuple[];
  // Heads only, their JSON parsed when a node is drawn from one (heads.ts); every version of each
  // resource, since its first says whether it existed before it was recorded (T1).
  const heads = headsByKey(
    stmt(`SELECT ${HEAD_COLUMNS} FROM versions WHERE key IN (SELECT value FROM json_each(?))`)
      .raw(true)
      .all(json) as HeadRow[],
  );
  return times.map((t) =>
    rows
      .map(([key, accountId, awsRegion, resourceType, resourceId, resourceName, recorded]) =>
        recorded === 0
          ? placeholderNode(key, resourceName ?? undefined)
          : nodeAt(key, { accountId, awsRegion, resourceType, resourceId }, heads.get(key) ?? [], t),
      )
      .sort(compareNodes),
  );
}

export function sqliteChanges(stmt: Stmt): SqliteChanges {
  return {
    async nodesAtBoth(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<[ResourceNode[], ResourceNode[]]> {
      const [atFrom, atTo] = nodesAtTimes(stmt, keys, [from, to]);
      return [atFrom!, atTo!];
    },

    async resourcesChangedAfter(from: IsoTime): Promise<ResourceKey[]> {
      // From the index of the version heads (schema step 8), not the rows with their configurations.
      return stmt('SELECT DISTINCT key FROM versions WHERE capture_time > ?').pluck().all(from) as ResourceKey[];
    },

    async edgesChangedBetween(from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
      return edges(
        stmt(
          `SELECT ${EDGE} FROM edges WHERE (valid_from > ? AND valid_from <= ?) OR (valid_to > ? AND valid_to <= ?)`,
        ),
        from,
        to,
        from,
        to,
      );
    },

    async edgesTouchingBetween(keys: ResourceKey[], from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
      // In force over the whole span; the caller keeps one of an edge touching two of these resources.
      const json = JSON.stringify([...new Set(keys)]);
      const inForce = 'valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)';
      return edges(
        stmt(
          `SELECT ${EDGE} FROM edges WHERE source IN (SELECT value FROM json_each(?)) AND ${inForce}
           UNION ALL
           SELECT ${EDGE} FROM edges WHERE target IN (SELECT value FROM json_each(?)) AND ${inForce}`,
        ),
        json,
        from,
        to,
        json,
        from,
        to,
      );
    },

    async twinsInForce(from: IsoTime, to: IsoTime): Promise<GraphEdge[]> {
      // One join, each edge whose interval starts or ends in (from, to] looking up its source's edges.
      return edges(
        stmt(
          `SELECT DISTINCT ${prefixed('l')} FROM edges e
           JOIN edges l ON l.source = e.source AND +l.target = e.target AND l.name = e.name AND l.origin = e.origin
            AND l.rule IS e.rule AND l.id <> e.id
           WHERE ((e.valid_from > ? AND e.valid_from <= ?) OR (e.valid_to > ? AND e.valid_to <= ?))
            AND l.valid_from <= ? AND (l.valid_to IS NULL OR l.valid_to > ?)`,
        ),
        from,
        to,
        from,
        to,
        from,
        to,
      );
    },
  };
}
