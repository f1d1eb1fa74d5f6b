// Progress of a collection: counts the collector updates, rendered as a redrawn bar on a terminal
// or as a log line every few seconds otherwise. The same snapshot feeds the server's status API.

export interface ProgressSnapshot {
  phase: string;
  /** Resources Config reports (GetDiscoveredResourceCounts), when known: the bar's 100%. */
  expectedResources?: number;
  resources: number;
  items: number;
  pages: number;
  pagesReplayed: number;
  historyTasksDone: number;
  historyTasksTotal: number;
  calls: number;
  throttles: number;
  elapsedMs: number;
  /** Items per second over the run so far. */
  rate: number;
  etaMs?: number;
}

export type ProgressListener = (p: ProgressSnapshot) => void;

function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The fraction done, from resource counts and history tasks (history weighs as much as the snapshot). */
export function fractionDone(p: ProgressSnapshot): number | undefined {
  if (!p.expectedResources) return undefined;
  const snap = Math.min(1, p.resources / p.expectedResources);
  if (p.historyTasksTotal === 0) return snap;
  return (snap + p.historyTasksDone / p.historyTasksTotal) / 2;
}

export function progressLine(p: ProgressSnapshot): string {
  const parts = [
    `${p.phase}`,
    `${p.resources}${p.expectedResources ? `/${p.expectedResources}` : ''} resources`,
    `${p.items} items`,
  ];
  if (p.historyTasksTotal) parts.push(`history ${p.historyTasksDone}/${p.historyTasksTotal}`);
  parts.push(`${p.calls} calls`, `${p.throttles} throttled`, `${p.rate.toFixed(1)} items/s`);
  if (p.etaMs !== undefined) parts.push(`ETA ${fmtDuration(p.etaMs)}`);
  return parts.join(' · ');
}

export function progressBar(p: ProgressSnapshot, width = 24): string {
  const f = fractionDone(p);
  if (f === undefined) return `[${'?'.repeat(width)}] ${progressLine(p)}`;
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(f * 100)}% ${progressLine(p)}`;
}

export interface ProgressRenderer {
  update(p: ProgressSnapshot): void;
  done(): void;
}

/** A bar redrawn in place (TTY) or a line every `intervalMs` (logs, CI). */
export function consoleProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  intervalMs = 10_000,
): ProgressRenderer {
  let last = 0;
  let latest: ProgressSnapshot | undefined;
  const tty = stream.isTTY === true;
  return {
    update(p) {
      latest = p;
      const now = Date.now();
      if (tty) {
        if (now - last < 150) return;
        last = now;
        stream.write(`\r\x1b[2K${progressBar(p)}`);
      } else if (now - last >= intervalMs) {
        last = now;
        stream.write(`progress: ${progressLine(p)}\n`);
      }
    },
    done() {
      if (tty && latest) stream.write(`\r\x1b[2K${progressBar(latest)}\n`);
    },
  };
}
