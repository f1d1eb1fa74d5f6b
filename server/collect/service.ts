// Collections started by the server: "refresh now" from the explorer and `serve --collect-every`.
// At most one runs at a time; status and live progress are readable (and subscribable) for the
// status banner. The HTTP layer authenticates callers; this class trusts only the few overrides
// it validates (regions, history, types) and never takes endpoints or profiles from a request.
// On an embedded store each collection first takes the store's writer lock, as `configgraph collect`
// does; while another process (an import) holds it, the collection fails at once, naming the holder,
// rather than waiting on SQLite and losing its work after a few seconds.
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../graph/errors.ts';
import type { GraphStore } from '../../graph/store.ts';
import { collect, CollectionAborted } from './collector.ts';
import { parseDuration, validateOptions, type CollectOptions } from './options.ts';
import type { ProgressSnapshot } from './progress.ts';
import { summaryJson } from './summary.ts';

export type CollectionState = 'idle' | 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

export interface CollectionStatus {
  state: CollectionState;
  /** Id of the running or last collection (not the store's run id, which exists only once stored). */
  id?: string;
  trigger?: 'request' | 'schedule';
  startedAt?: string;
  endedAt?: string;
  progress?: ProgressSnapshot;
  summary?: ReturnType<typeof summaryJson>;
  error?: string;
  /** Set while a schedule is active. */
  intervalMs?: number;
  nextRunAt?: string;
}

/** What a request may change for one collection; everything else comes from the server's settings. */
export interface CollectionRequest {
  regions?: string[];
  history?: string;
  resourceTypes?: string[];
}

export type StartResult = { started: true; id: string } | { started: false; reason: 'busy'; id: string };

/** The smallest schedule interval: one minute. */
export const MIN_INTERVAL_MS = 60_000;

export function parseCollectEvery(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < MIN_INTERVAL_MS)
    throw new InvalidInputError(`--collect-every "${text}" is not a duration of at least 1m`, 'e.g. 15m, 1h, 1d');
  return ms;
}

type Settings = Omit<CollectOptions, 'signal' | 'onProgress' | 'now' | 'resume'>;

export class CollectionService {
  private current: CollectionStatus = { state: 'idle' };
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(s: CollectionStatus) => void>();

  constructor(
    private readonly store: GraphStore,
    private readonly settings: Settings,
    private readonly log: (line: string) => void = () => undefined,
    /** Takes the store's writer lock for one collection (throws, naming the holder, when it is held). */
    private readonly takeWriterLock?: () => Promise<{ release: () => void }>,
  ) {
    validateOptions({ ...settings });
  }

  status(): CollectionStatus {
    return structuredClone(this.current);
  }

  /** Called on every status change and progress update; returns the unsubscribe function. */
  subscribe(listener: (s: CollectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(patch: Partial<CollectionStatus>): void {
    this.current = { ...this.current, ...patch };
    const snapshot = this.status();
    for (const l of this.listeners) {
      try {
        l(snapshot);
      } catch {
        /* a listener's failure must not stop the collection */
      }
    }
  }

  /** Validates a request body (untrusted) into overrides. */
  static parseRequest(body: unknown): CollectionRequest {
    if (body === undefined || body === null) return {};
    if (typeof body !== 'object' || Array.isArray(body))
      throw new InvalidInputError(
        'the request body must be a JSON object',
        '{"regions": [...], "history": "7d", "resourceTypes": [...]}',
      );
    const b = body as Record<string, unknown>;
    const unknown = Object.keys(b).filter((k) => !['regions', 'history', 'resourceTypes'].includes(k));
    if (unknown.length)
      throw new InvalidInputError(`unknown field(s) ${unknown.join(', ')}`, 'regions, history, resourceTypes');
    const strings = (v: unknown, name: string): string[] | undefined => {
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string') || v.length > 64)
        throw new InvalidInputError(`${name} must be a list of at most 64 strings`);
      return v as string[];
    };
    const out: CollectionRequest = {};
    const regions = strings(b.regions, 'regions');
    if (regions) out.regions = regions;
    const types = strings(b.resourceTypes, 'resourceTypes');
    if (types) out.resourceTypes = types;
    if (b.history !== undefined) {
      if (typeof b.history !== 'string' || b.history.length > 40)
        throw new InvalidInputError('history must be a duration such as "7d" or a date');
      out.history = b.history;
    }
    return out;
  }

  /** Starts a collection unless one is running. */
  start(request: CollectionRequest = {}, trigger: 'request' | 'schedule' = 'request'): StartResult {
    if (this.running && this.current.id) return { started: false, reason: 'busy', id: this.current.id };
    const options: CollectOptions = { ...this.settings, ...request };
    validateOptions(options); // throws InvalidInputError before anything starts
    const id = randomUUID();
    const abort = new AbortController();
    this.abort = abort;
    this.publish({
      state: 'running',
      id,
      trigger,
      startedAt: new Date().toISOString(),
      endedAt: undefined,
      progress: undefined,
      summary: undefined,
      error: undefined,
    });
    this.log(`collection ${id} started (${trigger})`);
    this.running = (async () => {
      let lock: { release: () => void } | undefined;
      try {
        lock = await this.takeWriterLock?.();
        // resume: a collection interrupted by a server restart continues from its checkpoint.
        const summary = await collect(this.store, {
          ...options,
          resume: true,
          signal: abort.signal,
          onProgress: (p) => this.publish({ progress: p }),
        });
        this.publish({
          state: summary.status === 'partial' ? 'partial' : summary.status === 'failed' ? 'failed' : 'succeeded',
          summary: summaryJson(summary),
          endedAt: new Date().toISOString(),
        });
        this.log(`collection ${id} ${summary.status}: ${summary.resources} resources, ${summary.items} items`);
      } catch (e) {
        const interrupted = e instanceof CollectionAborted;
        this.publish({
          state: interrupted ? 'interrupted' : 'failed',
          error: (e as Error).message,
          endedAt: new Date().toISOString(),
        });
        this.log(`collection ${id} ${interrupted ? 'interrupted' : 'failed'}: ${(e as Error).message}`);
      } finally {
        lock?.release();
        this.running = undefined;
        this.abort = undefined;
      }
    })();
    return { started: true, id };
  }

  /**
   * The control `serve` hands the HTTP edge (server/http/collections.ts CollectionControl): the body
   * is validated here, a busy service answers { started: false }, and the status is always an object
   * (state "idle" before the first collection, with the schedule when there is one).
   */
  asControl(): { start(body: unknown): StartResult; current(): CollectionStatus } {
    return {
      start: (body) => this.start(CollectionService.parseRequest(body), 'request'),
      current: () => this.status(),
    };
  }

  /** Resolves when the running collection (if any) has ended. */
  async wait(): Promise<CollectionStatus> {
    await this.running;
    return this.status();
  }

  /** Interrupts the running collection; its checkpoint is kept and the next start resumes it. */
  cancel(): boolean {
    if (!this.abort) return false;
    this.abort.abort();
    return true;
  }

  /** Collects every `intervalMs` (the first run starts now); skips a tick while one is running. */
  schedule(intervalMs: number, minimum = MIN_INTERVAL_MS): void {
    if (!Number.isFinite(intervalMs) || intervalMs < minimum)
      throw new InvalidInputError(`collection interval must be at least ${minimum} ms`);
    this.unschedule();
    const tick = () => {
      this.publish({ nextRunAt: new Date(Date.now() + intervalMs).toISOString() });
      if (!this.running) {
        try {
          this.start({}, 'schedule');
        } catch (e) {
          this.log(`scheduled collection not started: ${(e as Error).message}`);
        }
      }
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    this.publish({ intervalMs });
    tick();
  }

  unschedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.publish({ intervalMs: undefined, nextRunAt: undefined });
  }

  /** Stops the schedule and interrupts a running collection (server shutdown). */
  async close(): Promise<void> {
    this.unschedule();
    this.cancel();
    await this.running;
    this.listeners.clear();
  }
}
