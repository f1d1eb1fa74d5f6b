// The /api routes (described once in api/operations.ts). Each handler reads its parameters through requests.ts and hands them to the
// GraphStore port (or the export builder, or the collector): no query logic lives here.
import express, { Router, type Request } from 'express';
import type { RunRecord } from '../../graph/model.ts';
import { NEIGHBORHOOD_DEPTH } from '../../graph/query-limits.ts';
import type { GraphStore } from '../../graph/store.ts';
import { buildExport, writeChunks } from '../export/index.ts';
import type { ExportBuilder } from '../export/off-thread.ts';
import { toolVersion } from '../export/tool-version.ts';
import { historyWithCompliance, viewWithCompliance } from '../../graph/compliance-report.ts';
import { collectionHandlers, type CollectionControl } from './collections.ts';
import { addComplianceRoutes } from './compliance.ts';
import { fromStore, HttpError } from './errors.ts';
import { replyStreamed } from './json-stream.ts';
import { reply } from './reply.ts';
import { rateLimit, type RateLimiter } from './rate-limit.ts';
import { exportRequest } from '../../api/export-request.ts';
import { openApiDocument } from '../../api/openapi.ts';
import { ExportQuery } from '../../api/operations.ts';
import { readQuery } from '../../api/read-query.ts';
import * as S from '../../api/schemas.ts';
import {
  parseDiff,
  parseNeighborhood,
  parseNoQuery,
  parsePath,
  parseRef,
  parseResourceQuery,
  parseSearch,
  parseView,
} from './requests.ts';

export interface ApiDeps {
  store: GraphStore;
  /** Describes the store (kind and location, no secrets) for health and export manifests. */
  storeLabel: string;
  limiter: RateLimiter;
  collection?: CollectionControl;
  /** Builds exports (off the event loop when the server was given a builder that does); default: in-thread. */
  exports?: ExportBuilder;
}

/** The most recent run by start time; the port does not promise an order. */
function latestRun(runs: RunRecord[]): RunRecord | null {
  let latest: RunRecord | null = null;
  for (const r of runs) if (latest === null || r.startedAt > latest.startedAt) latest = r;
  return latest;
}

export function apiRouter(deps: ApiDeps): Router {
  const { store } = deps;
  const router = Router();
  const expensive = rateLimit(deps.limiter);
  const deepNeighborhood = rateLimit(
    deps.limiter,
    (req: Request) => req.query.depth === String(NEIGHBORHOOD_DEPTH.max),
  );

  router.get('/search', async (req, res) => {
    const { q, opts } = parseSearch(req.query);
    // The same body `configgraph search --json` prints.
    reply(res, S.SearchResults, { query: q, results: await fromStore(() => store.search(q, opts)) });
  });

  router.get('/resources/:ref', async (req, res) => {
    const ref = parseRef(req.params.ref);
    const opts = parseResourceQuery(req.query);
    reply(
      res,
      S.ResourceView,
      await fromStore(async () => viewWithCompliance(store, await store.resource(ref, opts), opts.at)),
    );
  });

  router.get('/resources/:ref/neighborhood', deepNeighborhood, async (req, res) => {
    const ref = parseRef(req.params.ref);
    const opts = parseNeighborhood(req.query);
    reply(res, S.Neighborhood, await fromStore(() => store.neighborhood(ref, opts)));
  });

  router.get('/resources/:ref/view', async (req, res) => {
    const ref = parseRef(req.params.ref);
    const opts = parseView(req.query);
    reply(res, S.PurposeView, await fromStore(() => store.view(ref, opts)));
  });

  router.get('/resources/:ref/history', async (req, res) => {
    const ref = parseRef(req.params.ref);
    parseNoQuery(req.query);
    reply(res, S.ResourceHistory, await fromStore(async () => historyWithCompliance(store, await store.history(ref))));
  });

  addComplianceRoutes(router, store);

  router.get('/path', expensive, async (req, res) => {
    const { from, to, opts } = parsePath(req.query);
    reply(res, S.PathResult, await fromStore(() => store.path(from, to, opts)));
  });

  router.get('/diff', expensive, async (req, res) => {
    const { from, to, scope } = parseDiff(req.query);
    const diff = await fromStore(() => store.diff(from, to, scope));
    try {
      await replyStreamed(res, S.GraphDiff, diff);
    } catch (err) {
      req.log.warn({ err }, 'diff not completed (client went away?)');
      res.destroy();
    }
  });

  router.get('/runs', async (req, res) => {
    parseNoQuery(req.query);
    reply(res, S.RunList, await fromStore(() => store.runs()));
  });

  router.get('/stats', async (req, res) => {
    parseNoQuery(req.query);
    reply(res, S.StoreStats, await fromStore(() => store.stats()));
  });

  router.get('/export', expensive, async (req, res) => {
    const query = exportRequest(readQuery(ExportQuery, req.query));
    // The graph is read before the first byte goes out, so an unknown reference or an unreachable store is a
    // clean 404/503; a JSON export's versions are read page by page as it is written (a failure then cuts
    // the download short, which the client sees as an incomplete response).
    const build = deps.exports ?? ((q, ctx) => buildExport(store, q, ctx));
    const out = await fromStore(() => build(query, { store: deps.storeLabel }));
    res.status(200);
    res.setHeader('Content-Type', out.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${out.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeChunks(res, out.chunks);
      res.end();
    } catch (err) {
      req.log.warn({ err }, 'export not completed (client went away?)');
      res.destroy();
    }
  });

  router.get('/health', async (req, res) => {
    parseNoQuery(req.query);
    const base = { version: toolVersion(), collector: deps.collection !== undefined };
    try {
      await store.ping();
      const lastRun = latestRun(await store.runs());
      reply(res, S.Health, { status: 'ok', ...base, store: { reachable: true, label: deps.storeLabel }, lastRun });
    } catch (err) {
      req.log.error({ err }, 'health check: store unreachable');
      res.status(503).json({
        status: 'unavailable',
        ...base,
        store: {
          reachable: false,
          label: deps.storeLabel,
          message: 'the graph store did not answer; see the server log',
        },
        lastRun: null,
      });
    }
  });

  const document = openApiDocument(toolVersion());
  router.get('/openapi.json', (req, res) => {
    parseNoQuery(req.query);
    res.json(document);
  });

  const collections = collectionHandlers(deps.collection);
  router.post('/collections', express.json({ limit: '16kb', strict: true }), collections.start);
  router.get('/collections/current', collections.current);

  // Anything else under /api is a clear JSON 404, never the explorer's index.html.
  router.use((req, _res, next) => {
    next(
      new HttpError(
        404,
        'no_such_route',
        `no API route ${req.method} ${req.baseUrl}${req.path}`,
        'the routes listed in /api/openapi.json',
      ),
    );
  });
  return router;
}
