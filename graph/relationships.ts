// Relationship vocabulary (SPEC E4): Config's free-text relationshipName → a normalised type.
// "Is contained in Vpc" and "Is contained in " both become IS_CONTAINED_IN; the target type
// spelled in the name ("Vpc", "ElasticIp", "CustomerManagedPolicy") is not part of the verb.

const RELATIONSHIP_TYPE = /^[A-Z][A-Z0-9_]{0,63}$/;
const FALLBACK_TYPE = 'RELATED_TO';

/** True when a relationship type is safe to use as a Neo4j relationship type. */
export function isSafeRelationshipType(type: string): boolean {
  return RELATIONSHIP_TYPE.test(type);
}

// A handful of names recur on every relationship of an estate: each is normalised once.
const typeOfName = new Map<string, string>();

export function relationshipType(name: string): string {
  let type = typeOfName.get(name);
  if (type === undefined) {
    type = normalisedType(name);
    if (typeOfName.size < 10_000) typeOfName.set(name, type);
  }
  return type;
}

function normalisedType(name: string): string {
  // Config's names are words and spaces; anything else is not a verb phrase we can name.
  if (/[^A-Za-z0-9 -]/.test(name)) return FALLBACK_TYPE;
  const words = name.trim().split(/\s+/).filter(Boolean);
  // Drop a trailing capitalised word that names the target ("Vpc", "NetworkInterface"),
  // but keep the verb when it is the only word ("Contains").
  if (words.length > 1) {
    const last = words[words.length - 1]!;
    if (/^[A-Z]/.test(last)) words.pop();
  }
  let verb = words.join(' ').toLowerCase();
  // Old CIs (v1.0) say "Attached to Instance" / "Attached Volume"; they mean the same as "Is attached to".
  if (/^attached\b/.test(verb)) verb = 'is attached to';
  const type = verb
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return isSafeRelationshipType(type) ? type : FALLBACK_TYPE;
}
