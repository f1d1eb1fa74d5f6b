// Timing helpers for the benchmarks: wall-clock figures, percentiles and plain-text tables.

/** Wall-clock ms, and the process's CPU ms (all its threads), which a busy machine distorts far less. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

export interface Latency {
  runs: number;
  /** The fastest run: what a read costs when nothing else (another process, the collector) got in its way. */
  min: number;
  p50: number;
  p95: number;
  max: number;
}

/** Runs `fn` once per input (after one warm-up call) and returns latency percentiles in ms. */
export async function latencies<I>(inputs: I[], fn: (input: I) => Promise<unknown>): Promise<Latency> {
  if (inputs.length === 0) return { runs: 0, min: 0, p50: 0, p95: 0, max: 0 };
  await fn(inputs[0] as I);
  const ms: number[] = [];
  for (const input of inputs) {
    const t0 = performance.now();
    await fn(input);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return { runs: ms.length, min: ms[0] ?? 0, p50: at(0.5), p95: at(0.95), max: ms[ms.length - 1] ?? 0 };
}

export const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
