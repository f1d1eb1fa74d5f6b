// Where each resource is drawn (SPEC G1–G7): the boxes account › region › VPC › availability zone ›
// subnet, and the innermost box of every node. Pure and written once: the explorer and every export
// (draw.io, the SVG/PNG of the view) group with this. Config records containment from both ends
// (a subnet "Is contained in Vpc" and the VPC "Contains Subnet"), so membership is read from both,
// and the fixed order of the hierarchy decides which end is the container.
import { parseKey, typeOfKey } from './identity.ts';
import type { GraphEdge, ResourceKey, ResourceNode } from './model.ts';

export type GroupKind = 'account' | 'region' | 'vpc' | 'az' | 'subnet';

export interface GroupDef {
  id: string;
  kind: GroupKind;
  label: string;
  parent?: string;
  /** For VPC and subnet boxes: the resource the box stands for. */
  resource?: ResourceKey;
}

export interface Grouping {
  /** Parents before children, then by id. */
  groups: GroupDef[];
  /** Node key → id of the innermost box holding it. */
  parentOf: Map<ResourceKey, string>;
}

export interface Placement {
  accountId: string;
  region: string;
  vpc?: ResourceKey;
  az?: string;
  subnet?: ResourceKey;
}

const VPC = 'aws::ec2::vpc';
const SUBNET = 'aws::ec2::subnet';

/** G4: VPC-wide resources: never inside a subnet, whatever they are recorded with. */
const VPC_LEVEL = new Set([
  'aws::ec2::routetable',
  'aws::ec2::networkacl',
  'aws::ec2::securitygroup',
  'aws::ec2::internetgateway',
  'aws::ec2::egressonlyinternetgateway',
  'aws::ec2::vpngateway',
  'aws::ec2::dhcpoptions',
]);

/** G4: gateways attached to a VPC (Config records them "Is attached to Vpc"); at most one VPC each. */
const VPC_GATEWAYS = new Set([
  'aws::ec2::internetgateway',
  'aws::ec2::egressonlyinternetgateway',
  'aws::ec2::vpngateway',
]);

/** AZ names (us-east-1a, us-gov-west-1b) and AZ ids (use1-az1); not "Multiple Availability Zones" etc. */
export function isZoneName(value: string | undefined): value is string {
  if (!value) return false;
  return /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(value) || /^[a-z]{2,4}\d-az\d+$/.test(value);
}

const lowerTypeOf = (key: ResourceKey): string => typeOfKey(key).toLowerCase();

/** G2: a containment edge reads "X is contained in Y" or "Y contains X" (normalised type, E4). */
export function isContainment(edge: Pick<GraphEdge, 'type'>): boolean {
  return edge.type === 'IS_CONTAINED_IN' || edge.type === 'CONTAINS';
}

/**
 * G2: the VPCs and subnets each resource is itself recorded in: its own "Is contained in" edge to the
 * container, or the container's "Contains" edge naming it. Only the hierarchy's order decides which end
 * is the container: a VPC is recorded in nothing, a subnet only in a VPC, anything else in either.
 */
export function recordedContainers(
  edges: Iterable<GraphEdge>,
  typeOf: (key: ResourceKey) => string = lowerTypeOf,
): Map<ResourceKey, Set<ResourceKey>> {
  const out = new Map<ResourceKey, Set<ResourceKey>>();
  const add = (member: ResourceKey, container: ResourceKey) => {
    if (member === container) return;
    const memberType = typeOf(member);
    const containerType = typeOf(container);
    if (memberType === VPC) return; // G3: a VPC sits in its account and region only.
    if (containerType === SUBNET && memberType === SUBNET) return;
    if (containerType !== VPC && containerType !== SUBNET) return;
    const set = out.get(member);
    if (set) set.add(container);
    else out.set(member, new Set([container]));
  };
  for (const e of edges) {
    if (e.type === 'IS_CONTAINED_IN') add(e.source, e.target);
    else if (e.type === 'CONTAINS') add(e.target, e.source);
    else if (e.type === 'IS_ATTACHED_TO') {
      // G4: a gateway is recorded "Is attached to Vpc", never contained; attached, it serves that VPC.
      if (VPC_GATEWAYS.has(typeOf(e.source)) && typeOf(e.target) === VPC) add(e.source, e.target);
      else if (VPC_GATEWAYS.has(typeOf(e.target)) && typeOf(e.source) === VPC) add(e.target, e.source);
    }
  }
  return out;
}

function ofType(
  keys: Iterable<ResourceKey> | undefined,
  lowerType: string,
  typeOf: (key: ResourceKey) => string,
): ResourceKey[] {
  return [...(keys ?? [])].filter((k) => typeOf(k) === lowerType).sort();
}

/** G3–G5: the VPC, subnet and zone a node is in by its own records (no neighbours consulted). */
function ownPlacement(
  node: ResourceNode,
  containers: Map<ResourceKey, Set<ResourceKey>>,
  nodesByKey: Map<ResourceKey, ResourceNode>,
  typeOf: (key: ResourceKey) => string,
): { vpc?: ResourceKey; subnet?: ResourceKey; az?: string } {
  const type = node.resourceType.toLowerCase();
  if (type === VPC) return { vpc: node.key };
  const mine = containers.get(node.key);
  const subnets = type === SUBNET ? [] : ofType(mine, SUBNET, typeOf);
  // The VPC: recorded directly, or through the subnet(s) it is recorded in. Records naming two VPCs
  // contradict each other: neither VPC nor subnet is then its box.
  const vpcs = new Set(ofType(mine, VPC, typeOf));
  for (const s of subnets) for (const v of ofType(containers.get(s), VPC, typeOf)) vpcs.add(v);
  const conflicting = vpcs.size > 1;
  const vpc = conflicting ? undefined : [...vpcs][0];
  let subnet: ResourceKey | undefined;
  if (type === SUBNET) subnet = node.key;
  else if (subnets.length === 1 && !VPC_LEVEL.has(type) && !conflicting) subnet = subnets[0];
  let az: string | undefined;
  const subnetNode = subnet ? nodesByKey.get(subnet) : undefined;
  if (subnet) {
    if (isZoneName(subnetNode?.availabilityZone)) az = subnetNode.availabilityZone;
  } else if (!VPC_LEVEL.has(type) && isZoneName(node.availabilityZone)) az = node.availabilityZone;
  const out: { vpc?: ResourceKey; subnet?: ResourceKey; az?: string } = {};
  if (vpc) out.vpc = vpc;
  if (subnet) out.subnet = subnet;
  if (az) out.az = az;
  return out;
}

/** Direct neighbours in either direction, sorted, of the given nodes only (few need them). */
function indexNeighbours(edges: Iterable<GraphEdge>, of: Set<ResourceKey>): Map<ResourceKey, ResourceKey[]> {
  const out = new Map<ResourceKey, Set<ResourceKey>>();
  const add = (a: ResourceKey, b: ResourceKey) => {
    if (!of.has(a)) return;
    const set = out.get(a);
    if (set) set.add(b);
    else out.set(a, new Set([b]));
  };
  if (of.size > 0)
    for (const e of edges) {
      add(e.source, e.target);
      add(e.target, e.source);
    }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/**
 * Where every node belongs (G1–G7). A resource in several subnets (a load balancer) stays at VPC level;
 * a zonal resource outside any VPC (an EBS volume) joins the VPC of a directly related resource in the
 * same zone (the instance it is attached to), so it is drawn next to what uses it.
 */
export function placements(nodes: ResourceNode[], edges: Iterable<GraphEdge>): Map<ResourceKey, Placement> {
  const edgeList = [...edges];
  // A node's own type, not one read from its key: a counted node's id (`fold:<parent key>:<type>`) would
  // read as its parent's type.
  const typeByKey = new Map(nodes.map((n) => [n.key, n.resourceType.toLowerCase()] as const));
  const typeOf = (k: ResourceKey) => typeByKey.get(k) ?? lowerTypeOf(k);
  const containers = recordedContainers(edgeList, typeOf);
  const nodesByKey = new Map(nodes.map((n) => [n.key, n] as const));
  const own = new Map(nodes.map((n) => [n.key, ownPlacement(n, containers, nodesByKey, typeOf)] as const));
  // Only a zonal resource in no VPC or subnet of its own looks at its neighbours.
  const looking = new Set<ResourceKey>();
  for (const [key, mine] of own) if (!mine.vpc && !mine.subnet && mine.az) looking.add(key);
  const neighbours = indexNeighbours(edgeList, looking);
  // Read once per VPC or subnet, not once per resource in it.
  const identities = new Map<ResourceKey, ReturnType<typeof parseKey>>();
  const identityOf = (key: ResourceKey) => {
    if (!identities.has(key)) identities.set(key, parseKey(key));
    return identities.get(key);
  };
  const out = new Map<ResourceKey, Placement>();
  for (const node of nodes) {
    const mine = own.get(node.key)!;
    let vpc = mine.vpc;
    if (!vpc && !mine.subnet && mine.az) {
      for (const other of neighbours.get(node.key) ?? []) {
        const theirs = own.get(other);
        if (theirs?.vpc && theirs.az === mine.az) {
          vpc = theirs.vpc;
          break;
        }
      }
    }
    // G7: a VPC (or subnet) shared from another account sits in its owner's account and region.
    const anchor = vpc ?? mine.subnet;
    const anchorIdentity = anchor ? identityOf(anchor) : undefined;
    const p: Placement = {
      accountId: anchorIdentity?.accountId ?? node.accountId,
      region: anchorIdentity?.awsRegion ?? node.awsRegion,
    };
    if (vpc) p.vpc = vpc;
    if (mine.az) p.az = mine.az;
    if (mine.subnet) p.subnet = mine.subnet;
    out.set(node.key, p);
  }
  return out;
}

function nameOf(key: ResourceKey, nodesByKey: Map<ResourceKey, ResourceNode>): string {
  const node = nodesByKey.get(key);
  const id = parseKey(key)?.resourceId ?? key;
  const name = node?.resourceName ?? node?.tags['Name'];
  return name && name !== id ? `${id} (${name})` : id;
}

/** G1: the boxes for the given nodes; only boxes that hold at least one node (or box) are made. */
export function groupNodes(nodes: ResourceNode[], edges: Iterable<GraphEdge>): Grouping {
  const sorted = [...nodes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const nodesByKey = new Map(sorted.map((n) => [n.key, n] as const));
  const placed = placements(sorted, edges);
  const groups = new Map<string, GroupDef>();
  const parentOf = new Map<ResourceKey, string>();
  // A box is defined by the first of its members; the rest only find it (its label is made once).
  const add = (id: string, kind: GroupKind, label: () => string, parent?: string, resource?: ResourceKey) => {
    if (!groups.has(id)) {
      const def: GroupDef = { id, kind, label: label() };
      if (parent) def.parent = parent;
      if (resource) def.resource = resource;
      groups.set(id, def);
    }
    return id;
  };
  for (const node of sorted) {
    const { accountId, region, vpc, az, subnet } = placed.get(node.key)!;
    let parent = add(`g:account:${accountId}`, 'account', () => `Account ${accountId}`);
    const regionScope = `${accountId}|${region}`;
    parent = add(`g:region:${regionScope}`, 'region', () => region, parent);
    if (vpc) parent = add(`g:vpc:${vpc}`, 'vpc', () => `VPC ${nameOf(vpc, nodesByKey)}`, parent, vpc);
    if (az) parent = add(`g:az:${vpc ?? regionScope}|${az}`, 'az', () => az, parent);
    if (subnet)
      parent = add(`g:subnet:${subnet}`, 'subnet', () => `Subnet ${nameOf(subnet, nodesByKey)}`, parent, subnet);
    parentOf.set(node.key, parent);
  }
  const depth = (g: GroupDef): number => (g.parent ? 1 + depth(groups.get(g.parent)!) : 0);
  const ordered = [...groups.values()].sort((a, b) => depth(a) - depth(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { groups: ordered, parentOf };
}

/** The VPCs and subnets whose boxes enclose `key` (its own box included), innermost first. */
const groupIndex = new WeakMap<Grouping, Map<string, GroupDef>>();

export function enclosingResources(grouping: Grouping, key: ResourceKey): ResourceKey[] {
  let byId = groupIndex.get(grouping);
  if (!byId) {
    byId = new Map(grouping.groups.map((g) => [g.id, g] as const));
    groupIndex.set(grouping, byId);
  }
  const out: ResourceKey[] = [];
  let current = byId.get(grouping.parentOf.get(key) ?? '');
  while (current) {
    if (current.resource) out.push(current.resource);
    current = current.parent ? byId.get(current.parent) : undefined;
  }
  return out;
}
