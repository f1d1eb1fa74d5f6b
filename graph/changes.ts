// What changed between two versions (SPEC H1–H3): configuration paths, tags, relationships.
import type { ConfigurationChange, RawRelationship, RelationshipChange, TagChange, VersionChanges } from './model.ts';
import { relationshipIdentity } from './edges.ts';
import { relationshipType } from './relationships.ts';
import { isObject } from './is-object.ts';

/** Paths like `ipPermissions[1].ipRanges[0]`; keys that are not identifiers are quoted. */
function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? (safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`) : safe;
}

export function configurationChanges(
  before: unknown,
  after: unknown,
  path = '',
  out: ConfigurationChange[] = [],
): ConfigurationChange[] {
  if (before === after) return out;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) {
      const p = join(path, k);
      if (!(k in before)) out.push({ path: p, change: 'added', newValue: after[k] });
      else if (!(k in after)) out.push({ path: p, change: 'removed', oldValue: before[k] });
      else configurationChanges(before[k], after[k], p, out);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const p = join(path, i);
      if (i >= before.length) out.push({ path: p, change: 'added', newValue: after[i] });
      else if (i >= after.length) out.push({ path: p, change: 'removed', oldValue: before[i] });
      else configurationChanges(before[i], after[i], p, out);
    }
    return out;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return out;
  if (before === undefined || before === null)
    out.push({ path: path || '(configuration)', change: 'added', newValue: after });
  else if (after === undefined || after === null)
    out.push({ path: path || '(configuration)', change: 'removed', oldValue: before });
  else out.push({ path: path || '(configuration)', change: 'changed', oldValue: before, newValue: after });
  return out;
}

export function tagChanges(before: Record<string, string> | null, after: Record<string, string> | null): TagChange[] {
  if (!before || !after) return [];
  const out: TagChange[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (!(k in before)) out.push({ key: k, change: 'added', newValue: after[k] });
    else if (!(k in after)) out.push({ key: k, change: 'removed', oldValue: before[k] });
    else if (before[k] !== after[k]) out.push({ key: k, change: 'changed', oldValue: before[k], newValue: after[k] });
  }
  return out;
}

export function relationshipChanges(
  before: RawRelationship[],
  after: RawRelationship[],
  resolve: (r: RawRelationship) => string,
): RelationshipChange[] {
  const b = new Map(before.map((r) => [relationshipIdentity(r), r]));
  const a = new Map(after.map((r) => [relationshipIdentity(r), r]));
  const out: RelationshipChange[] = [];
  const emit = (change: 'added' | 'removed', r: RawRelationship) => {
    const c: RelationshipChange = {
      change,
      name: r.name,
      type: relationshipType(r.name),
      origin: r.origin,
      target: resolve(r),
      targetType: r.resourceType,
    };
    if (r.resourceId) c.targetId = r.resourceId;
    if (r.resourceName) c.targetName = r.resourceName;
    out.push(c);
  };
  for (const [id, r] of a) if (!b.has(id)) emit('added', r);
  for (const [id, r] of b) if (!a.has(id)) emit('removed', r);
  return out;
}

export function versionChanges(
  prev:
    | { status: string; configuration: unknown; tags: Record<string, string> | null; relationships: RawRelationship[] }
    | undefined,
  next: {
    status: string;
    configuration: unknown;
    tags: Record<string, string> | null;
    relationships: RawRelationship[];
  },
  resolve: (r: RawRelationship) => string,
): VersionChanges {
  const changes: VersionChanges = {
    created: prev === undefined,
    // A first version's configuration is the version itself; listing it as "added" would repeat it.
    configuration: prev ? configurationChanges(prev.configuration, next.configuration) : [],
    tags: tagChanges(prev ? prev.tags : {}, next.tags),
    relationships: relationshipChanges(prev?.relationships ?? [], next.relationships, resolve),
  };
  if (prev && prev.status !== next.status) changes.statusChange = { from: prev.status, to: next.status };
  return changes;
}
