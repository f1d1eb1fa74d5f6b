// Resource families decide the colour and icon of a node. resourceType is an open string
// (new types appear, some CIs upper-case it), so the rules match case-insensitively and
// everything unknown falls into "other".

export const FAMILIES = ['compute', 'network', 'storage', 'database', 'identity', 'serverless', 'other'] as const;
export type Family = (typeof FAMILIES)[number];

/** Exact types that do not follow their service's family. */
const BY_TYPE: Record<string, Family> = {
  'aws::ec2::instance': 'compute',
  'aws::ec2::host': 'compute',
  'aws::ec2::launchtemplate': 'compute',
  'aws::ec2::volume': 'storage',
  'aws::ec2::snapshot': 'storage',
  'aws::ec2::image': 'compute',
  'aws::sqs::queue': 'serverless',
  'aws::sns::topic': 'serverless',
};

/** Service (second segment of the type) → family. */
const BY_SERVICE: Record<string, Family> = {
  ec2: 'network',
  elasticloadbalancing: 'network',
  elasticloadbalancingv2: 'network',
  networkfirewall: 'network',
  route53: 'network',
  route53resolver: 'network',
  cloudfront: 'network',
  globalaccelerator: 'network',
  networkmanager: 'network',
  autoscaling: 'compute',
  ecs: 'compute',
  eks: 'compute',
  batch: 'compute',
  elasticbeanstalk: 'compute',
  lightsail: 'compute',
  emr: 'compute',
  s3: 'storage',
  efs: 'storage',
  fsx: 'storage',
  backup: 'storage',
  ecr: 'storage',
  glacier: 'storage',
  rds: 'database',
  dynamodb: 'database',
  redshift: 'database',
  elasticache: 'database',
  docdb: 'database',
  neptune: 'database',
  opensearch: 'database',
  elasticsearch: 'database',
  memorydb: 'database',
  iam: 'identity',
  kms: 'identity',
  secretsmanager: 'identity',
  acm: 'identity',
  cognito: 'identity',
  sso: 'identity',
  wafv2: 'identity',
  waf: 'identity',
  guardduty: 'identity',
  lambda: 'serverless',
  stepfunctions: 'serverless',
  apigateway: 'serverless',
  apigatewayv2: 'serverless',
  events: 'serverless',
  appsync: 'serverless',
};

export function familyOf(resourceType: string): Family {
  const lower = resourceType.toLowerCase();
  const exact = BY_TYPE[lower];
  if (exact) return exact;
  const service = lower.split('::')[1] ?? '';
  return BY_SERVICE[service] ?? 'other';
}

/** Legend colours: distinct hues, all with ≥ 4.5:1 contrast against white text labels' background. */
export const FAMILY_COLOURS: Record<Family, string> = {
  compute: '#c25700',
  network: '#6b3fa0',
  storage: '#2e7d32',
  database: '#1f5fbf',
  identity: '#b0003a',
  serverless: '#a15c00',
  other: '#5f6368',
};

export const FAMILY_LABELS: Record<Family, string> = {
  compute: 'Compute',
  network: 'Network',
  storage: 'Storage',
  database: 'Database',
  identity: 'Identity & security',
  serverless: 'Serverless & messaging',
  other: 'Other',
};

/** A light tint of a family colour (for fills behind dark text and a coloured icon). */
export function lightTint(hex: string, amount = 0.85): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * amount);
  const [r, g, b] = [mix((n >> 16) & 255), mix((n >> 8) & 255), mix(n & 255)];
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1).toUpperCase()}`;
}

/** The shipped icons are drawn in white for a coloured tile; this draws one in `colour` instead. */
export function recolourIcon(svg: string, colour: string): string {
  return svg.replace(/#ffffff/gi, colour);
}
