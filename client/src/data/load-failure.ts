// What the explorer says when the start resource's data cannot be loaded, and whether the view on
// screen stays: a server that went away or failed keeps the last view (with a notice); an answer
// about the request itself (not found, ambiguous, unauthorised) replaces it with the explanation.
import { ApiError } from '../api.ts';
import { messageOf } from '../errors.ts';

export interface LoadFailure {
  /** One line: what failed. */
  failure: string;
  /** Keep the drawn view and show the failure above it. */
  keepView: boolean;
  /** What to do about it. */
  hint: string;
  /** The server needs its access token: offer the token form. */
  askToken: boolean;
}

export function describeLoadFailure(resource: string, err: unknown, hasView: boolean): LoadFailure {
  const e = err instanceof ApiError ? err : undefined;
  const failure = `Could not load ${resource}: ${messageOf(err)}`;
  const keepView = hasView && (e === undefined || e.status === 0 || e.status >= 500);
  const hint =
    e?.status === 404
      ? 'Nothing matches that reference (at that time). Check the id, or search for it by name or tag.'
      : e?.status === 400 && e.candidates?.length
        ? `It matches several resources; choose one: ${e.candidates.slice(0, 5).join(', ')}`
        : e?.status === 401
          ? 'This server needs its access token (CONFIGGRAPH_TOKEN). Paste it below; it is kept only in this tab.'
          : e?.status === 503
            ? 'The graph store is unavailable; check the server log and try again.'
            : e?.accepted
              ? `Accepted: ${e.accepted}`
              : 'Check that the server is running, then try again.';
  return { failure, keepView, hint, askToken: e?.status === 401 };
}

/** The notice over a view kept after a failed load. */
export function keptViewNotice(failure: string, still: string): [string, string] {
  return [
    `${failure}.`,
    `Still showing the last view that loaded${still ? ` (${still})` : ''}. Check that the server is running, then try again.`,
  ];
}
