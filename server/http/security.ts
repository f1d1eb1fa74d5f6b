// Security at the edge: response headers, bearer-token auth for /api, opt-in CORS, and the rule
// that a server reachable from other machines must have a token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

/** No inline scripts or styles: the explorer ships everything as files from the same origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
};

/** A token shorter than this is refused at start: it would be guessable. */
export const MIN_TOKEN_LENGTH = 16;

export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

/** Throws (with what to do) when the server would be reachable from elsewhere without a token. */
export function checkBindingIsSafe(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new Error(
      `CONFIGGRAPH_TOKEN is too short: use at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`,
    );
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw new Error(
      `refusing to listen on ${host} without a token: set CONFIGGRAPH_TOKEN (at least ${MIN_TOKEN_LENGTH} characters) ` +
        'so every /api call must send "Authorization: Bearer <token>", or bind to 127.0.0.1',
    );
  }
}

/** Compares digests so neither the content nor the length of the token leaks through timing. */
export function tokensMatch(offered: string, expected: string): boolean {
  const a = createHash('sha256').update(offered, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function requireBearer(token: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('Authorization');
    const match = header === undefined ? null : /^Bearer ([^\s]+)\s*$/i.exec(header);
    if (match === null) {
      next(
        new HttpError(
          401,
          'unauthorized',
          'this server requires a token',
          'an "Authorization: Bearer <token>" header',
          {
            'WWW-Authenticate': 'Bearer realm="configgraph"',
          },
        ),
      );
      return;
    }
    if (!tokensMatch(match[1] ?? '', token)) {
      next(
        new HttpError(401, 'unauthorized', 'the token is not valid', 'the value of CONFIGGRAPH_TOKEN on the server', {
          'WWW-Authenticate': 'Bearer realm="configgraph", error="invalid_token"',
        }),
      );
      return;
    }
    next();
  };
}

/** CORS stays off (no headers at all) unless origins are configured; then only those origins get them. */
export function corsFor(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('Origin');
    if (origin !== undefined && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Content-Disposition, Retry-After');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
