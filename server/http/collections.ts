// The explorer's "refresh now": POST /api/collections starts a collection and GET
// /api/collections/current reports its progress. The collector (server/collect/service.ts) does the
// work; the HTTP edge only needs this much of it, so the service is optional and typed structurally.
import type { Request, Response } from 'express';
import { HttpError } from './errors.ts';
import { parseCollectionRequest, parseNoQuery } from './validation.ts';

/** What the edge calls; the collector's CollectionService satisfies it. */
export interface CollectionControl {
  /** Starts a collection; rejects when one is already running or the request is invalid. */
  start(request: Record<string, unknown>): Promise<unknown> | unknown;
  /** The running (or last finished) collection's progress, or undefined/null when there was none. */
  current(): Promise<unknown> | unknown;
}

function unavailable(): HttpError {
  return new HttpError(501, 'not_implemented', 'this server has no collector: start it with AWS access to refresh from AWS Config (see docs/api.md)');
}

/** An error from the collector that says a collection is already running becomes 409. */
function isAlreadyRunning(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'COLLECTION_RUNNING' || /already running|in progress/i.test(err.message);
}

export function collectionHandlers(service: CollectionControl | undefined) {
  return {
    start: async (req: Request, res: Response): Promise<void> => {
      parseNoQuery(req.query);
      if (service === undefined) throw unavailable();
      const body = parseCollectionRequest(req.body);
      let progress: unknown;
      try {
        progress = await service.start(body);
      } catch (err) {
        if (isAlreadyRunning(err)) throw new HttpError(409, 'collection_running', 'a collection is already running; follow it at GET /api/collections/current');
        throw err;
      }
      res.status(202).location('/api/collections/current').json({ collection: progress ?? null });
    },
    current: async (req: Request, res: Response): Promise<void> => {
      parseNoQuery(req.query);
      if (service === undefined) throw unavailable();
      res.json({ collection: (await service.current()) ?? null });
    },
  };
}
