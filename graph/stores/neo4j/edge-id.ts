// Edge ids must be identical in every store (canonical exports are compared): the same formula as the
// SQLite adapter's `edgeId`, kept beside it until it moves into graph/ (the parity test guards it).
import { sha256 } from '../../canonical.ts';
import type { IsoTime, RawRelationship, ResourceKey } from '../../model.ts';

export function edgeId(source: ResourceKey, r: RawRelationship, validFrom: IsoTime): string {
  return sha256([source, r.origin, r.rule ?? '', r.name, r.resourceType, r.resourceId ?? '', r.resourceName ?? '', validFrom].join('\u0000')).slice(0, 32);
}
