// Where each resource sits in the picture an architect expects: account › region › VPC › subnet.
// Pure: derived from the exported nodes and edges only. Config records containment one way
// (instance → subnet, subnet → VPC), so membership follows outgoing "Is contained in" edges.
import type { ExportData } from './data.ts';
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';

export const VPC_TYPE = 'AWS::EC2::VPC';
export const SUBNET_TYPE = 'AWS::EC2::Subnet';

export type GroupKind = 'account' | 'region' | 'vpc' | 'subnet';

export interface Group {
  id: string;
  kind: GroupKind;
  label: string;
  /** For vpc/subnet groups: the resource the group stands for. */
  node?: ResourceNode;
  groups: Group[];
  members: ResourceNode[];
}

function isContainment(e: GraphEdge): boolean {
  return e.type === 'IS_CONTAINED_IN' || /^is contained in/i.test(e.name.trim());
}

/** Returns the account groups (sorted), each holding its regions, VPCs, subnets and members. */
export function groupForDiagram(data: Pick<ExportData, 'nodes' | 'edges'>): Group[] {
  const byKey = new Map(data.nodes.map((n) => [n.key, n]));
  const containers = new Map<string, ResourceNode[]>(); // node key → containers it is in
  for (const e of data.edges) {
    if (!isContainment(e)) continue;
    const target = byKey.get(e.target);
    if (target === undefined || (target.resourceType !== VPC_TYPE && target.resourceType !== SUBNET_TYPE)) continue;
    const list = containers.get(e.source) ?? [];
    if (!list.some((c) => c.key === target.key)) list.push(target);
    containers.set(e.source, list);
  }
  const only = (key: string, type: string): ResourceNode | undefined => {
    const found = (containers.get(key) ?? []).filter((c) => c.resourceType === type);
    return found.length === 1 ? found[0] : undefined;
  };

  const accounts = new Map<string, Group>();
  const regionGroup = (n: ResourceNode): Group => {
    let account = accounts.get(n.accountId);
    if (account === undefined) {
      account = {
        id: `account:${n.accountId}`,
        kind: 'account',
        label: `Account ${n.accountId}`,
        groups: [],
        members: [],
      };
      accounts.set(n.accountId, account);
    }
    let region = account.groups.find((g) => g.label === n.awsRegion);
    if (region === undefined) {
      region = {
        id: `region:${n.accountId}|${n.awsRegion}`,
        kind: 'region',
        label: n.awsRegion,
        groups: [],
        members: [],
      };
      account.groups.push(region);
    }
    return region;
  };

  const groupOf = new Map<string, Group>(); // VPC/subnet key → its group
  const makeGroup = (n: ResourceNode, kind: 'vpc' | 'subnet'): Group => {
    const g: Group = { id: `${kind}:${n.key}`, kind, label: labelOf(n, kind), node: n, groups: [], members: [] };
    groupOf.set(n.key, g);
    return g;
  };
  const sorted = [...data.nodes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const n of sorted) if (n.resourceType === VPC_TYPE) regionGroup(n).groups.push(makeGroup(n, 'vpc'));
  for (const n of sorted) {
    if (n.resourceType !== SUBNET_TYPE) continue;
    const vpc = only(n.key, VPC_TYPE);
    const parent = vpc === undefined ? undefined : groupOf.get(vpc.key);
    (parent ?? regionGroup(n)).groups.push(makeGroup(n, 'subnet'));
  }
  for (const n of sorted) {
    if (n.resourceType === VPC_TYPE || n.resourceType === SUBNET_TYPE) continue;
    // One subnet: inside it. Several (load balancers, ASGs): they span the VPC, so the VPC holds them.
    const subnet = only(n.key, SUBNET_TYPE);
    const home = (subnet && groupOf.get(subnet.key)) ?? vpcHome(n.key) ?? regionGroup(n);
    home.members.push(n);
  }
  function vpcHome(key: string): Group | undefined {
    const direct = only(key, VPC_TYPE);
    if (direct !== undefined) return groupOf.get(direct.key);
    const subnets = (containers.get(key) ?? []).filter((c) => c.resourceType === SUBNET_TYPE);
    const vpcs = new Set(subnets.map((s) => only(s.key, VPC_TYPE)?.key).filter((k): k is string => k !== undefined));
    return vpcs.size === 1 ? groupOf.get([...vpcs][0] as string) : undefined;
  }
  return [...accounts.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function labelOf(n: ResourceNode, kind: 'vpc' | 'subnet'): string {
  const name = n.resourceName ?? n.tags?.Name;
  const what = kind === 'vpc' ? 'VPC' : `Subnet${n.availabilityZone ? ` (${n.availabilityZone})` : ''}`;
  return name ? `${what} ${name} · ${n.resourceId}` : `${what} ${n.resourceId}`;
}
