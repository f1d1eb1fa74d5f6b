// The Express application: logging, security headers, optional CORS and auth in front of /api, the
// explorer at `/`, and one error handler that turns everything into the documented JSON errors.
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { GraphStore } from '../../graph/store.ts';
import { DEFAULT_CLIENT_DIR, explorerRouter } from './client.ts';
import type { CollectionControl } from './collections.ts';
import { errorHandler, HttpError } from './errors.ts';
import { requestLogging } from './logging.ts';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import type { ExportBuilder } from '../export/off-thread.ts';
import { apiRouter } from './routes.ts';
import { corsFor, guardStateChanges, hostGuard, methodNotAllowed, requireBearer, securityHeaders } from './security.ts';

export interface AppOptions {
  store: GraphStore;
  logger: Logger;
  /** When set, every /api call needs `Authorization: Bearer <token>`. */
  token?: string;
  /** The collector's refresh service; without it the collection routes answer 501. */
  collection?: CollectionControl;
  /** The built explorer; defaults to client/dist. */
  clientDir?: string;
  /** Origins allowed to call the API from a browser; CORS is off when empty or absent. */
  cors?: string[];
  /** How the store is named in health and export manifests (no secrets). */
  storeLabel?: string;
  rateLimit?: RateLimitOptions;
  /** Host names answered besides loopback ones (`*`: any). startServer adds its bind address. */
  allowedHosts?: string[];
  /** Log one line per request at info level (`--log-requests`); otherwise they are debug lines. */
  logRequests?: boolean;
  /** Builds exports off the event loop (export/off-thread.ts); without it they are built in-thread. */
  exports?: ExportBuilder;
}

export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', false);

  app.use(requestLogging(opts.logger, opts.logRequests ? 'info' : 'debug'));
  app.use(securityHeaders);
  app.use(hostGuard(opts.allowedHosts ?? []));

  const api = express.Router();
  if (opts.cors !== undefined && opts.cors.length > 0) api.use(corsFor(opts.cors));
  api.use((_req, res, next) => {
    // Graph data is private and changes with every run: never cache it.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  if (opts.token !== undefined) api.use(requireBearer(opts.token));
  const routes = apiRouter({
    store: opts.store,
    storeLabel: opts.storeLabel ?? 'unnamed store',
    limiter: new RateLimiter(opts.rateLimit ?? DEFAULT_RATE_LIMIT),
    ...(opts.collection === undefined ? {} : { collection: opts.collection }),
    ...(opts.exports === undefined ? {} : { exports: opts.exports }),
  });
  api.use(methodNotAllowed(routes));
  api.use(guardStateChanges(opts.cors ?? [], opts.token !== undefined));
  api.use(routes);
  app.use('/api', api);

  app.use(explorerRouter(opts.clientDir ?? DEFAULT_CLIENT_DIR));
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `nothing at ${req.path}`)));
  app.use(errorHandler);
  return app;
}
