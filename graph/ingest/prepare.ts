// The part of a run's plan that reads nothing from the store: its items checked, its counts started and its
// CIs grouped by resource as versions. An import can prepare its next run while the store commits the one
// before (on Neo4j the server commits while Node waits), so that the plan, once the store answers again, only
// does what needs the stored state. Prepared once: a failure is kept and thrown where the plan would throw it.
import { randomUUID } from 'node:crypto';
import type { RunCounts } from '../model.ts';
import { incomingVersions, startingCounts, type IncomingVersions } from '../runs.ts';
import type { RunInput } from '../store.ts';
import { withContentHash } from '../versions.ts';
import { checkItems } from './items.ts';

export interface PreparedRun {
  id: string;
  counts: RunCounts;
  incoming: IncomingVersions;
}

export class RunPreparation {
  private done?: { prepared: PreparedRun } | { failure: unknown };

  constructor(
    readonly run: RunInput,
    readonly id: string = randomUUID(),
  ) {}

  /**
   * Prepares the run now if it is not yet. `ahead`: while the store commits the run before, so the versions'
   * content hashes are computed too (the plan computes those it needs anyway, lazily, when it is not ahead).
   */
  prepare(ahead = false): void {
    if (this.done) return;
    try {
      checkItems(this.run);
      const incoming = incomingVersions(this.run, this.id);
      if (ahead) for (const { versions } of incoming.values()) for (const v of versions) withContentHash(v);
      this.done = { prepared: { id: this.id, counts: startingCounts(this.run), incoming } };
    } catch (failure) {
      this.done = { failure };
    }
  }

  /** The prepared run, prepared now if need be; throws what preparing it threw. */
  get(): PreparedRun {
    this.prepare();
    if ('failure' in this.done!) throw this.done.failure;
    return this.done!.prepared;
  }
}

/**
 * The preparation a store plans `run` with: the one it was handed when that one is this run's (an import
 * prepared it ahead), else a new one. Every store decides here, so a preparation of another run is never used.
 */
export function preparationFor(run: RunInput, given: unknown): RunPreparation {
  return given instanceof RunPreparation && given.run === run ? given : new RunPreparation(run);
}
