// GET /api/compliance: which resources had which Config rule result at a time, and since when (SPEC C1–C3).
// Parses and delegates; the answer is built by graph/compliance-report.ts.
import type { Router } from 'express';
import { complianceReport } from '../../graph/compliance-report.ts';
import type { GraphStore } from '../../graph/store.ts';
import { fromStore } from './errors.ts';
import * as S from '../../api/schemas.ts';
import { readComplianceQuery } from '../../api/compliance-request.ts';
import { reply } from './reply.ts';

/** Adds the compliance routes to the API router (directly, so its 405 answers see them). */
export function addComplianceRoutes(router: Router, store: GraphStore): void {
  router.get('/compliance', async (req, res) => {
    const query = readComplianceQuery(req.query);
    // The same body `configgraph compliance --json` prints.
    reply(res, S.ComplianceReport, await fromStore(() => complianceReport(store, query)));
  });
}
