// Derived relationships (SPEC E6): edges read from configuration JSON that Config does not record.
// Each rule has a stable id; derived edges carry origin "derived" and that id.
import type { RawRelationship, ResourceVersion } from './model.ts';
import { isObject } from './is-object.ts';

type Obj = Record<string, unknown>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const DERIVATION_RULES = {
  'sg-references': 'a security group rule that allows traffic from or to another security group',
  'route-targets':
    'a route table route whose target is a gateway, NAT gateway, endpoint, peering, interface or instance',
  'eni-attachment': 'a network interface attached to an instance',
} as const;
export type DerivationRule = keyof typeof DERIVATION_RULES;

function derived(rule: DerivationRule, name: string, resourceType: string, resourceId: string): RawRelationship {
  return { origin: 'derived', rule, name, resourceType, resourceId };
}

function securityGroupReferences(cfg: Obj): RawRelationship[] {
  const out: RawRelationship[] = [];
  const self = text(cfg.groupId);
  for (const [field, phrase] of [
    ['ipPermissions', 'Allows inbound traffic from SecurityGroup'],
    ['ipPermissionsEgress', 'Allows outbound traffic to SecurityGroup'],
  ] as const) {
    for (const perm of list(cfg[field])) {
      if (!isObject(perm)) continue;
      for (const pair of list(perm.userIdGroupPairs)) {
        const gid = isObject(pair) ? text(pair.groupId) : undefined;
        if (gid && gid !== self && gid.startsWith('sg-'))
          out.push(derived('sg-references', phrase, 'AWS::EC2::SecurityGroup', gid));
      }
    }
  }
  return out;
}

const ROUTE_TARGETS: [string, (id: string) => string | undefined][] = [
  ['natGatewayId', () => 'AWS::EC2::NatGateway'],
  [
    'gatewayId',
    (id) =>
      id.startsWith('igw-')
        ? 'AWS::EC2::InternetGateway'
        : id.startsWith('vgw-')
          ? 'AWS::EC2::VPNGateway'
          : id.startsWith('vpce-')
            ? 'AWS::EC2::VPCEndpoint'
            : undefined,
  ],
  ['transitGatewayId', () => 'AWS::EC2::TransitGateway'],
  ['vpcPeeringConnectionId', () => 'AWS::EC2::VPCPeeringConnection'],
  ['networkInterfaceId', () => 'AWS::EC2::NetworkInterface'],
  ['instanceId', () => 'AWS::EC2::Instance'],
];

function routeTargets(cfg: Obj): RawRelationship[] {
  const out: RawRelationship[] = [];
  for (const route of list(cfg.routes ?? cfg.routeSet)) {
    if (!isObject(route)) continue;
    for (const [field, typeOf] of ROUTE_TARGETS) {
      const id = text(route[field]);
      const type = id ? typeOf(id) : undefined;
      if (id && type) out.push(derived('route-targets', 'Routes to', type, id));
    }
  }
  return out;
}

function eniAttachment(cfg: Obj): RawRelationship[] {
  const att = isObject(cfg.attachment) ? cfg.attachment : undefined;
  const instanceId = att ? text(att.instanceId) : undefined;
  return instanceId ? [derived('eni-attachment', 'Is attached to Instance', 'AWS::EC2::Instance', instanceId)] : [];
}

const RULES_BY_TYPE: Record<string, ((cfg: Obj) => RawRelationship[])[]> = {
  'AWS::EC2::SecurityGroup': [securityGroupReferences],
  'AWS::EC2::RouteTable': [routeTargets],
  'AWS::EC2::NetworkInterface': [eniAttachment],
};

/** Relationships derived from one version's configuration, minus those Config already records. */
export function deriveRelationships(
  resourceType: string,
  version: Pick<ResourceVersion, 'configuration' | 'relationships'>,
): RawRelationship[] {
  const rules = RULES_BY_TYPE[resourceType];
  const cfg = version.configuration;
  if (!rules || !isObject(cfg)) return [];
  const recorded = new Set((version.relationships ?? []).map((r) => `${r.resourceType}|${r.resourceId ?? ''}`));
  const seen = new Set<string>();
  const out: RawRelationship[] = [];
  for (const rule of rules) {
    for (const r of rule(cfg)) {
      const target = `${r.resourceType}|${r.resourceId ?? ''}`;
      const id = `${r.name}|${target}`;
      if (recorded.has(target) || seen.has(id)) continue;
      seen.add(id);
      out.push(r);
    }
  }
  return out;
}
