// The human-readable end-of-run summary: items, resources, API calls by operation, throttles,
// and what was skipped and why.
import type { CollectSummary } from './collector.ts';

export function formatSummary(s: CollectSummary): string {
  const lines: string[] = [];
  const secs = (s.durationMs / 1000).toFixed(1);
  lines.push(
    `collected ${s.resources} resources, ${s.items} configuration items${s.run.counts.compliance ? ` (${s.run.counts.compliance} compliance items)` : ''} (${s.scope}) in ${secs}s — run ${s.runId}: ${s.status}`,
  );
  const r = s.run.counts;
  lines.push(
    `stored: ${r.versions} new versions (${r.duplicates} already stored), ${r.edges} edges, ${r.inferredDeletions} inferred deletions`,
  );
  const ops = Object.entries(s.apiCalls).sort((a, b) => b[1] - a[1]);
  lines.push(
    `API calls: ${s.totalCalls} (${ops.map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}), ${s.callsPerThousandResources.toFixed(0)} per 1,000 resources; throttled ${s.throttles}, server errors ${s.serverErrors}`,
  );
  if (s.resumed) lines.push(`resumed: ${s.pagesReplayed} pages taken from the checkpoint, ${s.pagesFetched} fetched`);
  if (s.history) {
    const h = s.history;
    lines.push(
      `history since ${h.since}: ${h.resources} resources in ${h.windows} windows, ${h.pages} pages (${h.emptyPages} empty), ${h.unchanged} unchanged since the last run, ${h.unchangedInSpan} unchanged since ${h.since}`,
    );
  }
  for (const sc of s.scopes) {
    if (!sc.complete) lines.push(`incomplete: ${sc.scope}${sc.problems.length ? ` — ${sc.problems.join('; ')}` : ''}`);
  }
  if (s.skipped.length) {
    lines.push(`skipped ${s.skipped.length}:`);
    for (const k of s.skipped.slice(0, 50)) lines.push(`  ${k.reason}`);
    if (s.skipped.length > 50) lines.push(`  … and ${s.skipped.length - 50} more (see --json)`);
  }
  if (s.itemsSkipped)
    lines.push(`${s.itemsSkipped} items could not be read (see the run's skipped list: configgraph runs)`);
  for (const n of s.notes.slice(0, 20)) lines.push(`note: ${n}`);
  if (s.notes.length > 20) lines.push(`note: … and ${s.notes.length - 20} more (see --json)`);
  return lines.join('\n');
}

/** The summary without the full run record, for --json and the HTTP status endpoint. */
export function summaryJson(
  s: CollectSummary,
): Omit<CollectSummary, 'run'> & { counts: CollectSummary['run']['counts'] } {
  const { run, ...rest } = s;
  return { ...rest, counts: run.counts };
}
