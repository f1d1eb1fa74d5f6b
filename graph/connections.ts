// Readable connections (SPEC G8–G10): what the explorer and the exports draw for the edges between
// the resources in view. Config records most EC2 networking facts from both ends ("Contains Subnet" on
// the VPC, "Is contained in Vpc" on the subnet); such a reverse twin is one connection that keeps both
// of Config's names. A connection between a resource and a VPC or subnet whose box already encloses it
// says nothing the picture does not, so it is set aside (counted, shown on request).
import { enclosingResources, type Grouping } from './grouping.ts';
import type { EdgeOrigin, GraphEdge, ResourceKey } from './model.ts';

export interface Connection {
  /** The primary edge's id (stable, so selections and marks keep working). */
  id: string;
  source: ResourceKey;
  target: ResourceKey;
  origin: EdgeOrigin;
  /** One edge, or a reverse twin: the primary edge first. */
  edges: GraphEdge[];
  /** Config's relationship names, trimmed, in the order of `edges`. */
  names: string[];
}

/** G8: normalised types (E4) that state the same fact when read from the other end. */
const INVERSE: [string, string][] = [
  ['CONTAINS', 'IS_CONTAINED_IN'],
  // An instance "Contains NetworkInterface"; the interface "Is attached to Instance".
  ['CONTAINS', 'IS_ATTACHED_TO'],
  ['IS_ATTACHED_TO', 'IS_ATTACHED_TO'],
  ['IS_ASSOCIATED_WITH', 'IS_ASSOCIATED_WITH'],
];

/**
 * G8: two edges are reverse twins when they join the same two resources in opposite directions, have
 * the same origin, and their types are inverses: Contains ↔ Is contained in, Contains ↔ Is attached to,
 * Is attached to ↔ Is attached to, Is associated with ↔ Is associated with.
 */
export function areTwins(a: GraphEdge, b: GraphEdge): boolean {
  if (a.source !== b.target || a.target !== b.source || a.source === a.target) return false;
  if (a.origin !== b.origin) return false;
  return INVERSE.some(([x, y]) => (a.type === x && b.type === y) || (a.type === y && b.type === x));
}

const byId = (a: GraphEdge, b: GraphEdge) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * G8: every edge once, reverse twins merged into one connection. Each edge pairs with at most one twin
 * (the first by id). The primary edge, whose direction the connection takes, is the member's side when
 * one side says "Contains" (so the connection reads "Is contained in" / "Is attached to"), else the edge
 * whose id sorts first. The result is ordered by id and does not depend on the input's order.
 */
export function mergeTwins(edges: Iterable<GraphEdge>): Connection[] {
  const sorted = [...edges].sort(byId);
  // Source → target → edges in id order: nested maps, so no key is built from two long keys per edge
  // (a third of the explorer's shaping time at 10,000 elements).
  const byPair = new Map<string, Map<string, GraphEdge[]>>();
  for (const e of sorted) {
    let targets = byPair.get(e.source);
    if (!targets) byPair.set(e.source, (targets = new Map<string, GraphEdge[]>()));
    const list = targets.get(e.target);
    if (list) list.push(e);
    else targets.set(e.target, [e]);
  }
  // By the edge itself: a set of objects hashes nothing, one of 20,000 ids hashed each (a quarter of this).
  const used = new Set<GraphEdge>();
  const out: Connection[] = [];
  for (const e of sorted) {
    if (used.has(e)) continue;
    used.add(e);
    const twin = byPair
      .get(e.target)
      ?.get(e.source)
      ?.find((o) => !used.has(o) && areTwins(e, o));
    let pair = [e];
    if (twin) {
      used.add(twin);
      pair = e.type === 'CONTAINS' && twin.type !== 'CONTAINS' ? [twin, e] : [e, twin];
    }
    const primary = pair[0]!;
    out.push({
      id: primary.id,
      source: primary.source,
      target: primary.target,
      origin: primary.origin,
      edges: pair,
      names: pair.map((p) => p.name.trim()),
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** G8: the label of a connection: Config's names, both of a twin's, joined. */
export function connectionLabel(c: Pick<Connection, 'names'>): string {
  return c.names.join(' / ');
}

/**
 * G8: the label as drawn along the connection's line: a twin's two names one above the other, so that it fits
 * between two resources drawn close together (on one line, the instance ↔ interface twin ran under the icons).
 */
export function connectionCaption(c: Pick<Connection, 'names'>): string {
  return c.names.join(' /\n');
}

/** G9: a connection between a resource and a VPC or subnet whose box encloses it (its own box included). */
export function isEnclosing(c: Pick<Connection, 'source' | 'target'>, grouping: Grouping): boolean {
  return (
    enclosingResources(grouping, c.source).includes(c.target) ||
    enclosingResources(grouping, c.target).includes(c.source)
  );
}

export interface ReadableConnections {
  /** What is drawn by default. */
  drawn: Connection[];
  /** G9: connections to an enclosing box, drawn only on request. */
  enclosing: Connection[];
}

/** G8 + G9: the connections of a view; without boxes nothing encloses anything. */
export function readableConnections(edges: Iterable<GraphEdge>, grouping?: Grouping): ReadableConnections {
  const drawn: Connection[] = [];
  const enclosing: Connection[] = [];
  for (const c of mergeTwins(edges)) (grouping && isEnclosing(c, grouping) ? enclosing : drawn).push(c);
  return { drawn, enclosing };
}
