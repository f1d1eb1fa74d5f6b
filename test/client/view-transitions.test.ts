// How the view state moves: which changes fetch data, which get a history entry, and what opening
// or selecting a resource resets. Each rule here is one a user sees (Back, shared links, reloads).
import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  isNavigation,
  needsData,
  openPatch,
  selectPatch,
  viewTime,
} from '../../client/src/state/transitions.ts';
import {
  defaultViewState,
  parseViewState,
  serialiseViewState,
  type ViewState,
} from '../../client/src/state/view-state.ts';
import { instance, key, vpc } from './fixtures.ts';

const base: ViewState = {
  ...defaultViewState(),
  resource: instance.key,
  at: '2026-03-05T00:00:00.000Z',
  expanded: [vpc.key],
  selected: vpc.key,
  panel: 'history',
};

describe('applying a change', () => {
  it('sets what the patch sets and removes what it sets to undefined', () => {
    const next = applyPatch(base, { depth: 2, at: undefined, selected: undefined });
    expect(next.depth).toBe(2);
    expect('at' in next).toBe(false);
    expect('selected' in next).toBe(false);
    expect(next.resource).toBe(instance.key);
    expect(base.at).toBe('2026-03-05T00:00:00.000Z');
  });

  it('gives a state whose address reads back as the same state', () => {
    const next = applyPatch(base, { compareFrom: '2026-03-01T00:00:00.000Z', compareTo: '2026-03-07T00:00:00.000Z' });
    expect(parseViewState(serialiseViewState(next))).toEqual(next);
  });
});

describe('what a change needs', () => {
  const dataChanges: Partial<ViewState>[] = [
    { resource: vpc.key },
    { depth: 3 },
    { view: 'network' },
    { openFolds: [`fold:${vpc.key}:AWS::EC2::Subnet`] },
    { at: undefined },
    { compareFrom: '2026-03-01T00:00:00.000Z', compareTo: '2026-03-07T00:00:00.000Z' },
    { pathTo: vpc.key },
    { expanded: [] },
  ];
  it.each(dataChanges)('fetches data again for %o', (patch) => {
    expect(needsData(base, applyPatch(base, patch))).toBe(true);
  });

  const shapeChanges: Partial<ViewState>[] = [
    { hiddenTypes: ['AWS::EC2::Volume'] },
    { hiddenNodes: [vpc.key] },
    { grouping: false },
    { showEnclosing: true },
    { layout: 'grid' },
    { selected: undefined },
    { panel: 'export' },
    { expanded: [vpc.key] },
  ];
  it.each(shapeChanges)('only reshapes what is loaded for %o', (patch) => {
    expect(needsData(base, applyPatch(base, patch))).toBe(false);
  });

  it('gives navigation (resource, time, comparison, path) a history entry, and tweaks none', () => {
    expect(isNavigation(base, applyPatch(base, { resource: vpc.key }))).toBe(true);
    expect(isNavigation(base, applyPatch(base, { at: '2026-03-06T00:00:00.000Z' }))).toBe(true);
    expect(isNavigation(base, applyPatch(base, { compareFrom: base.at, compareTo: '2026-03-07T00:00:00.000Z' }))).toBe(
      true,
    );
    expect(isNavigation(base, applyPatch(base, { pathTo: vpc.key }))).toBe(true);
    expect(isNavigation(base, applyPatch(base, { depth: 2, hiddenTypes: ['x'], panel: 'filters' }))).toBe(false);
  });
});

describe('opening and selecting', () => {
  it('opening a resource starts afresh but keeps the time, the layout and the tab', () => {
    const next = applyPatch(
      { ...base, view: 'attachments', openFolds: ['fold:x:A::B::C'], hiddenNodes: [vpc.key], pathTo: vpc.key },
      openPatch(base, vpc.key),
    );
    expect(next).toEqual({
      ...base,
      resource: vpc.key,
      expanded: [],
      hiddenNodes: [],
      selected: undefined,
    });
    expect('selected' in next || 'view' in next || 'pathTo' in next).toBe(false);
  });

  it('opening a deleted resource moves to its last moment; leaving the Path tab goes to Details', () => {
    const patch = openPatch({ ...base, panel: 'path' }, vpc.key, '2026-03-04T00:00:00.000Z');
    expect(patch.at).toBe('2026-03-04T00:00:00.000Z');
    expect(patch.panel).toBe('details');
  });

  it('selecting a counted node opens it (data), once, in order; selecting a resource only selects it', () => {
    const foldB = `fold:${key('AWS::EC2::Subnet', 'subnet-b')}:AWS::EC2::Instance`;
    const foldA = `fold:${key('AWS::EC2::Subnet', 'subnet-a')}:AWS::EC2::Instance`;
    const state = { ...base, openFolds: [foldB] };
    expect(selectPatch(state, foldA)).toEqual({ patch: { openFolds: [foldA, foldB] }, refresh: 'auto' });
    expect(selectPatch(state, foldB)).toEqual({ patch: { openFolds: [foldB] }, refresh: 'auto' });
    expect(selectPatch(state, vpc.key)).toEqual({ patch: { selected: vpc.key }, refresh: 'none' });
    expect(selectPatch(state, undefined)).toEqual({ patch: { selected: undefined }, refresh: 'none' });
  });

  it('the view shows "as of", or the later end of a comparison', () => {
    expect(viewTime(base)).toBe(base.at);
    expect(viewTime({ ...base, compareFrom: '2026-03-01T00:00:00.000Z', compareTo: '2026-03-07T00:00:00.000Z' })).toBe(
      '2026-03-07T00:00:00.000Z',
    );
    expect(viewTime(defaultViewState())).toBeUndefined();
  });
});
