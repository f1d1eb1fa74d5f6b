// The explorer's "refresh now": POST /api/collections starts a collection and GET
// /api/collections/current reports its progress. The collector (server/collect/service.ts) does the
// work; the HTTP edge only needs this much of it, so the service is optional and typed structurally
// (serve hands it CollectionService.asControl()).
import type { Request, Response } from 'express';
import { HttpError } from './errors.ts';
import { parseCollectionRequest, parseNoQuery } from './requests.ts';

/** What the edge calls; the collector's CollectionService satisfies it. */
export interface CollectionControl {
  /** Starts a collection. A request it cannot take throws InvalidInputError (400); when one is already
   * running it returns `{ started: false }` or throws an error saying so (409). */
  start(request: Record<string, unknown>): unknown;
  /** The running (or last finished) collection's status (CollectionStatus), or null/undefined. */
  current(): unknown;
}

function busy(): HttpError {
  return new HttpError(
    409,
    'collection_running',
    'a collection is already running; follow it at GET /api/collections/current',
  );
}

function unavailable(): HttpError {
  return new HttpError(
    501,
    'not_implemented',
    'this server has no collector: start it with AWS access to refresh from AWS Config (see docs/api.md)',
  );
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
      let result: unknown;
      try {
        result = await service.start(body);
      } catch (err) {
        if (isAlreadyRunning(err)) throw busy();
        throw err;
      }
      // The collector answers { started: false, reason: 'busy' } rather than throwing.
      if (typeof result === 'object' && result !== null && (result as { started?: unknown }).started === false)
        throw busy();
      res
        .status(202)
        .location('/api/collections/current')
        .json({ collection: (await service.current()) ?? null });
    },
    current: async (req: Request, res: Response): Promise<void> => {
      parseNoQuery(req.query);
      if (service === undefined) throw unavailable();
      res.json({ collection: (await service.current()) ?? null });
    },
  };
}
