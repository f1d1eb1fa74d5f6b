// Views by purpose (SPEC W1–W3): a fixed plan of which neighbour types to follow from which node
// types, written once as data and executed over the same one-hop read (GraphReader) that the
// neighbourhood uses, so every store gives the same answer. Edges are followed in both directions
// and matched on the neighbour's resource type, never on one spelling of Config's relationship name:
// real Config records most EC2 networking relationships from both ends, the generator from one.
import { InvalidInputError } from './errors.ts';
import type { GraphEdge, IsoTime, ResourceKey, ResourceNode } from './model.ts';
import type { Neighborhood } from './store.ts';
import { DEFAULT_NEIGHBORHOOD_LIMIT, HUB_FANOUT, liveEdgesTouching, type GraphReader } from './traverse.ts';

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

export function parseViewKind(kind: string | undefined): ViewKind {
  if (kind !== undefined && (VIEW_KINDS as readonly string[]).includes(kind)) return kind as ViewKind;
  throw new InvalidInputError(`unknown view ${String(kind)}`, VIEW_KINDS.join(' or '));
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

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const typeOfKey = (k: ResourceKey) => k.split('|')[2] ?? '';
const other = (e: GraphEdge, k: ResourceKey) => (e.source === k ? e.target : e.source);

function matches(step: ViewStep, type: string): boolean {
  if (step.to === '*') return !(step.except ?? []).includes(type);
  return step.to.includes(type);
}

/**
 * Runs a view's plan from `root` (W1–W3). Steps run in order over everything the view holds so
 * far; a node other than the root with more than HUB_FANOUT matching neighbours in a step is a hub
 * and is not followed (it is named in `omitted` with the count left out), and so is anything past
 * the node limit.
 */
export async function purposeViewOf(
  reader: GraphReader,
  root: ResourceKey,
  opts: { kind: ViewKind; at?: IsoTime; limit?: number },
): Promise<PurposeView> {
  const plan = VIEW_PLANS[opts.kind];
  const rootType = typeOfKey(root);
  if (!plan.startTypes.includes(rootType))
    throw new InvalidInputError(
      `the ${plan.kind} view starts from ${plan.startTypes.join(' or ')}, not ${rootType}`,
      'the hop-depth neighbourhood for other resources',
    );
  const limit = opts.limit ?? DEFAULT_NEIGHBORHOOD_LIMIT;
  const included = new Set<ResourceKey>([root]);
  const omitted = new Map<ResourceKey, number>();
  const folds = new Map<string, Fold>();
  let truncated = false;
  // Edges to a resource deleted at `at` are not followed (as in the neighbourhood).
  const known = new Map<ResourceKey, ResourceNode>();

  for (const step of plan.steps) {
    const frontier = [...included].filter((k) => step.from.includes(typeOfKey(k))).sort(byKey);
    if (!frontier.length) continue;
    const frontierSet = new Set(frontier);
    const edges = await liveEdgesTouching(reader, frontier, opts.at, known);
    const neighbours = new Map<ResourceKey, Set<ResourceKey>>();
    for (const e of edges) {
      for (const f of [e.source, e.target]) {
        if (!frontierSet.has(f)) continue;
        const n = other(e, f);
        if (n === f || !matches(step, typeOfKey(n))) continue;
        let set = neighbours.get(f);
        if (!set) neighbours.set(f, (set = new Set()));
        set.add(n);
      }
    }
    for (const f of frontier) {
      const found = [...(neighbours.get(f) ?? [])].sort(byKey);
      if (step.fold) {
        for (const n of found) {
          if (included.has(n)) continue;
          const id = foldId(f, typeOfKey(n));
          const fold = folds.get(id) ?? { id, parent: f, resourceType: typeOfKey(n), count: 0 };
          fold.count++;
          folds.set(id, fold);
        }
        continue;
      }
      const fresh = found.filter((n) => !included.has(n));
      if (f !== root && found.length > HUB_FANOUT) {
        if (fresh.length) omitted.set(f, (omitted.get(f) ?? 0) + fresh.length);
        truncated ||= fresh.length > 0;
        continue;
      }
      for (const n of fresh) {
        if (included.size >= limit) {
          omitted.set(f, (omitted.get(f) ?? 0) + 1);
          truncated = true;
          continue;
        }
        included.add(n);
      }
    }
  }

  const keys = [...included].sort(byKey);
  const all = await liveEdgesTouching(reader, keys, opts.at, known);
  const edges = all.filter((e) => included.has(e.source) && included.has(e.target)).sort((a, b) => byKey(a.id, b.id));
  const nodes = (await reader.nodesAt(keys, opts.at)).sort((a, b) => byKey(a.key, b.key));
  const result: PurposeView = {
    kind: plan.kind,
    root,
    nodes,
    edges,
    truncated,
    folds: [...folds.values()].sort((a, b) => byKey(a.id, b.id)),
  };
  if (omitted.size)
    result.omitted = [...omitted].map(([key, count]) => ({ key, count })).sort((a, b) => byKey(a.key, b.key));
  return result;
}
