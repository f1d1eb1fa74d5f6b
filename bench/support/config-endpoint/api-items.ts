// Converts CIs in the API spelling (recordings, the seeded generator) into the endpoint's world
// items. Conversions are limited to what the wire needs: datetime objects become ISO strings; a CI
// lacking accountId/configurationStateId gets the given account and a state id derived from its
// capture time (noted in `notes`).
import { toIsoTime } from '../../../graph/time.ts';
import { generateEnvironment } from '../../../world/generator/index.ts';
import type { GeneratorOptions } from '../../../world/generator/types.ts';
import type { WorldItem, WorldRelationship } from './world.ts';

export type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
  return out;
}

/** One raw API-spelled CI (placebo or generator) → a WorldItem. */
export function worldItemFromApi(raw: Raw, defaults: { accountId?: string } = {}, notes: string[] = []): WorldItem {
  const capture = toIsoTime(raw.configurationItemCaptureTime);
  const resourceType = str(raw.resourceType);
  const resourceId = str(raw.resourceId);
  const awsRegion = str(raw.awsRegion);
  if (!capture || !resourceType || !resourceId || !awsRegion)
    throw new Error(`fixture CI lacks identity or capture time: ${JSON.stringify(raw).slice(0, 200)}`);
  let accountId = str(raw.accountId);
  if (!accountId) {
    accountId = defaults.accountId ?? 'unknown';
    notes.push(`${resourceType} ${resourceId}: recording has no accountId; world uses ${accountId}`);
  }
  let stateId = str(raw.configurationStateId);
  if (!stateId) {
    stateId = String(Date.parse(capture));
    notes.push(`${resourceType} ${resourceId}: recording has no configurationStateId; world uses ${stateId}`);
  }
  const rels: WorldRelationship[] = Array.isArray(raw.relationships)
    ? raw.relationships.filter(isObject).map((r) => {
        const rel: WorldRelationship = {
          resourceType: String(r.resourceType),
          relationshipName: [r.relationshipName, r.name].find((n) => typeof n === 'string') ?? '',
        };
        if (str(r.resourceId)) rel.resourceId = str(r.resourceId)!;
        if (str(r.resourceName)) rel.resourceName = str(r.resourceName)!;
        return rel;
      })
    : [];
  const configuration = raw.configuration;
  const item: WorldItem = {
    version: str(raw.version) ?? '1.3',
    accountId,
    configurationItemCaptureTime: capture,
    configurationItemStatus: str(raw.configurationItemStatus) ?? 'OK',
    configurationStateId: stateId,
    resourceType,
    resourceId,
    awsRegion,
    tags: stringMap(raw.tags),
    relationships: rels,
    configuration: typeof configuration === 'string' ? configuration : JSON.stringify(configuration ?? null),
    supplementaryConfiguration: stringMap(raw.supplementaryConfiguration),
  };
  const created = toIsoTime(raw.resourceCreationTime);
  if (created) item.resourceCreationTime = created;
  for (const k of ['arn', 'resourceName', 'availabilityZone', 'configurationItemMD5Hash'] as const) {
    const v = str(raw[k]);
    if (v) item[k] = v;
  }
  if (Array.isArray(raw.relatedEvents)) item.relatedEvents = raw.relatedEvents.map(String);
  return item;
}

/** CIs of a seeded synthetic environment from the generator, API spelling. */
export function generatorItems(options: GeneratorOptions): { items: WorldItem[]; start: string; end: string } {
  const env = generateEnvironment(options);
  return { items: env.items.map((i) => worldItemFromApi(i as unknown as Raw)), start: env.start, end: env.end };
}
