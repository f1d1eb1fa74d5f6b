// Runs paged API tasks with a shared concurrency limit, replaying pages the checkpoint already
// holds and retrying what the SDK's own retries could not absorb (a throttle that outlasted
// them, a malformed response body). Errors are classified so callers can report and continue.
import type { Checkpoint } from './checkpoint.ts';
import { isThrottle } from './clients.ts';

export type FailureKind = 'denied' | 'throttled' | 'transient' | 'not-found' | 'credentials' | 'aborted' | 'fatal';

export class TaskError extends Error {
  override readonly name = 'TaskError';
  constructor(
    readonly task: string,
    readonly kind: FailureKind,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

export function classify(e: unknown): { kind: FailureKind; name: string; message: string } {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err?.name ?? 'Error';
  const message = String(err?.message ?? e).split('\n')[0]!;
  if (name === 'AbortError' || name === 'CollectionAborted') return { kind: 'aborted', name, message };
  if (
    name === 'CredentialsProviderError' ||
    name === 'UnrecognizedClientException' ||
    name === 'InvalidClientTokenId' ||
    name === 'ExpiredTokenException' ||
    name === 'InvalidSignatureException'
  ) {
    return { kind: 'credentials', name, message };
  }
  if (
    name === 'AccessDeniedException' ||
    name === 'AccessDenied' ||
    name === 'UnauthorizedOperation' ||
    name === 'OrganizationAccessDeniedException'
  )
    return { kind: 'denied', name, message };
  if (name === 'ResourceNotDiscoveredException' || name === 'NoSuchConfigurationAggregatorException')
    return { kind: 'not-found', name, message };
  if (isThrottle(e)) return { kind: 'throttled', name, message };
  const status = err?.$metadata?.httpStatusCode ?? 0;
  if (
    status >= 500 ||
    e instanceof SyntaxError ||
    /Deserialization error/i.test(message) ||
    name === 'TimeoutError' ||
    /ECONNRESET|ECONNREFUSED|socket hang up/i.test(message)
  ) {
    return {
      kind: 'transient',
      name,
      message: name === 'SyntaxError' ? `malformed response body (${message})` : message,
    };
  }
  return { kind: 'fatal', name, message };
}

export interface PageResult<T> {
  data: T;
  next?: string;
}

export type PageFetch<T> = (token: string | undefined, signal: AbortSignal | undefined) => Promise<PageResult<T>>;

export interface RunnerOptions {
  concurrency: number;
  /** Extra attempts per page after the SDK gave up on a throttle or a bad body. */
  pageRetries: number;
  retryBaseMs: number;
  signal?: AbortSignal;
  /** Called after each page (live or replayed). */
  onPage?: (task: string, replayed: boolean) => void;
}

export class TaskRunner {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  pagesFetched = 0;
  pagesReplayed = 0;

  constructor(
    private readonly checkpoint: Checkpoint,
    private readonly opts: RunnerOptions,
  ) {}

  private async acquire(): Promise<void> {
    if (this.active < this.opts.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = this.opts.signal;
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async fetchOne<T>(task: string, fetch: PageFetch<T>, token: string | undefined): Promise<PageResult<T>> {
    for (let attempt = 0; ; attempt++) {
      if (this.opts.signal?.aborted)
        throw new TaskError(task, 'aborted', 'AbortError', 'the collection was interrupted');
      await this.acquire();
      let failure: ReturnType<typeof classify>;
      try {
        this.opts.signal?.throwIfAborted();
        return await fetch(token, this.opts.signal);
      } catch (e) {
        failure = classify(e);
        if (this.opts.signal?.aborted)
          failure = { kind: 'aborted', name: 'AbortError', message: 'the collection was interrupted' };
      } finally {
        this.release();
      }
      const retryable = failure.kind === 'throttled' || failure.kind === 'transient';
      if (!retryable || attempt >= this.opts.pageRetries)
        throw new TaskError(task, failure.kind, failure.name, failure.message);
      const delay = this.opts.retryBaseMs * 2 ** attempt * (0.5 + Math.random() / 2);
      try {
        await this.sleep(delay);
      } catch {
        throw new TaskError(task, 'aborted', 'AbortError', 'the collection was interrupted');
      }
    }
  }

  /** Every page of a task: first those the checkpoint holds, then live ones from its token. */
  async *pages<T>(task: string, fetch: PageFetch<T>): AsyncGenerator<T> {
    const state = this.checkpoint.state(task);
    for (const data of state.pages) {
      this.pagesReplayed++;
      this.opts.onPage?.(task, true);
      yield data as T;
    }
    if (state.done) return;
    let token = state.next;
    // A task with recorded pages but no token left cannot happen (done covers it); a fresh one starts at undefined.
    for (;;) {
      const page = await this.fetchOne(task, fetch, token);
      this.checkpoint.record(task, page.data, page.next);
      this.pagesFetched++;
      this.opts.onPage?.(task, false);
      yield page.data;
      if (page.next === undefined) return;
      token = page.next;
    }
  }

  async all<T>(task: string, fetch: PageFetch<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const p of this.pages(task, fetch)) out.push(p);
    return out;
  }
}

export function abortError(): Error {
  const e = new Error('the collection was interrupted');
  e.name = 'AbortError';
  return e;
}

/** Runs `fn` over `items` with at most `limit` in flight; rejects with the first error after all settle. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (e) {
        firstError ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (firstError !== undefined) throw firstError instanceof Error ? firstError : new Error(JSON.stringify(firstError));
}
