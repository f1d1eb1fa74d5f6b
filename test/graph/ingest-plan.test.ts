// The ingest plan asks the stored state in batches: how many reads a run takes does not grow with its
// items, so a store across a network (Neo4j) makes a bounded number of round trips per run.
import { describe, expect, it } from 'vitest';
import { ingestPlan } from '../../graph/ingest/plan.ts';
import { runPlanSync, type IngestReads } from '../../graph/ingest/reads.ts';
import { parseDocument } from '../../graph/parse/index.ts';
import type { RunInput } from '../../graph/store.ts';
import { MemoryState } from '../../graph/stores/memory/state.ts';
import { generateEnvironment } from '../../world/generator/index.ts';

function estate(instancesPerSubnet: number): RunInput {
  const generated = generateEnvironment({
    seed: 'plan',
    accounts: 1,
    regions: ['eu-west-1'],
    vpcsPerRegion: 1,
    subnetsPerVpc: 2,
    instancesPerSubnet,
    days: 3,
  });
  const doc = parseDocument({ configurationItems: generated.items }, 'generated.json');
  const first = doc.items[0]!;
  return {
    source: 'test',
    scope: 'test',
    items: doc.items,
    // A snapshot that lists nothing: every resource of the scope is re-examined and inferred deleted.
    snapshots: [
      { accountId: first.accountId, awsRegion: first.awsRegion, time: '2099-01-01T00:00:00.000Z', members: [] },
    ],
  };
}

/** Ingests into a fresh state, then again (the second run reads stored versions); counts the reads asked. */
function readsAsked(run: RunInput): { reads: number; items: number } {
  const state = new MemoryState();
  let reads = 0;
  const counting = Object.fromEntries(
    Object.entries(state.reads).map(([name, read]) => [
      name,
      (...args: unknown[]) => {
        reads++;
        return (read as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as IngestReads;
  for (const id of ['run-1', 'run-2'])
    state.applyRun(runPlanSync(ingestPlan(run, id, '2024-01-01T00:00:00.000Z'), counting));
  return { reads, items: run.items.length };
}

describe('ingest plan', () => {
  it('asks the same number of batched reads for a small and a ten times larger run', () => {
    const small = readsAsked(estate(1));
    const large = readsAsked(estate(10));
    expect(large.items).toBeGreaterThan(small.items * 3);
    expect(large.reads).toBe(small.reads);
    expect(small.reads).toBeLessThan(30);
  });

  it('refuses an item without its identity before reading anything', () => {
    const run = estate(1);
    const broken = { ...run, items: [...run.items, { ...run.items[0]!, resourceId: '' }] };
    const state = new MemoryState();
    expect(() => runPlanSync(ingestPlan(broken, 'r', '2024-01-01T00:00:00.000Z'), state.reads)).toThrow(
      /configuration item without resourceId/,
    );
  });
});
