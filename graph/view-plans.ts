// The vocabulary of views by purpose (SPEC W1–W3) as plain data with no imports: which neighbour
// types each view follows from which node types, its default by start type, and fold ids. The
// executor is graph/views.ts; the explorer reads this module too (it is pure data, no I/O).
import type { ResourceKey } from './model.ts';
import type { Neighborhood } from './traverse.ts';

export const VIEW_KINDS = ['attachments', 'network'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

const EC2 = (t: string) => `AWS::EC2::${t}`;
export const T = {
  instance: EC2('Instance'),
  vpc: EC2('VPC'),
  subnet: EC2('Subnet'),
  eni: EC2('NetworkInterface'),
  eip: EC2('EIP'),
  sg: EC2('SecurityGroup'),
  volume: EC2('Volume'),
  routeTable: EC2('RouteTable'),
  acl: EC2('NetworkAcl'),
  igw: EC2('InternetGateway'),
  eigw: EC2('EgressOnlyInternetGateway'),
  nat: EC2('NatGateway'),
  vgw: EC2('VPNGateway'),
  endpoint: EC2('VPCEndpoint'),
  peering: EC2('VPCPeeringConnection'),
  tgw: EC2('TransitGateway'),
  tgwAttachment: EC2('TransitGatewayAttachment'),
  elb: 'AWS::ElasticLoadBalancing::LoadBalancer',
  alb: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  targetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
  asg: 'AWS::AutoScaling::AutoScalingGroup',
  instanceProfile: 'AWS::IAM::InstanceProfile',
  role: 'AWS::IAM::Role',
} as const;

/** Where a route table's routes lead (W1): gateways, endpoints, peerings, transit gateways. */
export const ROUTE_TARGET_TYPES: readonly string[] = [
  T.igw,
  T.eigw,
  T.nat,
  T.vgw,
  T.endpoint,
  T.peering,
  T.tgw,
  T.tgwAttachment,
];

/**
 * One step of a plan: from every node already in the view whose type is in `from`, follow edges in
 * either direction to neighbours whose type is in `to` (`'*'`: any type not in `except`).
 * A folding step does not draw the neighbours: it counts them per (node, type) (W2).
 */
export interface ViewStep {
  from: readonly string[];
  to: readonly string[] | '*';
  except?: readonly string[];
  fold?: boolean;
}

export interface ViewPlan {
  kind: ViewKind;
  /** Resource types this view starts from. */
  startTypes: readonly string[];
  steps: readonly ViewStep[];
}

const NETWORK_LEVEL = [T.vpc, T.subnet, T.routeTable, T.acl, ...ROUTE_TARGET_TYPES];

export const VIEW_PLANS: Record<ViewKind, ViewPlan> = {
  attachments: {
    kind: 'attachments',
    startTypes: [T.instance],
    steps: [
      {
        from: [T.instance],
        to: [
          T.eni,
          T.eip,
          T.sg,
          T.volume,
          T.subnet,
          T.vpc,
          T.elb,
          T.alb,
          T.targetGroup,
          T.asg,
          T.instanceProfile,
          T.role,
        ],
      },
      { from: [T.eni], to: [T.eip, T.sg, T.subnet] },
      { from: [T.subnet], to: [T.routeTable, T.acl] },
      { from: [T.routeTable], to: ROUTE_TARGET_TYPES },
      { from: [T.targetGroup, T.asg], to: [T.alb, T.elb, T.targetGroup] },
      { from: [T.instanceProfile], to: [T.role] },
    ],
  },
  network: {
    kind: 'network',
    startTypes: [T.vpc],
    steps: [
      { from: [T.vpc], to: [T.subnet, T.routeTable, T.acl, ...ROUTE_TARGET_TYPES] },
      { from: [T.subnet], to: [T.routeTable, T.acl, T.nat, T.endpoint] },
      { from: [T.routeTable], to: ROUTE_TARGET_TYPES },
      { from: [T.subnet], to: '*', except: NETWORK_LEVEL, fold: true },
      { from: [T.vpc], to: [T.sg], fold: true },
    ],
  },
};

/** W3: the view a resource opens in when none is asked for; undefined means hop depth. */
export function defaultViewFor(resourceType: string): ViewKind | undefined {
  return (VIEW_KINDS as readonly ViewKind[]).find((k) => VIEW_PLANS[k].startTypes.includes(resourceType));
}

/** Neighbours of one type next to one node, drawn as a single counted node until opened (W2). */
export interface Fold {
  /** `fold:<parent key>:<resource type>`. */
  id: string;
  parent: ResourceKey;
  resourceType: string;
  count: number;
}

export interface PurposeView extends Neighborhood {
  kind: ViewKind;
  folds: Fold[];
}

export const foldId = (parent: ResourceKey, resourceType: string): string => `fold:${parent}:${resourceType}`;

/** Parses a fold id back into its parent and member type; undefined for anything else. */
export function parseFoldId(id: string): { parent: ResourceKey; resourceType: string } | undefined {
  const m = /^fold:(.+):([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)$/.exec(id);
  return m ? { parent: m[1]!, resourceType: m[2]! } : undefined;
}
