// Reads GET /api/collections/current (`{ collection: CollectionStatus }`, see
// server/collect/service.ts) into what the banner shows. Checked field by field: the collector may
// grow fields, and a missing one must not break the banner.
import { isObject } from '../../graph/is-object.ts';

export interface CollectionProgress {
  running: boolean;
  /** State as the collector names it: idle, running, succeeded, partial, failed, interrupted. */
  state: string;
  /** One line for people: phase and counts. */
  message?: string;
  done?: number;
  total?: number;
  error?: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function parseCollectionStatus(body: unknown): CollectionProgress {
  const c = isObject(body) && 'collection' in body ? body['collection'] : body;
  if (!isObject(c)) return { running: false, state: 'idle' };
  const state = typeof c['state'] === 'string' ? c['state'] : c['running'] === true ? 'running' : 'idle';
  const out: CollectionProgress = { running: state === 'running', state };
  const p = isObject(c['progress']) ? c['progress'] : undefined;
  if (p) {
    const done = num(p['resources']);
    const total = num(p['expectedResources']);
    const items = num(p['items']);
    const throttles = num(p['throttles']);
    if (done !== undefined) out.done = done;
    if (total !== undefined) out.total = total;
    const parts = [
      typeof p['phase'] === 'string' ? p['phase'] : undefined,
      items !== undefined ? `${items} items` : undefined,
      throttles ? `${throttles} throttled calls` : undefined,
    ];
    const message = parts.filter(Boolean).join(', ');
    if (message) out.message = message;
  }
  if (typeof c['error'] === 'string') out.error = c['error'];
  return out;
}
