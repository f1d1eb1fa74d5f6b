// Resource identity (SPEC I1–I5): (accountId, awsRegion, resourceType, resourceId) as one key string.
import type { ResourceIdentity, ResourceKey } from './model.ts';

const SEP = '|';

export function keyOf(id: ResourceIdentity): ResourceKey {
  return [id.accountId, id.awsRegion, id.resourceType, id.resourceId].join(SEP);
}

/** Splits a key; the resource id may itself contain the separator (it is the last field). */
export function parseKey(key: ResourceKey): ResourceIdentity | undefined {
  const parts = key.split(SEP);
  if (parts.length < 4) return undefined;
  const [accountId, awsRegion, resourceType, ...rest] = parts as [string, string, string, ...string[]];
  if (!accountId || !awsRegion || !resourceType) return undefined;
  if (!/^AWS::|^[A-Za-z0-9]+::/.test(resourceType)) return undefined;
  return { accountId, awsRegion, resourceType, resourceId: rest.join(SEP) };
}

/** A key's resource type, read without checking the key (traversals, over keys the store made). */
export function typeOfKey(key: ResourceKey): string {
  return key.split(SEP)[2] ?? '';
}

export function looksLikeKey(ref: string): boolean {
  return parseKey(ref) !== undefined;
}

// Config spells some types in upper case ("AWS::EC2::VOLUME", "AWS::LAMBDA::FUNCTION" in old CIs);
// one spelling per type keeps one node per resource (I2). Unknown types are kept as given: types are open.
const CANONICAL_TYPES = [
  'AWS::EC2::Instance',
  'AWS::EC2::Volume',
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::RouteTable',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::VPNGateway',
  'AWS::EC2::VPNConnection',
  'AWS::EC2::CustomerGateway',
  'AWS::EC2::VPCPeeringConnection',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::Host',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::FlowLog',
  'AWS::EC2::CapacityReservation',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::StreamingDistribution',
  'AWS::Lambda::Function',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::Policy',
  'AWS::S3::Bucket',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBSubnetGroup',
  'AWS::RDS::DBSecurityGroup',
  'AWS::RDS::DBSnapshot',
  'AWS::RDS::DBClusterSnapshot',
  'AWS::RDS::EventSubscription',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::AutoScaling::ScalingPolicy',
  'AWS::AutoScaling::ScheduledAction',
  'AWS::CloudTrail::Trail',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudFormation::Stack',
  'AWS::DynamoDB::Table',
  'AWS::KMS::Key',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::Route53::HostedZone',
  'AWS::ECS::Cluster',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::EKS::Cluster',
  'AWS::Elasticsearch::Domain',
  'AWS::OpenSearch::Domain',
  'AWS::ACM::Certificate',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Stage',
  'AWS::SSM::ManagedInstanceInventory',
  'AWS::Redshift::Cluster',
  'AWS::ElasticBeanstalk::Application',
  'AWS::ElasticBeanstalk::Environment',
  'AWS::ElasticBeanstalk::ApplicationVersion',
  'AWS::NetworkFirewall::Firewall',
  'AWS::EFS::FileSystem',
];
const CANONICAL_BY_UPPER = new Map(CANONICAL_TYPES.map((t) => [t.toUpperCase(), t]));

// Every CI and every relationship names a type, from a small vocabulary: each spelling is worked out once.
const canonicalBySpelling = new Map<string, string>();

export function canonicalType(resourceType: string): string {
  let canonical = canonicalBySpelling.get(resourceType);
  if (canonical === undefined) {
    const trimmed = resourceType.trim();
    canonical = CANONICAL_BY_UPPER.get(trimmed.toUpperCase()) ?? trimmed;
    if (canonicalBySpelling.size < 10_000) canonicalBySpelling.set(resourceType, canonical);
  }
  return canonical;
}

/** Types Config records in the pseudo-region "global" (I3). */
const GLOBAL_TYPE_PREFIXES = [
  'AWS::IAM::',
  'AWS::CloudFront::',
  'AWS::Route53::',
  'AWS::WAF::',
  'AWS::Shield::',
  'AWS::GlobalAccelerator::',
];

export function isGlobalType(resourceType: string): boolean {
  const t = canonicalType(resourceType);
  return GLOBAL_TYPE_PREFIXES.some((p) => t.startsWith(p));
}

/** Region a relationship target lives in when Config does not say: global types are in "global". */
export function targetRegion(sourceRegion: string, targetType: string): string {
  return isGlobalType(targetType) ? 'global' : sourceRegion;
}
