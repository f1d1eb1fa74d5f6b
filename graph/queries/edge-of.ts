// An edge as the port returns it, from whatever a store keeps of it: the same fields in every store.
import type { GraphEdge } from '../model.ts';

/** The fields of a stored edge as read back; a store without a rule or an end time gives null or nothing. */
export interface EdgeFields extends Omit<GraphEdge, 'rule' | 'validTo'> {
  rule?: string | null;
  validTo?: string | null;
}

export function graphEdgeOf(f: EdgeFields): GraphEdge {
  const e: GraphEdge = {
    id: f.id,
    source: f.source,
    target: f.target,
    name: f.name,
    type: f.type,
    origin: f.origin,
    validFrom: f.validFrom,
    validTo: f.validTo ?? null,
  };
  if (f.rule) e.rule = f.rule;
  return e;
}
