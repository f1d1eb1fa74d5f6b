// Compound grouping account › region › VPC › AZ › subnet, derived only from what the view holds:
// a node's own properties (account, region, availability zone, type) and its outgoing edges to VPCs
// and subnets. Config records containment one-way (the instance names its subnet, the subnet does
// not list its instances), so outgoing edges are where membership lives.
import type { GraphEdge, ResourceKey, ResourceNode } from '../../../graph/model.ts';
import { identityOfKey } from './keys.ts';

export type GroupKind = 'account' | 'region' | 'vpc' | 'az' | 'subnet';

export interface GroupDef {
  id: string;
  kind: GroupKind;
  label: string;
  parent?: string;
}

export interface Placement {
  accountId: string;
  region: string;
  vpc?: ResourceKey;
  az?: string;
  subnet?: ResourceKey;
}

export interface Grouping {
  groups: GroupDef[];
  /** Node key → id of the innermost group holding it. */
  parentOf: Map<ResourceKey, string>;
}

const VPC_TYPE = 'aws::ec2::vpc';
const SUBNET_TYPE = 'aws::ec2::subnet';

/** AZ names (us-east-1a, us-gov-west-1b) and AZ ids (use1-az1); not "Multiple Availability Zones" etc. */
export function isZoneName(value: string | undefined): value is string {
  if (!value) return false;
  return /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(value) || /^[a-z]{2,4}\d-az\d+$/.test(value);
}

function isType(key: ResourceKey, lowerType: string): boolean {
  return (identityOfKey(key)?.resourceType ?? '').toLowerCase() === lowerType;
}

/** Distinct targets of `key`'s outgoing edges whose type is `lowerType`, sorted for determinism. */
function targetsOfType(key: ResourceKey, outgoing: Map<ResourceKey, GraphEdge[]>, lowerType: string): ResourceKey[] {
  const found = new Set<ResourceKey>();
  for (const edge of outgoing.get(key) ?? []) if (isType(edge.target, lowerType)) found.add(edge.target);
  return [...found].sort();
}

export function indexOutgoing(edges: Iterable<GraphEdge>): Map<ResourceKey, GraphEdge[]> {
  const outgoing = new Map<ResourceKey, GraphEdge[]>();
  for (const edge of edges) {
    const list = outgoing.get(edge.source);
    if (list) list.push(edge);
    else outgoing.set(edge.source, [edge]);
  }
  return outgoing;
}

/** The VPC and subnet a node names itself (or, for a VPC or subnet, is), and its zone. */
function ownPlacement(
  node: ResourceNode,
  outgoing: Map<ResourceKey, GraphEdge[]>,
  nodesByKey: Map<ResourceKey, ResourceNode>,
): { vpc?: ResourceKey; subnet?: ResourceKey; az?: string } {
  const lowerType = node.resourceType.toLowerCase();
  let subnet: ResourceKey | undefined;
  if (lowerType === SUBNET_TYPE) subnet = node.key;
  else {
    const subnets = targetsOfType(node.key, outgoing, SUBNET_TYPE);
    if (subnets.length === 1) subnet = subnets[0];
  }
  let vpc: ResourceKey | undefined;
  if (lowerType === VPC_TYPE) vpc = node.key;
  else {
    vpc = targetsOfType(node.key, outgoing, VPC_TYPE)[0];
    if (!vpc && subnet) vpc = targetsOfType(subnet, outgoing, VPC_TYPE)[0];
  }
  let az: string | undefined;
  const subnetNode = subnet ? nodesByKey.get(subnet) : undefined;
  if (subnetNode && isZoneName(subnetNode.availabilityZone)) az = subnetNode.availabilityZone;
  else if (lowerType !== VPC_TYPE && isZoneName(node.availabilityZone)) az = node.availabilityZone;
  const out: { vpc?: ResourceKey; subnet?: ResourceKey; az?: string } = {};
  if (vpc) out.vpc = vpc;
  if (subnet) out.subnet = subnet;
  if (az) out.az = az;
  return out;
}

/**
 * Where one node belongs. A resource in several subnets (a load balancer) stays at VPC level.
 * A zonal resource outside any VPC (an EBS volume) joins the VPC of a directly related resource
 * in the same zone (the instance it is attached to), so it is drawn next to what uses it.
 */
export function placementOf(
  node: ResourceNode,
  outgoing: Map<ResourceKey, GraphEdge[]>,
  nodesByKey: Map<ResourceKey, ResourceNode>,
  neighbours: Map<ResourceKey, ResourceKey[]> = new Map(),
): Placement {
  const own = ownPlacement(node, outgoing, nodesByKey);
  let vpc = own.vpc;
  if (!vpc && own.az) {
    for (const other of [...(neighbours.get(node.key) ?? [])].sort()) {
      const n = nodesByKey.get(other);
      if (!n) continue;
      const theirs = ownPlacement(n, outgoing, nodesByKey);
      if (theirs.vpc && theirs.az === own.az) {
        vpc = theirs.vpc;
        break;
      }
    }
  }
  // A VPC (or subnet) shared from another account sits in its owner's account and region.
  const anchor = vpc ?? own.subnet;
  const anchorIdentity = anchor ? identityOfKey(anchor) : undefined;
  const placement: Placement = {
    accountId: anchorIdentity?.accountId ?? node.accountId,
    region: anchorIdentity?.awsRegion ?? node.awsRegion,
  };
  if (vpc) placement.vpc = vpc;
  if (own.az) placement.az = own.az;
  if (own.subnet) placement.subnet = own.subnet;
  return placement;
}

/** Direct neighbours in either direction. */
export function indexNeighbours(edges: Iterable<GraphEdge>): Map<ResourceKey, ResourceKey[]> {
  const out = new Map<ResourceKey, ResourceKey[]>();
  const add = (a: ResourceKey, b: ResourceKey) => {
    const list = out.get(a);
    if (list) list.push(b);
    else out.set(a, [b]);
  };
  for (const e of edges) {
    add(e.source, e.target);
    add(e.target, e.source);
  }
  return out;
}

function nameOf(key: ResourceKey, nodesByKey: Map<ResourceKey, ResourceNode>): string {
  const node = nodesByKey.get(key);
  const id = identityOfKey(key)?.resourceId ?? key;
  const name = node?.resourceName ?? node?.tags['Name'];
  return name && name !== id ? `${id} (${name})` : id;
}

/** Groups for the given nodes: only groups that hold at least one of them are created. */
export function groupNodes(nodes: ResourceNode[], edges: Iterable<GraphEdge>): Grouping {
  const edgeList = [...edges];
  const outgoing = indexOutgoing(edgeList);
  const neighbours = indexNeighbours(edgeList);
  const nodesByKey = new Map(nodes.map((n) => [n.key, n] as const));
  const groups = new Map<string, GroupDef>();
  const parentOf = new Map<ResourceKey, string>();
  const add = (def: GroupDef): string => {
    if (!groups.has(def.id)) groups.set(def.id, def);
    return def.id;
  };

  for (const node of nodes) {
    const p = placementOf(node, outgoing, nodesByKey, neighbours);
    let parent = add({ id: `g:account:${p.accountId}`, kind: 'account', label: `Account ${p.accountId}` });
    const regionScope = `${p.accountId}|${p.region}`;
    parent = add({ id: `g:region:${regionScope}`, kind: 'region', label: p.region, parent });
    if (p.vpc) parent = add({ id: `g:vpc:${p.vpc}`, kind: 'vpc', label: `VPC ${nameOf(p.vpc, nodesByKey)}`, parent });
    if (p.az) {
      const azScope = p.vpc ?? regionScope;
      parent = add({ id: `g:az:${azScope}|${p.az}`, kind: 'az', label: p.az, parent });
    }
    if (p.subnet) {
      parent = add({
        id: `g:subnet:${p.subnet}`,
        kind: 'subnet',
        label: `Subnet ${nameOf(p.subnet, nodesByKey)}`,
        parent,
      });
    }
    parentOf.set(node.key, parent);
  }
  // Parents before children, so Cytoscape can add them in order.
  const ordered = [...groups.values()].sort(
    (a, b) => depthOf(a, groups) - depthOf(b, groups) || a.id.localeCompare(b.id),
  );
  return { groups: ordered, parentOf };
}

function depthOf(group: GroupDef, groups: Map<string, GroupDef>): number {
  let depth = 0;
  let current = group.parent ? groups.get(group.parent) : undefined;
  while (current) {
    depth += 1;
    current = current.parent ? groups.get(current.parent) : undefined;
  }
  return depth;
}
