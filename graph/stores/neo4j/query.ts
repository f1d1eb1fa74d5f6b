// Thin helpers over the driver: run a statement with parameters and get plain rows back.
import type { ManagedTransaction } from 'neo4j-driver';
import { canonicalJson } from '../../canonical.ts';
import type { ResourceVersion } from '../../model.ts';
import { versionIdentity } from '../../versions.ts';

/** Anything that runs Cypher: a managed transaction (reads and writes go through these only). */
export type Runner = Pick<ManagedTransaction, 'run'>;

export type Row = Record<string, unknown>;

export async function rows<T = Row>(tx: Runner, cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const res = await tx.run(cypher, params);
  return res.records.map((r) => r.toObject() as T);
}

/** Version node id: unambiguous whatever characters the key holds. */
export function versionNodeId(v: Pick<ResourceVersion, 'key' | 'captureTime' | 'configurationStateId' | 'inferred'>): string {
  return canonicalJson([v.key, versionIdentity(v)]);
}

/**
 * Properties of a :Version node. `body` is the whole version as JSON (what the port returns); the other
 * properties are there for people writing Cypher. Nested JSON is stored as strings.
 */
export function versionProps(v: ResourceVersion, body: ResourceVersion): Row {
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
    configuration: JSON.stringify(v.configuration ?? null),
    tags: v.tags ? JSON.stringify(v.tags) : null,
    body: JSON.stringify(body),
  };
}
