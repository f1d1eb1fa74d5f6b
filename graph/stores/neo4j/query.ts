// Thin helpers over the driver: run a statement with parameters and get plain rows back.
import type { ManagedTransaction } from 'neo4j-driver';
import { canonicalJson } from '../../canonical.ts';
import type { ResourceVersion } from '../../model.ts';
import { graphEdgeOf, type EdgeFields } from '../../queries/edge-of.ts';
import { versionIdentity } from '../../versions.ts';
import { compress, decompressText } from '../compression.ts';
import { nodeHeadOf } from './node-state.ts';

/** Anything that runs Cypher: a managed transaction (reads and writes go through these only). */
export type Runner = Pick<ManagedTransaction, 'run'>;

export type Row = Record<string, unknown>;

/** A row of (e: the relationship's properties, source, target). */
export const rowToEdge = (r: Row) =>
  graphEdgeOf({ ...(r.e as EdgeFields), source: r.source as string, target: r.target as string });

/**
 * An ingest statement planned once per server: a growing database makes Neo4j's cached plans "stale" and
 * replan them (up to every 10 s), which cost ~10% of the server's CPU in an import. Only for statements
 * whose plan the data cannot change: lookups by a unique key, or by an index the statement names.
 */
export const planOnce = (cypher: string) => `CYPHER replan=skip ${cypher}`;

export async function rows<T = Row>(tx: Runner, cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const res = await tx.run(cypher, params);
  return res.records.map((r) => r.toObject() as T);
}

/** Version node id: unambiguous whatever characters the key holds. */
export function versionNodeId(
  v: Pick<ResourceVersion, 'key' | 'captureTime' | 'configurationStateId' | 'inferred'>,
): string {
  return canonicalJson([v.key, versionIdentity(v)]);
}

/** The properties `versionProps` gives a :Version node, in the order it gives them. */
export const VERSION_PROPERTIES = [
  'id',
  'key',
  'identity',
  'captureTime',
  'status',
  'inferred',
  'configurationStateId',
  'contentHash',
  'runId',
  'configuration',
  'tags',
  'body',
  'head',
] as const;

/**
 * `{name: row.name, …}` for a CREATE: properties named in the statement get their ids once, when it is
 * planned, where `SET n = row` looks up every key of every row (and first removes what the entity holds).
 * Null values are not stored, as with `SET`.
 */
export const propertyMap = (names: readonly string[], from = 'row'): string =>
  `{${names.map((n) => `${n}: ${from}.${n}`).join(', ')}}`;

/**
 * Properties of a :Version node. `configuration` holds the configuration as JSON, compressed
 * (`compressedBytes`), and `body` the rest of the version as JSON (what the port returns, with
 * `versionFromProps`): the configuration is the bulk of a CI and is stored once. `head` is what showing its
 * resource as a node needs of the version (`nodeHeadOf`), so that graph reads need not fetch the body. The other
 * properties are there for people writing Cypher. Nested JSON is stored as strings.
 */
export function versionProps(
  v: ResourceVersion,
  body: ResourceVersion,
): Record<(typeof VERSION_PROPERTIES)[number], unknown> {
  const { configuration, ...rest } = body;
  return {
    id: versionNodeId(v),
    key: v.key,
    identity: versionIdentity(v),
    captureTime: v.captureTime,
    status: v.status,
    inferred: v.inferred,
    configurationStateId: v.configurationStateId ?? null,
    contentHash: v.contentHash,
    runId: body.runId ?? null,
    configuration: configuration === undefined ? null : compressedBytes(JSON.stringify(configuration)),
    tags: v.tags ? JSON.stringify(v.tags) : null,
    body: JSON.stringify(rest),
    head: JSON.stringify(nodeHeadOf(body)),
  };
}

/**
 * Text stored compressed as a byte array (schema step 7): the configuration is the bulk of a CI, and compressed it
 * is a fraction of the records to write and of the bytes on Bolt. The driver sends an Int8Array as bytes (a
 * Buffer would go as a list of numbers).
 */
export function compressedBytes(text: string): Int8Array {
  const b = compress(text);
  return new Int8Array(b.buffer, b.byteOffset, b.length);
}

/** The text a `body` or `configuration` property holds: compressed bytes, or JSON text written before step 7. */
export function storedText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Int8Array || value instanceof Uint8Array)
    return decompressText(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  throw new TypeError(`a Version's body or configuration is neither text nor bytes: ${typeof value}`);
}

/**
 * The version a :Version node holds. Versions written before the configuration moved out of `body`
 * carry it in both places; the property wins and is the same value.
 */
export function versionFromProps(body: unknown, configuration: unknown): ResourceVersion {
  const v = JSON.parse(storedText(body)) as ResourceVersion;
  if (configuration !== null && configuration !== undefined)
    v.configuration = JSON.parse(storedText(configuration)) as ResourceVersion['configuration'];
  return v;
}
