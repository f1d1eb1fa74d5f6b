// The ingest plan asks the stored state in batches: how many reads a run takes does not grow with its
// items, so a store across a network (Neo4j) makes a bounded number of round trips per run.
import { describe, expect, it } from 'vitest';
import { keyOf } from '../../graph/identity.ts';
import { ingestPlan } from '../../graph/ingest/plan.ts';
import { runPlanSync, type IngestReads } from '../../graph/ingest/reads.ts';
import { parseDocument } from '../../graph/parse/index.ts';
import type { RunInput } from '../../graph/store.ts';
import { MemoryState } from '../../graph/stores/memory/state.ts';
import { generateEnvironment } from '../../world/generator/index.ts';
import { items, T } from '../support/ci-builder.ts';

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

  describe('a repeat of a stored version', () => {
    const INSTANCE = 'AWS::EC2::Instance';
    const ci = (configuration: unknown, extra: { tags?: Record<string, string> } = {}) =>
      items({ type: INSTANCE, id: 'i-1', time: T(2), configuration, ...extra });
    const stored = ci({ id: 'i-1', state: { name: 'running', code: 16 } }, { tags: { Name: 'web' } });

    /** Ingests `first`, then plans `second` against it; the keys whose stored versions were read in full. */
    function fullReads(first: RunInput['items'], second: RunInput['items']): string[][] {
      const state = new MemoryState();
      const asked: string[][] = [];
      const reads: IngestReads = {
        ...state.reads,
        recordedVersions: (keys) => {
          asked.push(keys);
          return state.reads.recordedVersions(keys);
        },
      };
      const runOf = (its: RunInput['items']): RunInput => ({ source: 'test', scope: 'test', items: its });
      state.applyRun(runPlanSync(ingestPlan(runOf(first), 'run-1', T(3)), reads));
      asked.length = 0;
      state.applyRun(runPlanSync(ingestPlan(runOf(second), 'run-2', T(3)), reads));
      return asked.filter((keys) => keys.length);
    }

    it('is recognised from the stored heads, its configuration in any key order, without reading versions back', () => {
      expect(fullReads(stored, stored)).toEqual([]);
      const reordered = ci({ state: { code: 16, name: 'running' }, id: 'i-1' }, { tags: { Name: 'web' } });
      expect(fullReads(stored, reordered)).toEqual([]);
    });

    it('is not taken for one when its content differs: the stored versions are read and merged (V3)', () => {
      const key = keyOf(stored[0]!);
      const other = ci({ id: 'i-1', state: { name: 'stopped', code: 80 } }, { tags: { Name: 'web' } });
      const poorer = stored.map((i) => ({ ...i, relationships: null, tags: null }));
      for (const second of [other, poorer, [...stored, ...items({ type: INSTANCE, id: 'i-1', time: T(4) })]]) {
        const asked = fullReads(stored, second);
        expect(asked).toEqual([[key]]);
      }
    });
  });

  it('writes only the derived rows of a resource brought again that change', () => {
    const INSTANCE = 'AWS::EC2::Instance';
    const rels = (...ids: string[]) =>
      ids.map((id) => ({ name: 'Is associated with SecurityGroup', type: 'AWS::EC2::SecurityGroup', id }));
    const state = new MemoryState();
    const runOf = (its: RunInput['items']): RunInput => ({ source: 'test', scope: 'test', items: its });
    const first = items({ type: INSTANCE, id: 'i-1', time: T(1), rels: rels('sg-1', 'sg-2'), name: 'web' });
    state.applyRun(runPlanSync(ingestPlan(runOf(first), 'run-1', T(9)), state.reads));
    const stored = [...state.edges.values()];
    // A new version drops sg-2 (its edge closes) and adds sg-3; sg-1's edge and the terms stay as they are.
    const second = items({ type: INSTANCE, id: 'i-1', time: T(2), rels: rels('sg-1', 'sg-3'), name: 'web' });
    const w = runPlanSync(ingestPlan(runOf(second), 'run-2', T(9)), state.reads);
    const key = keyOf(first[0]!);
    const sg2 = stored.find((e) => e.target.endsWith('sg-2'))!;
    expect(w.stale).toEqual([key]);
    expect(w.kept).toEqual({ sources: [key], removedEdges: [sg2.id], terms: [key] });
    expect(w.edges.map((e) => [e.target.split('|').at(-1), e.validFrom, e.validTo])).toEqual(
      expect.arrayContaining([
        ['sg-2', T(1), T(2)],
        ['sg-3', T(2), null],
      ]),
    );
    expect(w.edges).toHaveLength(2);
    state.applyRun(w);
    const once = new MemoryState();
    once.applyRun(runPlanSync(ingestPlan(runOf([...first, ...second]), 'run-1', T(9)), once.reads));
    const edges = (s: MemoryState) => [...s.edges.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(edges(state)).toEqual(edges(once));
    expect(state.terms.get(key)).toEqual(once.terms.get(key));
  });
});
