// One raw configuration item, in either key spelling, → a normalised ConfigItem (SPEC P1–P6).
import { canonicalType } from '../identity.ts';
import { exceedsLimits, importLimits, type ImportLimits } from '../limits.ts';
import type { ConfigItem, ItemSource, RawRelationship } from '../model.ts';
import { toIsoTime } from '../time.ts';
import { isObject } from '../is-object.ts';

/** A raw CI could not be used; the message says which field and why. */
export class ItemError extends Error {
  override readonly name = 'ItemError';
}

export interface ItemContext {
  /** Account to use when the CI names none (old history files, placebo recordings). */
  defaultAccountId?: string;
  /** Size limits (P8); the defaults when absent. */
  limits?: Partial<ImportLimits>;
}

// The parts of a resource key (I1) other than the id: none may hold the key delimiter `|` or a control
// character, so two different identities never write the same key (P9).
const ACCOUNT_ID = /^[A-Za-z0-9-]{1,64}$/;
// Real CIs say "Not Applicable" for some (AWS::EC2::CustomerGateway in the RDK samples).
const REGION = /^[A-Za-z0-9 -]{1,64}$/;
const RESOURCE_TYPE = /^[A-Za-z0-9]+(::[A-Za-z0-9_.-]+)+$/;

function checkKeyPart(value: string, pattern: RegExp, field: string): void {
  if (!pattern.test(value))
    throw new ItemError(`${field} ${JSON.stringify(value.slice(0, 80))} is not a valid ${field}`);
}

type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;

/** Heuristic used to recognise a CI among other JSON objects. */
export function looksLikeConfigItem(v: unknown): v is Raw {
  return (
    isObject(v) &&
    typeof v.resourceType === 'string' &&
    (typeof v.resourceId === 'string' || typeof v.resourceName === 'string') &&
    ('configurationItemCaptureTime' in v || 'configurationItemStatus' in v || 'configuration' in v)
  );
}

export function accountFromArn(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn) : null;
  return m?.[1];
}

function regionFromArn(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]+:[^:]*:([a-z]{2}(?:-[a-z]+)+-\d):/.exec(arn) : null;
  return m?.[1];
}

/** "us-west-2b" → "us-west-2" (old CIs give only an AZ, sometimes inside a malformed ARN). */
function regionFromZone(az: string | undefined): string | undefined {
  const m = az ? /^([a-z]{2}(?:-[a-z]+)+-\d)[a-z]$/.exec(az) : null;
  return m?.[1];
}

function parseJsonField(value: unknown, field: string): unknown {
  if (typeof value !== 'string') return value ?? null;
  const s = value.trim();
  if (s === '' || s === 'null') return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    throw new ItemError(`${field} is a string that is not valid JSON`);
  }
}

function parseSupplementary(value: unknown): Record<string, unknown> {
  const parsed = parseJsonField(value, 'supplementaryConfiguration');
  if (!isObject(parsed)) return {};
  // The API delivers each supplementary value as a JSON string ("false", "{…}"); S3 files as JSON values.
  // Decoding every string that is JSON makes both copies of one CI the same version (V2).
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'string') {
      try {
        out[k] = JSON.parse(v) as unknown;
        continue;
      } catch {
        /* keep the string as delivered */
      }
    }
    out[k] = v;
  }
  return out;
}

/** Tags arrive as {k: v}, [{key, value}] (Select) or [{Key, Value}]. */
export function parseTags(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const t of value) {
      if (!isObject(t)) continue;
      const k = str(t.key ?? t.Key);
      if (k !== undefined) out[k] = str(t.value ?? t.Value) ?? '';
    }
    return out;
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) out[k] = str(v) ?? (v === null ? '' : JSON.stringify(v));
    return out;
  }
  return null;
}

function parseRelationships(value: unknown, notes: string[]): RawRelationship[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw new ItemError('relationships is not a list');
  const out: RawRelationship[] = [];
  value.forEach((r, i) => {
    if (!isObject(r)) {
      notes.push(`relationships[${i}] is not an object; ignored`);
      return;
    }
    const resourceType = str(r.resourceType);
    const resourceId = str(r.resourceId) || undefined;
    const resourceName = str(r.resourceName) || undefined;
    const name = str(r.relationshipName ?? r.name) ?? '';
    if (!resourceType || (!resourceId && !resourceName)) {
      notes.push(`relationships[${i}] names no target type and id or name; ignored`);
      return;
    }
    const rel: RawRelationship = { name, resourceType: canonicalType(resourceType), origin: 'config' };
    if (resourceId) rel.resourceId = resourceId;
    if (resourceName) rel.resourceName = resourceName;
    out.push(rel);
  });
  return out;
}

export interface NormalisedItem {
  item: ConfigItem;
  /** Non-fatal remarks (ignored relationships, defaulted account). */
  notes: string[];
}

/**
 * Normalises one raw CI. Throws ItemError naming the missing or malformed field; the caller turns it
 * into a skip entry with file and position.
 */
export function normaliseItemWithNotes(raw: unknown, source: ItemSource, ctx: ItemContext = {}): NormalisedItem {
  if (!isObject(raw)) throw new ItemError('item is not a JSON object');
  const limits = importLimits(ctx.limits);
  const tooLarge = exceedsLimits(raw, limits);
  if (tooLarge) throw new ItemError(`the item ${tooLarge}`);
  const notes: string[] = [];
  const arn = str(raw.arn ?? raw.ARN) || undefined;
  const resourceTypeRaw = str(raw.resourceType);
  if (!resourceTypeRaw) throw new ItemError('missing resourceType');
  const resourceType = canonicalType(resourceTypeRaw);
  const resourceName = str(raw.resourceName) || undefined;
  const resourceId = str(raw.resourceId) || resourceName;
  if (!resourceId) throw new ItemError('missing resourceId');
  const zone = str(raw.availabilityZone ?? raw.availibilityZone);
  const awsRegion = str(raw.awsRegion) || regionFromArn(arn) || regionFromZone(zone);
  if (!awsRegion) throw new ItemError('missing awsRegion');
  const captureTime = toIsoTime(raw.configurationItemCaptureTime);
  if (!captureTime) {
    throw new ItemError(
      raw.configurationItemCaptureTime === undefined
        ? 'missing configurationItemCaptureTime'
        : 'configurationItemCaptureTime is not a valid time',
    );
  }
  const status = str(raw.configurationItemStatus) ?? 'OK';
  const deleted = status === 'ResourceDeleted' || status === 'ResourceDeletedNotRecorded';
  const configuration = deleted ? null : parseJsonField(raw.configuration, 'configuration');
  const supplementaryConfiguration = parseSupplementary(raw.supplementaryConfiguration);
  // Configuration arrives as a JSON string in API shapes: measured again once decoded (as an object, in the
  // S3 files, it was measured with the item, one level deeper).
  const decodedTooLarge =
    (typeof raw.configuration === 'string' ? exceedsLimits(configuration, limits) : undefined) ??
    exceedsLimits(supplementaryConfiguration, limits);
  if (decodedTooLarge) throw new ItemError(`configuration ${decodedTooLarge}`);

  let accountId = str(raw.accountId ?? raw.awsAccountId) || accountFromArn(arn);
  if (!accountId && isObject(configuration)) accountId = str(configuration.ownerId ?? configuration.OwnerId);
  if (!accountId) accountId = ctx.defaultAccountId;
  if (!accountId) {
    accountId = 'unknown';
    notes.push(
      'no account id in the item, its ARN or its configuration; stored under account "unknown" (pass --account to set one)',
    );
  }
  checkKeyPart(accountId, ACCOUNT_ID, 'accountId');
  checkKeyPart(awsRegion, REGION, 'awsRegion');
  checkKeyPart(resourceType, RESOURCE_TYPE, 'resourceType');

  const item: ConfigItem = {
    accountId,
    awsRegion,
    resourceType,
    resourceId,
    captureTime,
    status,
    configuration,
    supplementaryConfiguration,
    tags: 'tags' in raw ? (parseTags(raw.tags) ?? {}) : null,
    relationships: deleted ? [] : parseRelationships(raw.relationships, notes),
    source,
  };
  if (arn) item.arn = arn;
  if (resourceName) item.resourceName = resourceName;
  const az = zone;
  if (az && az !== 'Not Applicable' && az !== 'Multiple Availability Zones') item.availabilityZone = az;
  const created = toIsoTime(raw.resourceCreationTime);
  if (created) item.resourceCreationTime = created;
  else if (
    raw.resourceCreationTime !== undefined &&
    raw.resourceCreationTime !== null &&
    raw.resourceCreationTime !== ''
  )
    notes.push('resourceCreationTime is not a valid time (between 1970 and 9999); ignored');
  const stateId = str(raw.configurationStateId ?? raw.configurationStateID ?? raw.configurationItemState);
  if (stateId) item.configurationStateId = stateId;
  const version = str(raw.version ?? raw.configurationItemVersion);
  if (version) item.configurationItemVersion = version;
  return { item, notes };
}

export function normaliseItem(raw: unknown, source: ItemSource, ctx: ItemContext = {}): ConfigItem {
  return normaliseItemWithNotes(raw, source, ctx).item;
}
