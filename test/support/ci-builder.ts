// Builds raw CIs in Config's API shape for tests, and turns them into items through the real parser.
import type { ConfigItem } from '../../graph/model.ts';
import { parseDocument } from '../../graph/parse/index.ts';

export interface CiSpec {
  type: string;
  id: string;
  time: string;
  account?: string;
  region?: string;
  name?: string;
  status?: string;
  stateId?: string;
  configuration?: unknown;
  tags?: Record<string, string>;
  rels?: { name: string; type: string; id?: string; name_?: string }[];
  arn?: string;
  /** resourceCreationTime, when Config gives one. */
  created?: string;
  /** availabilityZone as Config writes it (us-east-1a, "Multiple Availability Zones"). */
  az?: string;
}

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

/** A CI as GetResourceConfigHistory returns it: configuration is a JSON string. */
export function rawCi(s: CiSpec): Record<string, unknown> {
  const status = s.status ?? 'OK';
  const deleted = status.startsWith('ResourceDeleted');
  const raw: Record<string, unknown> = {
    version: '1.3',
    accountId: s.account ?? ACCOUNT,
    configurationItemCaptureTime: s.time,
    configurationItemStatus: status,
    configurationStateId: s.stateId ?? String(Date.parse(s.time)),
    resourceType: s.type,
    resourceId: s.id,
    awsRegion: s.region ?? REGION,
    tags: s.tags ?? {},
    relatedEvents: [],
    relationships: deleted
      ? []
      : (s.rels ?? []).map((r) => ({
          resourceType: r.type,
          ...(r.id ? { resourceId: r.id } : {}),
          ...(r.name_ ? { resourceName: r.name_ } : {}),
          relationshipName: r.name,
        })),
    configuration: deleted ? 'null' : JSON.stringify(s.configuration ?? { id: s.id }),
    supplementaryConfiguration: {},
  };
  if (s.name) raw.resourceName = s.name;
  if (s.arn) raw.arn = s.arn;
  if (s.created) raw.resourceCreationTime = s.created;
  if (s.az) raw.availabilityZone = s.az;
  return raw;
}

/** Items parsed by the real parser from a GetResourceConfigHistory-shaped page. */
export function items(...specs: CiSpec[]): ConfigItem[] {
  const r = parseDocument({ configurationItems: specs.map(rawCi) }, 'test.json');
  if (r.skipped.length) throw new Error(`test data was skipped: ${JSON.stringify(r.skipped)}`);
  return r.items;
}

export const T = (day: number, hour = 0) => new Date(Date.UTC(2024, 2, day, hour)).toISOString();
