// Options every command takes, and small helpers shared by commands.
import { availableParallelism } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import { InvalidInputError } from '../../graph/errors.ts';
import { parseKey } from '../../graph/identity.ts';
import type { IsoTime } from '../../graph/model.ts';
import type { GraphStore } from '../../graph/store.ts';
import { describeMigration } from '../../graph/stores/migrations.ts';
import { openStore } from '../../graph/stores/open.ts';
import { describeRange, type IntRange } from '../../graph/query-limits.ts';
import { parseTime } from '../../graph/user-time.ts';
import { describeHolder, type WriterLockOptions } from '../../graph/stores/sqlite/writer-lock.ts';
import type { CliContext } from './command.ts';

export const COMMON_OPTIONS = {
  store: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export function stringOption(ctx: CliContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A time flag, read by the same parser as HTTP's `at`, `from` and `to` (graph/user-time.ts). */
export function timeOption(ctx: CliContext, name: string): IsoTime | undefined {
  const v = stringOption(ctx, name);
  return v === undefined ? undefined : parseTime(v, `--${name}`);
}

/** An integer flag within a range (for query limits, the ranges of graph/query-limits.ts). */
export function intOption(ctx: CliContext, name: string, range: Omit<IntRange, 'default'>): number | undefined {
  const v = stringOption(ctx, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < range.min || n > range.max)
    throw new InvalidInputError(`--${name} "${v}" is out of range`, describeRange({ ...range, default: range.min }));
  return n;
}

/** What a command does with the store: `read`, or the name of a command that writes (it takes the writer lock). */
export type StoreUse = 'read' | { writer: string };

/** The writer lock's messages on stderr: whom this command waits for, and a lock taken over. */
export function writerLockOptions(ctx: CliContext, command: string): WriterLockOptions {
  return {
    command,
    onWait: (holder, waitedMs) =>
      ctx.stderr.write(
        `configgraph ${command}: waiting for the store: held by ${describeHolder(holder)}` +
          `${waitedMs > 0 ? ` (waited ${Math.round(waitedMs / 1000)} s)` : ''}\n`,
      ),
    onStale: (holder) =>
      ctx.stderr.write(
        `configgraph ${command}: the store's lock was left by ${describeHolder(holder)}, which has ended; taking it over\n`,
      ),
  };
}

/**
 * Whether `configgraph import` writes a file store's runs on its writer thread (docs/benchmarks.md, "Ingest on
 * the second core"), parsing and planning the next run meanwhile: when the machine has a second core, unless
 * CONFIGGRAPH_WRITER_THREAD=0 (=1 asks for it on one core too). The benches ask here too, so they measure what
 * the CLI does.
 */
export function writerThreadOn(env: Record<string, string | undefined>, cores = availableParallelism()): boolean {
  const asked = env.CONFIGGRAPH_WRITER_THREAD;
  return asked === '1' || (asked !== '0' && cores > 1);
}

/**
 * How many items an import brings before its writes go to the writer thread: its runs until then are written
 * in-process. Starting the thread costs 0.1–0.3 s, more than it saves below about 5,000 items (a few delivery
 * files took 0.53–0.70 s with it against 0.39–0.43 s without; 5,408 items the same either way: docs/benchmarks.md).
 */
export const WRITER_THREAD_FROM_ITEMS = 5_000;

/** Opens the store named by --store or the environment, runs `fn`, always closes it. */
export async function withStore<T>(ctx: CliContext, use: StoreUse, fn: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await openStore(stringOption(ctx, 'store'), ctx.env, {
    onMigrated: (r) => ctx.stderr.write(`configgraph: ${describeMigration(r)}\n`),
    access: use === 'read' ? 'read' : writerLockOptions(ctx, use.writer),
    ...(use !== 'read' && use.writer === 'import' && writerThreadOn(ctx.env)
      ? { writerThread: true, writerThreadFromItems: WRITER_THREAD_FROM_ITEMS }
      : {}),
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `123|us-east-1|AWS::EC2::Instance|i-1` → `AWS::EC2::Instance i-1 (123 us-east-1)` for humans. */
export function describeKey(key: string): string {
  const id = parseKey(key);
  return id ? `${id.resourceType} ${id.resourceId} (${id.accountId} ${id.awsRegion})` : key;
}
