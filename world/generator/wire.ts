// The S3 delivery spelling of a CI (ConfigSnapshot / ConfigHistory files): configurationItemVersion,
// awsAccountId, ARN, relationship key `name`, numeric configurationStateId, configuration as an
// object, null fields omitted.
import type { ApiConfigItem, S3ConfigItem } from './types.ts';

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toS3Item(item: ApiConfigItem): S3ConfigItem {
  const configuration = JSON.parse(item.configuration) as unknown;
  const supplementaryConfiguration: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item.supplementaryConfiguration))
    supplementaryConfiguration[k] = parseJsonText(v);
  return {
    relatedEvents: item.relatedEvents,
    relationships: item.relationships.map((r) => ({
      ...(r.resourceId !== undefined ? { resourceId: r.resourceId } : {}),
      ...(r.resourceName !== undefined ? { resourceName: r.resourceName } : {}),
      resourceType: r.resourceType,
      name: r.relationshipName,
    })),
    // S3 files omit null fields: a deleted resource's CI has no configuration key at all.
    ...(configuration !== null ? { configuration } : {}),
    supplementaryConfiguration,
    tags: item.tags,
    configurationItemVersion: item.version,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    configurationStateId: Number(item.configurationStateId),
    awsAccountId: item.accountId,
    configurationItemStatus: item.configurationItemStatus,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    ...(item.resourceName !== undefined ? { resourceName: item.resourceName } : {}),
    ARN: item.arn,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone,
    configurationStateMd5Hash: '',
    ...(item.resourceCreationTime !== undefined ? { resourceCreationTime: item.resourceCreationTime } : {}),
  };
}

export function fromApiItems(items: ApiConfigItem[]): S3ConfigItem[] {
  return items.map(toS3Item);
}
