import { describe, expect, it } from 'vitest';
import {
  defaultViewState,
  normaliseTime,
  parseViewState,
  serialiseViewState,
  type ViewState,
} from '../../client/src/state/view-state.ts';

const full: ViewState = {
  resource: '111122223333|us-east-1|AWS::EC2::Instance|i-0de0000000000c001',
  depth: 2,
  view: 'network',
  openFolds: ['fold:111122223333|us-east-1|AWS::EC2::Subnet|subnet-1:AWS::EC2::NetworkInterface'],
  openBoxes: ['fold:in:g:subnet:111122223333|us-east-1|AWS::EC2::Subnet|subnet-1:AWS::EC2::Instance'],
  layout: 'concentric',
  grouping: false,
  showEnclosing: true,
  nonCompliantOnly: true,
  rule: 'restricted-ssh & <friends>',
  at: '2026-03-08T14:00:00.000Z',
  compareFrom: '2026-03-05T00:00:00.000Z',
  compareTo: '2026-03-07T00:00:00.000Z',
  hiddenTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::Volume'],
  hiddenAccounts: ['444455556666'],
  hiddenRegions: ['eu-west-1'],
  hiddenNodes: ['111122223333|us-east-1|AWS::EC2::VPC|vpc-1'],
  expanded: ['111122223333|us-east-1|AWS::EC2::Subnet|subnet-1'],
  selected: '111122223333|us-east-1|AWS::EC2::Volume|vol-1',
  pathTo: 'arn:aws:iam::111122223333:role/web & <friends>',
  panel: 'history',
};

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    expect(parseViewState(serialiseViewState(full))).toEqual(full);
  });

  it('omits defaults, so the plain view has a plain URL', () => {
    expect(serialiseViewState(defaultViewState())).toBe('');
    expect(serialiseViewState({ ...defaultViewState(), resource: 'i-1' })).toBe('?r=i-1');
  });

  it('is canonical: list order and duplicates do not change the URL', () => {
    const a = serialiseViewState({ ...full, hiddenTypes: ['b', 'a', 'a'] });
    const b = serialiseViewState({ ...full, hiddenTypes: ['a', 'b'] });
    expect(a).toBe(b);
  });

  it('encodes untrusted text so it cannot break out of its parameter', () => {
    const s = serialiseViewState({ ...defaultViewState(), resource: 'x&depth=3#<script>' });
    expect(parseViewState(s).resource).toBe('x&depth=3#<script>');
    expect(parseViewState(s).depth).toBe(1);
  });

  it('drops invalid values to defaults rather than failing', () => {
    const s = parseViewState(
      '?r=i-1&depth=7&layout=evil&at=yesterday&from=2026-03-01T00:00:00Z&panel=nope&group=maybe',
    );
    expect(s).toEqual({ ...defaultViewState(), resource: 'i-1' });
  });

  it('requires both compare times and orders them', () => {
    expect(parseViewState('?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z')).toMatchObject({
      compareFrom: '2026-03-01T00:00:00.000Z',
      compareTo: '2026-03-02T00:00:00.000Z',
    });
    expect(parseViewState('?to=2026-03-01T00:00:00Z').compareTo).toBeUndefined();
  });

  it('normalises times to UTC and insists on a zone', () => {
    expect(normaliseTime('2026-03-01T13:00:00+01:00')).toBe('2026-03-01T12:00:00.000Z');
    expect(normaliseTime('2026-03-01T13:00:00')).toBeUndefined();
    expect(normaliseTime('2026-13-01T00:00:00Z')).toBeUndefined();
  });
});
