// Wire shapes the generator emits, spelled exactly as AWS spells them (see DESIGN.md
// "Two key spellings"), and the generator's options.

/** A relationship in the API spelling (GetResourceConfigHistory, Select, console JSON). */
export interface ApiRelationship {
  resourceType: string;
  resourceId?: string;
  resourceName?: string;
  relationshipName: string;
}

/** A configuration item as GetResourceConfigHistory returns it: `configuration` is a JSON string. */
export interface ApiConfigItem {
  version: string;
  accountId: string;
  configurationItemCaptureTime: string;
  configurationItemStatus: string;
  configurationStateId: string;
  configurationItemMD5Hash: string;
  arn: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  awsRegion: string;
  availabilityZone: string;
  resourceCreationTime?: string;
  tags: Record<string, string>;
  relatedEvents: string[];
  relationships: ApiRelationship[];
  /** JSON text; "null" for a deleted resource, as the API returns it. */
  configuration: string;
  /** Values are JSON text, as the API's map<string,string> carries them. */
  supplementaryConfiguration: Record<string, string>;
}

/** A relationship in the S3 delivery / notification spelling. */
export interface S3Relationship {
  resourceType: string;
  resourceId?: string;
  resourceName?: string;
  name: string;
}

/** A configuration item as S3 ConfigSnapshot / ConfigHistory files carry it. */
export interface S3ConfigItem {
  relatedEvents: string[];
  relationships: S3Relationship[];
  configuration?: unknown;
  supplementaryConfiguration: Record<string, unknown>;
  tags: Record<string, string>;
  configurationItemVersion: string;
  configurationItemCaptureTime: string;
  configurationStateId: number;
  awsAccountId: string;
  configurationItemStatus: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  ARN: string;
  awsRegion: string;
  availabilityZone: string;
  configurationStateMd5Hash: string;
  resourceCreationTime?: string;
}

export interface GeneratorOptions {
  /** Same seed, same options: the same items, byte for byte. */
  seed?: string | number;
  /** 12-digit account ids, or a count of accounts to invent. */
  accounts?: string[] | number;
  regions?: string[];
  vpcsPerRegion?: number;
  /** Subnets per VPC, spread across the region's availability zones (half public, half private). */
  subnetsPerVpc?: number;
  instancesPerSubnet?: number;
  /** Length of the recorded history, in days after `start`. */
  days?: number;
  /** Expected configuration changes per resource per day (0 = no history beyond discovery). */
  changeRate?: number;
  /** When the recorder first discovers everything (ISO time); fixed so output is reproducible. */
  start?: string;
  /** Add a load balancer, an RDS database and a Lambda per VPC (default true). */
  services?: boolean;
  /** Evaluate a few Config rules over the history and add their ResourceCompliance CIs (default true). */
  compliance?: boolean;
}

export interface GeneratedEnvironment {
  /** Every CI in API spelling, ordered by capture time. */
  items: ApiConfigItem[];
  options: Required<Omit<GeneratorOptions, 'accounts'>> & { accounts: string[] };
  start: string;
  end: string;
  /** Resources (distinct identities) that have at least one CI. */
  resourceCount: number;
}
