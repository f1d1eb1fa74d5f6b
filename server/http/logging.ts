// Structured request logs: one pino line per request with its id, route, status and duration, at
// debug level unless the server was started with --log-requests (a browsing user's terminal stays quiet).
// Headers are never logged wholesale, so Authorization (and cookies) cannot leak into logs.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Request-scoped child logger carrying the request id. */
      log: Logger;
      requestId: string;
    }
  }
}

/** A client may pass its own id (for correlating logs); only a short safe token is accepted. */
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const options = {
    level: opts.level ?? process.env.CONFIGGRAPH_LOG_LEVEL ?? 'info',
    base: { service: 'configgraph' },
    // Belt and braces: if someone logs a request object, the secret headers are still removed.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.authorization', 'headers.authorization'],
      remove: true,
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export function requestLogging(logger: Logger, level: 'info' | 'debug' = 'debug'): RequestHandler {
  return (req, res, next) => {
    const offered = req.get('X-Request-Id');
    const id = offered !== undefined && CLIENT_ID.test(offered) ? offered : randomUUID();
    req.requestId = id;
    req.log = logger.child({ reqId: id });
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    // The path only: query strings can hold search text, which is the user's business.
    const path = req.originalUrl.split('?')[0];
    res.on('close', () => {
      // Express resets baseUrl when the request leaves the /api router; the matched route stays.
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      req.log[level](
        {
          method: req.method,
          path,
          route: routePath === undefined ? undefined : path?.startsWith('/api/') ? `/api${routePath}` : routePath,
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          bytes: Number(res.getHeader('Content-Length') ?? 0) || undefined,
          aborted: !res.writableFinished,
        },
        'request',
      );
    });
    next();
  };
}
