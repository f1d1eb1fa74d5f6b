// Names the graph gets from data. Relationship types are the only strings ever placed into Cypher text
// that are not fixed: each passes a strict allow-pattern first, anything else is a bug (or an attack) and
// throws. Type labels travel as parameters (5.26 dynamic labels) and still pass their own pattern.
import { isSafeRelationshipType } from '../../relationships.ts';

const LABEL = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

/**
 * The type label of a resource: `AWS::EC2::Instance` → `EC2_Instance`, `Custom::Thing` → `Custom_Thing`.
 * Undefined when the type does not yield a safe label (the node keeps `:Resource` only; its
 * `resourceType` property is always exact).
 */
export function typeLabel(resourceType: string): string | undefined {
  const parts = resourceType.split('::');
  if (parts.length < 2 || parts.some((p) => p === '')) return undefined;
  const body = parts[0] === 'AWS' ? parts.slice(1) : parts;
  const label = body.join('_');
  return LABEL.test(label) && !RESERVED_LABELS.has(label) ? label : undefined;
}

/** The label of the one node that holds the store's schema version (SPEC S2). */
export const SCHEMA_LABEL = 'ConfiggraphSchema';

/** Labels the schema itself uses: a type must never turn a resource into one of these. */
const RESERVED_LABELS = new Set([
  'Resource',
  'Version',
  'Run',
  'Snapshot',
  'Event',
  'IngestLock',
  'ImportedFile',
  'ImportedObject',
  SCHEMA_LABEL,
]);

/** The labels a resource of this type gets besides `:Resource`: its type label, or none. */
export function labelsOf(resourceType: string): string[] {
  const label = typeLabel(resourceType);
  return label ? [label] : [];
}

/** A relationship type back-quoted for Cypher; only normalised types (E4) ever get here. */
export function relTypeInCypher(type: string): string {
  if (!isSafeRelationshipType(type)) throw new Error(`refusing unsafe Neo4j relationship type ${JSON.stringify(type)}`);
  return `\`${type}\``;
}

/** Groups rows by a name so that each Cypher statement has one fixed label or type. */
export function groupBy<T>(rows: T[], nameOf: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const n = nameOf(r);
    let list = out.get(n);
    if (!list) out.set(n, (list = []));
    list.push(r);
  }
  return out;
}

/** Splits rows into UNWIND batches. */
export function batches<T>(rows: T[], size = 2000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
