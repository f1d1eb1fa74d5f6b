// Serves the built explorer (client/dist, produced by Vite) at `/`, with a fallback to index.html for
// the explorer's own URLs (deep links such as /resource/…?depth=2) so shared links reload.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { HttpError } from './errors.ts';

export const DEFAULT_CLIENT_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../client/dist');

export function explorerRouter(clientDir: string): Router {
  const router = Router();
  const index = path.join(clientDir, 'index.html');
  // Source maps stay with the build for debugging but are not served: they would publish the
  // explorer's source to anyone who can reach the server, and the explorer does not need them.
  router.use((req, _res, next) => {
    if (req.path.endsWith('.map')) next(new HttpError(404, 'not_found', `nothing at ${req.path}`));
    else next();
  });
  router.use(
    express.static(clientDir, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders(res, file) {
        // Vite fingerprints everything under assets/: safe to cache for good. index.html must revalidate.
        if (file.includes(`${path.sep}assets${path.sep}`))
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.use((req, res, next) => {
    // Only the explorer's own routes fall back; a missing file (anything with an extension) is a 404.
    const lastSegment = req.path.split('/').pop() ?? '';
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.accepts('html') || lastSegment.includes('.')) {
      next();
      return;
    }
    if (!existsSync(index)) {
      res
        .status(404)
        .type('text/plain')
        .send(
          'The explorer is not built. Run `npm run build:client` (Vite) and reload; the API is at /api (see /api/openapi.json).\n',
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
