// What an export asks for and what it says: the query for a data export (this neighbourhood or the
// whole account and region, as of the view's time), picture file names and "as of" lines, neutral
// labels for redacted pictures, and the message when an export fails. Pure.
import { ApiError } from '../api.ts';
import { messageOf } from '../errors.ts';
import { identityOfKey } from '../graph/keys.ts';
import { isCompare, type ViewState } from '../state/view-state.ts';
import { formatTime } from '../time/format.ts';

export type ExportQuery = Record<string, string | number | undefined>;

export function exportQuery(opts: {
  rootKey: string;
  depth: number;
  viewTime: string | undefined;
  whole: boolean;
  redact: boolean;
}): ExportQuery {
  const id = identityOfKey(opts.rootKey);
  const query: ExportQuery = opts.whole
    ? { scope: id ? `${id.accountId}/${id.awsRegion}` : undefined }
    : { ref: opts.rootKey, depth: opts.depth };
  if (opts.viewTime) query['at'] = opts.viewTime;
  if (opts.redact) query['redact'] = 'true';
  return query;
}

export function exportFailureMessage(err: unknown, redact: boolean): string {
  const unsupported = redact && err instanceof ApiError && err.status === 400 && /redact/.test(err.message);
  return unsupported
    ? 'This server cannot redact data exports yet. Untick "Redact" for the data files, or export PNG/SVG, which are redacted here in the browser.'
    : `Export failed: ${messageOf(err)}`;
}

/** A picture's file name: the time it shows, safe in every file system. */
export function pictureFileName(kind: 'png' | 'svg', viewTime: string | undefined, now: Date): string {
  const stamp = (viewTime ?? now.toISOString()).replace(/[:.]/g, '-');
  return `configgraph-view-${stamp}.${kind}`;
}

/** The time line on a picture: the comparison, the "as of" time, or now (latest). */
export function pictureAsOf(state: ViewState, now: Date): string {
  if (isCompare(state)) return `${formatTime(state.compareFrom)} → ${formatTime(state.compareTo)} (compared)`;
  return state.at ? formatTime(state.at) : `${formatTime(now.toISOString())} (latest)`;
}

/** Neutral labels for a redacted picture, numbered per kind in drawing order: "EC2 Instance 3". */
export function neutralLabels(nodes: readonly { id: string; kind: string }[]): Map<string, string> {
  const counters = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const { id, kind } of nodes) {
    const i = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, i);
    labels.set(id, `${kind} ${i}`);
  }
  return labels;
}
