// The checkpoint journal and the rate limiter in isolation.
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpoint, CheckpointBusyError, type CheckpointHeader } from '../../server/collect/checkpoint.ts';
import { TaskRunner } from '../../server/collect/pager.ts';
import { RateLimiter } from '../../server/collect/rate-limiter.ts';
import { tempDir } from './helpers.ts';

const header = (key: string): CheckpointHeader => ({
  kind: 'configgraph-collect-checkpoint',
  version: 1,
  key,
  startedAt: '2024-01-01T00:00:00.000Z',
  description: 'test',
});

describe('Checkpoint', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('replays completed pages, drops a torn last line, and continues from the last token', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'c.jsonl');
    const cp = Checkpoint.open(path, header('k1'), false);
    cp.record('select|eu-west-1|0', { Results: ['a'] }, 't1');
    cp.record('select|eu-west-1|0', { Results: ['b'] }, 't2');
    cp.record('counts|eu-west-1', { counts: [] }, undefined);
    cp.close();
    expect(statSync(path).mode & 0o777).toBe(0o600); // configuration data: owner only
    appendFileSync(path, '{"task":"select|eu-west-1|0","page":2,"da'); // killed mid-write

    const resumed = Checkpoint.open(path, header('k1'), true);
    expect(resumed.resumed).toBe(true);
    expect(resumed.header.startedAt).toBe('2024-01-01T00:00:00.000Z');
    expect(resumed.state('select|eu-west-1|0')).toEqual({
      pages: [{ Results: ['a'] }, { Results: ['b'] }],
      next: 't2',
      done: false,
    });
    expect(resumed.state('counts|eu-west-1').done).toBe(true);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true); // the torn line is gone

    const tokens: (string | undefined)[] = [];
    const runner = new TaskRunner(resumed, { concurrency: 1, pageRetries: 0, retryBaseMs: 1 });
    const pages = await runner.all<{ Results: string[] }>('select|eu-west-1|0', async (token) => {
      tokens.push(token);
      return { data: { Results: ['c'] } };
    });
    expect(pages.map((p) => p.Results[0])).toEqual(['a', 'b', 'c']);
    expect(tokens).toEqual(['t2']); // only the page after the last completed one was fetched
    expect(runner.pagesReplayed).toBe(2);
    resumed.discard();
  });

  it('does not resume a journal of a different collection, and starts over without resume', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'c.jsonl');
    const cp = Checkpoint.open(path, header('k1'), false);
    cp.record('t', { x: 1 }, 'n');
    cp.close();
    const other = Checkpoint.open(path, header('k2'), true);
    expect(other.resumed).toBe(false);
    expect(other.state('t').pages).toEqual([]);
    other.close();
    const fresh = Checkpoint.open(path, header('k2'), false);
    expect(fresh.replacedUnfinished).toBe(true);
    fresh.close();
  });
});

describe('Checkpoint lock', () => {
  it('refuses a second run of the same collection while the first is alive, and takes over a dead one', () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'c.jsonl');
      const first = Checkpoint.open(path, header('k'), false);
      expect(() => Checkpoint.open(path, header('k'), true)).toThrow(CheckpointBusyError);
      first.close();
      expect(existsSync(`${path}.lock`)).toBe(false);
      writeFileSync(`${path}.lock`, String(process.ppid)); // another live process holds it
      expect(() => Checkpoint.open(path, header('k'), true)).toThrow(/already running \(process \d+\)/);
      writeFileSync(`${path}.lock`, '2147483646'); // a process that no longer exists
      const taken = Checkpoint.open(path, header('k'), true);
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.pid));
      taken.discard();
      expect(existsSync(`${path}.lock`)).toBe(false);
    } finally {
      dir.remove();
    }
  });
});

describe('RateLimiter', () => {
  it('spaces calls per account+region+operation and halves the rate after a throttle', async () => {
    let now = 0;
    const limiter = new RateLimiter(
      () => ({ perSecond: 10, burst: 2 }),
      () => now,
    );
    await limiter.take('a', 'eu-west-1', 'Select');
    await limiter.take('a', 'eu-west-1', 'Select');
    // A different key has its own bucket.
    await limiter.take('a', 'us-east-1', 'Select');
    let third = false;
    const p = limiter.take('a', 'eu-west-1', 'Select').then(() => (third = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false); // the bucket is empty and the clock has not moved
    now += 100;
    await p;
    expect(third).toBe(true);
    limiter.throttled('a', 'eu-west-1', 'Select');
    expect(limiter.rates()['a|eu-west-1|Select']).toBe(5);
    limiter.succeeded('a', 'eu-west-1', 'Select');
    expect(limiter.rates()['a|eu-west-1|Select']).toBe(5.5);
  });
});
