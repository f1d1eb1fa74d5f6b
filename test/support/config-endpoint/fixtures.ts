// Builds endpoint worlds from real recordings (test/fixtures, see its PROVENANCE.md) and from the
// demo generator. Conversions are limited to what the wire needs: placebo datetime objects become
// ISO strings; a CI whose recording lacks accountId/configurationStateId gets the recordings'
// account and a state id derived from its capture time (noted in `notes`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObject } from '../../../graph/is-object.ts';
import { toIsoTime } from '../../../graph/time.ts';
import type { WorldItem, WorldRelationship } from './world.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const PLACEBO = join(FIXTURES, 'cloud-custodian/tests/data/placebo');
/** The cloud-custodian test account every placebo recording comes from. */
export const PLACEBO_ACCOUNT = '644160558196';

type Raw = Record<string, unknown>;
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

/** Every CI in the placebo GetResourceConfigHistory recordings (9 resources, 2 regions, one deletion). */
export function placeboHistoryItems(notes: string[] = []): WorldItem[] {
  const out: WorldItem[] = [];
  for (const dir of readdirSync(PLACEBO).sort()) {
    for (const f of readdirSync(join(PLACEBO, dir)).sort()) {
      if (!f.startsWith('config.GetResourceConfigHistory_')) continue;
      const doc = JSON.parse(readFileSync(join(PLACEBO, dir, f), 'utf8')) as { data: { configurationItems: Raw[] } };
      for (const ci of doc.data.configurationItems)
        out.push(worldItemFromApi(ci, { accountId: PLACEBO_ACCOUNT }, notes));
    }
  }
  return out;
}

/** Resource identifiers recorded from ListDiscoveredResources (to cross-check the world's answers). */
export function placeboDiscovered(): { resourceType: string; resourceId: string; resourceName?: string }[] {
  const out: { resourceType: string; resourceId: string; resourceName?: string }[] = [];
  for (const dir of readdirSync(PLACEBO).sort()) {
    for (const f of readdirSync(join(PLACEBO, dir))) {
      if (!f.startsWith('config.ListDiscoveredResources_')) continue;
      const doc = JSON.parse(readFileSync(join(PLACEBO, dir, f), 'utf8')) as {
        data: { resourceIdentifiers: { resourceType: string; resourceId: string; resourceName?: string }[] };
      };
      out.push(...doc.data.resourceIdentifiers);
    }
  }
  return out;
}

/** CIs of a seeded synthetic environment from the demo generator (world/generator), API spelling. */
export async function generatorItems(
  options: import('../../../world/generator/types.ts').GeneratorOptions,
): Promise<{ items: WorldItem[]; start: string; end: string }> {
  const { generateEnvironment } = await import('../../../world/generator/index.ts');
  const env = generateEnvironment(options);
  return { items: env.items.map((i) => worldItemFromApi(i as unknown as Raw)), start: env.start, end: env.end };
}
