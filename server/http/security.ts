// Security at the edge: response headers, bearer-token auth for /api, opt-in CORS, and the rule
// that a server reachable from other machines must have a token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { RequestHandler, Router } from 'express';
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
  if (token !== undefined && /\s/.test(token)) {
    // A bearer header cannot carry it, so such a server would refuse everyone.
    throw new Error('CONFIGGRAPH_TOKEN must not contain spaces or other white space (e.g. `openssl rand -hex 32`)');
  }
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

/** The host name of a Host header, without port or IPv6 brackets, lower case; undefined when absent. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return h.replace(/:\d*$/, '');
}

/**
 * Answers only the Host names this server serves: loopback names always, and those it was told to
 * serve (its own bind address, --allow-host, CONFIGGRAPH_ALLOWED_HOSTS; `*` for any). A page on a
 * rebinding domain reaches 127.0.0.1 with its own name in Host, and is refused here.
 */
export function hostGuard(allowed: readonly string[]): RequestHandler {
  const names = new Set(allowed.map((h) => hostName(h) ?? h));
  return (req, _res, next) => {
    const name = hostName(req.get('Host'));
    if (names.has('*') || (name !== undefined && (isLoopbackHost(name) || names.has(name)))) {
      next();
      return;
    }
    const shown = name === undefined ? 'a request without a Host header' : `the host name "${name.slice(0, 100)}"`;
    next(
      new HttpError(
        421,
        'host_not_allowed',
        `this server does not answer for ${shown}; if you reach it under that name, start it with --allow-host NAME (or CONFIGGRAPH_ALLOWED_HOSTS)`,
        'a loopback name (localhost, 127.0.0.1, [::1]) or a name given with --allow-host',
      ),
    );
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing requests: JSON only (a form or a no-cors fetch cannot send it cross-site without a
 * preflight), and, unless the request carried the token, from this server's own origin or one allowed
 * by --cors-origin. Tools that send no Origin (curl, scripts on this machine) pass.
 */
export function guardStateChanges(corsOrigins: readonly string[], tokenChecked: boolean): RequestHandler {
  const allowed = new Set(corsOrigins);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    const origin = req.get('Origin');
    if (!tokenChecked && origin !== undefined && !allowed.has(origin) && !sameOrigin(origin, req.get('Host'))) {
      next(
        new HttpError(
          403,
          'cross_origin',
          'a page on another origin cannot change this server; use the explorer it serves, or send the token',
        ),
      );
      return;
    }
    if (req.is('application/json') !== 'application/json') {
      next(
        new HttpError(415, 'unsupported_media_type', 'send the request body as JSON', 'Content-Type: application/json'),
      );
      return;
    }
    next();
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && host !== undefined && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** What Express 5's router keeps per route (router's Layer: match() tests a path). */
interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** After a router: a path it serves with other methods answers 405 with Allow, not 404. */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req, _res, next) => {
    const allow = new Set<string>();
    for (const layer of router.stack as unknown as RouteLayer[]) {
      if (layer.route === undefined || !layer.match(req.path)) continue;
      const methods = layer.route.methods;
      for (const [m, on] of Object.entries(methods)) if (on && m !== '_all') allow.add(m.toUpperCase());
    }
    if (allow.size === 0 || allow.has(req.method)) {
      next();
      return;
    }
    if (allow.has('GET')) allow.add('HEAD');
    const list = [...allow].sort().join(', ');
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`, list, { Allow: list }));
  };
}
