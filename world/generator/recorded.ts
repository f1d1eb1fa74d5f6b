// Which relationships AWS Config records from the other end too. Each resource computes the
// relationships it can read from its own configuration (its "own" relationships); for the pairs
// below Config also lists the relationship on the target's CI, under the name given here. The
// World keeps those reverse lists current through history: when a resource's own relationships
// change (created, moved, deleted), each target whose list changed is captured again, as Config
// records a new CI for both resources.
//
// Sources: the public samples in test/fixtures/aws-config-rdk/example_ci (a VPC's CI lists
// "Contains Subnet / NetworkInterface / SecurityGroup / NetworkAcl / RouteTable / Instance" and "Is
// attached to InternetGateway"; a subnet's "Contains NetworkInterface / Instance" and "Is attached to
// NetworkAcl") and real 2026 snapshots described in ../shared/DESIGN.md. Pairs NOT in this table are
// recorded from one end only: NAT gateway, VPC endpoint and load balancer → subnet/VPC, peering → VPC,
// Elastic IP → instance, RDS and Lambda → their subnets and groups.

/** `${source type}|${own relationship name}|${target type}` → the name on the target's CI. */
export const RECORDED_FROM_BOTH_ENDS: ReadonlyMap<string, string> = new Map([
  ['AWS::EC2::Subnet|Is contained in Vpc|AWS::EC2::VPC', 'Contains Subnet'],
  ['AWS::EC2::NetworkInterface|Is contained in Vpc|AWS::EC2::VPC', 'Contains NetworkInterface'],
  ['AWS::EC2::SecurityGroup|Is contained in Vpc|AWS::EC2::VPC', 'Contains SecurityGroup'],
  ['AWS::EC2::NetworkAcl|Is contained in Vpc|AWS::EC2::VPC', 'Contains NetworkAcl'],
  ['AWS::EC2::RouteTable|Is contained in Vpc|AWS::EC2::VPC', 'Contains RouteTable'],
  ['AWS::EC2::Instance|Is contained in Vpc|AWS::EC2::VPC', 'Contains Instance'],
  ['AWS::EC2::InternetGateway|Is attached to Vpc|AWS::EC2::VPC', 'Is attached to InternetGateway'],
  ['AWS::EC2::VPNGateway|Is attached to Vpc|AWS::EC2::VPC', 'Is attached to VpnGateway'],
  ['AWS::EC2::NetworkInterface|Is contained in Subnet|AWS::EC2::Subnet', 'Contains NetworkInterface'],
  ['AWS::EC2::Instance|Is contained in Subnet|AWS::EC2::Subnet', 'Contains Instance'],
  ['AWS::EC2::RouteTable|Contains Subnet|AWS::EC2::Subnet', 'Is contained in RouteTable'],
  ['AWS::EC2::NetworkAcl|Is attached to Subnet|AWS::EC2::Subnet', 'Is attached to NetworkAcl'],
  [
    'AWS::EC2::NetworkInterface|Is associated with SecurityGroup|AWS::EC2::SecurityGroup',
    'Is associated with NetworkInterface',
  ],
  ['AWS::EC2::Instance|Is associated with SecurityGroup|AWS::EC2::SecurityGroup', 'Is associated with Instance'],
  ['AWS::EC2::EIP|Is attached to NetworkInterface|AWS::EC2::NetworkInterface', 'Is attached to ElasticIp'],
]);

export function recordedReverse(sourceType: string, name: string, targetType: string): string | undefined {
  return RECORDED_FROM_BOTH_ENDS.get(`${sourceType}|${name}|${targetType}`);
}
