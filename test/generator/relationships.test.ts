// The generator records relationships as AWS Config does: the same (source type, relationship
// name, target type) triples as the public samples, from both ends where Config records both
// ends, and the two ends agree through history (both CIs change when an instance comes or goes).
import { describe, expect, it } from 'vitest';
import { generateEnvironment, realShapedEnvironment, SIZES, type ApiConfigItem } from '../../world/generator/index.ts';
import { demoEnvironment } from '../../world/demo.ts';
import { rdkNetworkInterfaceSample, rdkSamples, type Json } from './samples.ts';

const env = generateEnvironment(SIZES.small);
const demo = demoEnvironment();
const realShaped = realShapedEnvironment();

type Triple = string; // `${source type} | ${relationship name} | ${target type}`
const triple = (source: string, name: string, target: string): Triple => `${source} | ${name} | ${target}`;

function generatedTriples(items: ApiConfigItem[]): Map<string, Set<Triple>> {
  const out = new Map<string, Set<Triple>>();
  for (const i of items) {
    const set = out.get(i.resourceType) ?? new Set<Triple>();
    out.set(i.resourceType, set);
    for (const r of i.relationships) set.add(triple(i.resourceType, r.relationshipName, r.resourceType));
  }
  return out;
}

interface SampleRel {
  resourceType: string;
  resourceId?: string;
  relationshipName?: string;
  name?: string;
}

const samples = new Map<string, Json>(rdkSamples());
samples.set('AWS::EC2::NetworkInterface', rdkNetworkInterfaceSample());
const relsOf = (ci: Json): SampleRel[] => (ci.relationships as SampleRel[] | undefined) ?? [];
const sampleTriples = (type: string, ci: Json): Set<Triple> =>
  new Set(relsOf(ci).map((r) => triple(type, r.relationshipName ?? r.name ?? '', r.resourceType)));
const sampleConfig = (type: string): Record<string, unknown> =>
  (samples.get(type)?.configuration as Record<string, unknown> | undefined) ?? {};
/** Whether a sample instance or interface (the CIs that name their groups) uses the group. */
const groupInUse = (groupId: string): boolean =>
  [...samples.values()]
    .filter((ci) => ci.resourceType === 'AWS::EC2::Instance' || ci.resourceType === 'AWS::EC2::NetworkInterface')
    .flatMap(relsOf)
    .some((r) => r.resourceId === groupId);

/**
 * A sample is ONE CI captured at one moment: it can only show the relationships its resource had
 * then. So the rule is: everything a sample records, the generator records under the same name
 * (sample ⊆ generated; dropping a direction or renaming fails); and what the generator records
 * beyond the sample is exactly this list, each entry with the evidence that Config records it and
 * a check, on the samples themselves, that the sampled resource had no such neighbour to show.
 */
const BEYOND_THE_SAMPLE: Record<Triple, { evidence: string; sampleHadNone: () => boolean }> = {
  [triple('AWS::EC2::VPC', 'Is attached to VpnGateway', 'AWS::EC2::VPNGateway')]: {
    evidence: 'the VPC end of "Is attached to Vpc" on a virtual private gateway (issue 10, 2026 snapshots)',
    // The sampled VPC's CI (2016-10-29) predates the first CI of the gateway attached to it (2016-11-11).
    sampleHadNone: () =>
      String(samples.get('AWS::EC2::VPC')?.configurationItemCaptureTime) <
      String(samples.get('AWS::EC2::VPNGateway')?.configurationItemCaptureTime),
  },
  [triple('AWS::EC2::Subnet', 'Is contained in RouteTable', 'AWS::EC2::RouteTable')]: {
    evidence: 'explicit route table associations are recorded from both ends (issue 10, 2026 snapshots)',
    // The sampled VPC's only route table (rtb-50b9b034) is its main table with no explicit subnet association.
    sampleHadNone: () =>
      (sampleConfig('AWS::EC2::RouteTable').associations as { subnetId?: string }[]).every((a) => !a.subnetId),
  },
  [triple('AWS::EC2::RouteTable', 'Contains Subnet', 'AWS::EC2::Subnet')]: {
    evidence: 'the route table end of an explicit association (issue 10, 2026 snapshots)',
    sampleHadNone: () =>
      (sampleConfig('AWS::EC2::RouteTable').associations as { subnetId?: string }[]).every((a) => !a.subnetId),
  },
  [triple('AWS::EC2::SecurityGroup', 'Is associated with Instance', 'AWS::EC2::Instance')]: {
    evidence:
      'AWS Config Developer Guide, get-resource-config-history of a security group ' +
      '(test/fixtures/aws-config-developer-guide/view-manage-resource-console.get-resource-config-history.cli-output.json)',
    // No instance or interface among the samples uses the sampled group sg-1d56fc66.
    sampleHadNone: () => !groupInUse(String(samples.get('AWS::EC2::SecurityGroup')?.resourceId)),
  },
  [triple('AWS::EC2::SecurityGroup', 'Is associated with NetworkInterface', 'AWS::EC2::NetworkInterface')]: {
    evidence: 'the group end of "Is associated with SecurityGroup" on interfaces (issue 10, 2026 snapshots)',
    sampleHadNone: () => !groupInUse(String(samples.get('AWS::EC2::SecurityGroup')?.resourceId)),
  },
  [triple('AWS::EC2::NetworkInterface', 'Is attached to ElasticIp', 'AWS::EC2::EIP')]: {
    evidence: 'the interface end of an Elastic IP association (issue 10, 2026 snapshots)',
    // The sampled interface has a private address only: no association, so no Elastic IP.
    sampleHadNone: () => !JSON.stringify(samples.get('AWS::EC2::NetworkInterface')).includes('eipalloc-'),
  },
  [triple('AWS::EC2::EIP', 'Is attached to NetworkInterface', 'AWS::EC2::NetworkInterface')]: {
    evidence: 'issue 10 (2026 snapshots); AWS Config docs "Example relationship queries": EIPs related to an interface',
    sampleHadNone: () => !('networkInterfaceId' in sampleConfig('AWS::EC2::EIP')),
  },
  [triple('AWS::EC2::EIP', 'Is attached to Instance', 'AWS::EC2::Instance')]: {
    evidence: 'AWS Config docs "Example relationship queries": find EIPs related to an EC2 instance',
    sampleHadNone: () => !('instanceId' in sampleConfig('AWS::EC2::EIP')),
  },
};

describe('relationships as Config records them (the public samples)', () => {
  const generated = generatedTriples(env.items);
  for (const [type, set] of generatedTriples([...demo.items, ...realShaped.items]))
    for (const t of set) (generated.get(type) ?? generated.set(type, new Set()).get(type)!).add(t);
  const shared = [...samples.keys()].filter((t) => generated.has(t)).sort();

  it('compares every type both the generator and the samples cover, the EC2 network among them', () => {
    expect(shared).toEqual(
      expect.arrayContaining([
        'AWS::EC2::VPC',
        'AWS::EC2::Subnet',
        'AWS::EC2::RouteTable',
        'AWS::EC2::NetworkAcl',
        'AWS::EC2::SecurityGroup',
        'AWS::EC2::NetworkInterface',
        'AWS::EC2::Instance',
        'AWS::EC2::Volume',
        'AWS::EC2::EIP',
        'AWS::EC2::InternetGateway',
        'AWS::EC2::VPNGateway',
        'AWS::EC2::NatGateway',
        'AWS::EC2::VPCPeeringConnection',
        'AWS::ElasticLoadBalancingV2::LoadBalancer',
        'AWS::ElasticLoadBalancing::LoadBalancer',
        'AWS::RDS::DBInstance',
        'AWS::RDS::DBSubnetGroup',
        'AWS::Lambda::Function',
        'AWS::IAM::Role',
        'AWS::IAM::Policy',
      ]),
    );
  });

  it.each(shared)(
    '%s: every relationship the sample records, under the same name, and only documented ones beyond',
    (type) => {
      const mine = generated.get(type)!;
      const theirs = sampleTriples(type, samples.get(type)!);
      expect(
        [...theirs].filter((t) => !mine.has(t)),
        'recorded by Config, missing from the generator',
      ).toEqual([]);
      const beyond = [...mine].filter((t) => !theirs.has(t)).sort();
      const documented = Object.keys(BEYOND_THE_SAMPLE)
        .filter((t) => t.startsWith(`${type} | `))
        .sort();
      expect(beyond, 'generated beyond the sample').toEqual(documented);
    },
  );

  it('each documented addition is one the sampled resource could not show', () => {
    for (const [t, why] of Object.entries(BEYOND_THE_SAMPLE)) {
      expect(why.evidence, t).not.toBe('');
      expect(why.sampleHadNone(), t).toBe(true);
    }
  });

  it('uses the bare style (trailing space, type only in resourceType) exactly where the samples do', () => {
    const bare = (set: Iterable<Triple>) =>
      [...set].filter((t) => / \| \w[\w ]* \| /.test(t) && t.split(' | ')[1]!.endsWith(' '));
    for (const type of shared) {
      const theirs = bare(sampleTriples(type, samples.get(type)!));
      const mine = bare(generated.get(type)!);
      expect(mine.sort(), type).toEqual(theirs.sort());
    }
    // Types the samples do not cover use it as Config does for them (issue 10): VPC endpoints.
    expect([...generated.get('AWS::EC2::VPCEndpoint')!].sort()).toEqual([
      triple('AWS::EC2::VPCEndpoint', 'Is attached to ', 'AWS::EC2::NetworkInterface'),
      triple('AWS::EC2::VPCEndpoint', 'Is contained in ', 'AWS::EC2::RouteTable'),
      triple('AWS::EC2::VPCEndpoint', 'Is contained in ', 'AWS::EC2::Subnet'),
      triple('AWS::EC2::VPCEndpoint', 'Is contained in ', 'AWS::EC2::VPC'),
    ]);
  });
});

/**
 * Pairs Config records from both ends: [type A, name on A's CI, type B, name on B's CI]. At any
 * moment when nothing is being recorded, A lists B under its name exactly when B lists A.
 */
const BOTH_ENDS: [string, string, string, string][] = [
  ['AWS::EC2::VPC', 'Contains Subnet', 'AWS::EC2::Subnet', 'Is contained in Vpc'],
  ['AWS::EC2::VPC', 'Contains NetworkInterface', 'AWS::EC2::NetworkInterface', 'Is contained in Vpc'],
  ['AWS::EC2::VPC', 'Contains SecurityGroup', 'AWS::EC2::SecurityGroup', 'Is contained in Vpc'],
  ['AWS::EC2::VPC', 'Contains NetworkAcl', 'AWS::EC2::NetworkAcl', 'Is contained in Vpc'],
  ['AWS::EC2::VPC', 'Contains RouteTable', 'AWS::EC2::RouteTable', 'Is contained in Vpc'],
  ['AWS::EC2::VPC', 'Contains Instance', 'AWS::EC2::Instance', 'Is contained in Vpc'],
  ['AWS::EC2::VPC', 'Is attached to InternetGateway', 'AWS::EC2::InternetGateway', 'Is attached to Vpc'],
  ['AWS::EC2::VPC', 'Is attached to VpnGateway', 'AWS::EC2::VPNGateway', 'Is attached to Vpc'],
  ['AWS::EC2::Subnet', 'Contains NetworkInterface', 'AWS::EC2::NetworkInterface', 'Is contained in Subnet'],
  ['AWS::EC2::Subnet', 'Contains Instance', 'AWS::EC2::Instance', 'Is contained in Subnet'],
  ['AWS::EC2::Subnet', 'Is contained in RouteTable', 'AWS::EC2::RouteTable', 'Contains Subnet'],
  ['AWS::EC2::Subnet', 'Is attached to NetworkAcl', 'AWS::EC2::NetworkAcl', 'Is attached to Subnet'],
  [
    'AWS::EC2::SecurityGroup',
    'Is associated with NetworkInterface',
    'AWS::EC2::NetworkInterface',
    'Is associated with SecurityGroup',
  ],
  ['AWS::EC2::SecurityGroup', 'Is associated with Instance', 'AWS::EC2::Instance', 'Is associated with SecurityGroup'],
  ['AWS::EC2::Instance', 'Contains NetworkInterface', 'AWS::EC2::NetworkInterface', 'Is attached to Instance'],
  ['AWS::EC2::Instance', 'Is attached to Volume', 'AWS::EC2::Volume', 'Is attached to Instance'],
  ['AWS::EC2::NetworkInterface', 'Is attached to ElasticIp', 'AWS::EC2::EIP', 'Is attached to NetworkInterface'],
];

const MINUTE = 60_000;
const keyOf = (i: { accountId: string; awsRegion: string; resourceType: string; resourceId: string }) =>
  `${i.accountId}|${i.awsRegion}|${i.resourceType}|${i.resourceId}`;

/** The CI in force for each resource at `t` (deleted resources drop out). */
function stateAt(items: ApiConfigItem[], t: string): ApiConfigItem[] {
  const latest = new Map<string, ApiConfigItem>();
  for (const i of items) if (i.configurationItemCaptureTime <= t) latest.set(keyOf(i), i);
  return [...latest.values()].filter((i) => i.configurationItemStatus !== 'ResourceDeleted');
}

/** Moments after discovery with no capture in the minute before: Config has finished recording. */
function quietMoments(items: ApiConfigItem[], start: string): string[] {
  const times = [...new Set(items.map((i) => Date.parse(i.configurationItemCaptureTime)))].sort((a, b) => a - b);
  const after = Date.parse(start) + 2 * 60 * MINUTE + 5 * MINUTE;
  const out: number[] = [];
  for (let k = 0; k < times.length; k++) {
    const next = times[k + 1] ?? Number.POSITIVE_INFINITY;
    if (times[k]! >= after && next - times[k]! > 2 * MINUTE) out.push(times[k]! + MINUTE);
  }
  return out.map((t) => new Date(t).toISOString());
}

function disagreements(items: ApiConfigItem[], t: string): string[] {
  const state = stateAt(items, t);
  const out: string[] = [];
  for (const [aType, aName, bType, bName] of BOTH_ENDS) {
    const fromA = new Set<string>();
    const fromB = new Set<string>();
    for (const i of state) {
      for (const r of i.relationships) {
        if (i.resourceType === aType && r.relationshipName === aName && r.resourceType === bType)
          fromA.add(`${i.resourceId}>${r.resourceId}`);
        if (i.resourceType === bType && r.relationshipName === bName && r.resourceType === aType)
          fromB.add(`${r.resourceId}>${i.resourceId}`);
      }
    }
    for (const p of fromA) if (!fromB.has(p)) out.push(`${t}: ${aType} ${aName} ${p}, but not from the other end`);
    for (const p of fromB) if (!fromA.has(p)) out.push(`${t}: ${bType} ${bName} ${p}, but not from the other end`);
  }
  return out;
}

describe('both ends agree through history', () => {
  for (const [label, e, enough] of [
    ['the small bench estate', env, 20],
    ['the demo', demo, 20],
    ['the real-shaped estate', realShaped, 3],
  ] as const) {
    it(`${label}: every pair recorded from both ends is listed by both at every quiet moment`, () => {
      const moments = quietMoments(e.items, e.start);
      expect(moments.length).toBeGreaterThan(enough);
      const problems = moments.flatMap((t) => disagreements(e.items, t));
      expect(problems.slice(0, 10)).toEqual([]);
    });
  }

  it('the pairs are really exercised: instances come and go, and both ends change with them', () => {
    const vpcChanges = demo.items.filter(
      (i) => i.resourceType === 'AWS::EC2::VPC' && i.configurationItemStatus === 'OK',
    );
    expect(vpcChanges.length).toBeGreaterThan(0);
    const terminated = demo.items.filter(
      (i) => i.resourceType === 'AWS::EC2::Instance' && i.configurationItemStatus === 'ResourceDeleted',
    );
    expect(terminated.length).toBeGreaterThan(0);
    for (const d of terminated) {
      // After the deletion, the subnet's next CI no longer lists the instance.
      const before = stateAt(demo.items, new Date(Date.parse(d.configurationItemCaptureTime) - 1).toISOString());
      const subnetId = before
        .find((i) => keyOf(i) === keyOf(d))
        ?.relationships.find((r) => r.relationshipName === 'Is contained in Subnet')?.resourceId;
      expect(subnetId).toBeDefined();
      const next = demo.items.find(
        (i) =>
          i.resourceType === 'AWS::EC2::Subnet' &&
          i.resourceId === subnetId &&
          i.configurationItemCaptureTime > d.configurationItemCaptureTime,
      );
      expect(next?.relationships.map((r) => r.resourceId)).not.toContain(d.resourceId);
      expect(Date.parse(next!.configurationItemCaptureTime) - Date.parse(d.configurationItemCaptureTime)).toBeLessThan(
        MINUTE,
      );
    }
  });

  it('a drop of one direction is noticed', () => {
    const t = quietMoments(demo.items, demo.start).at(-1)!;
    const broken = demo.items.map((i) =>
      i.resourceType === 'AWS::EC2::Subnet'
        ? { ...i, relationships: i.relationships.filter((r) => r.relationshipName !== 'Contains Instance') }
        : i,
    );
    expect(disagreements(demo.items, t)).toEqual([]);
    expect(disagreements(broken, t).length).toBeGreaterThan(0);
  });
});
