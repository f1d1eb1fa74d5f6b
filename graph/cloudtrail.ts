// CloudTrail: who made a change (SPEC A1–A3). Records from S3 log files ({"Records": [...]}) and
// LookupEvents responses ({"Events": [{"CloudTrailEvent": "<json>"}]}) become ChangeEvents; an event is
// attributed to the versions of the resources it names.
import type { ChangeAttribution, ChangeEvent, IsoTime, SkippedItem } from './model.ts';
import { toIsoTime } from './time.ts';
import { isObject } from './is-object.ts';

type Obj = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** AWS resource ids such as i-0abc…, sg-…, vol-…, eipalloc-…; ARNs. */
const RESOURCE_ID = /^[a-z][a-z0-9]{0,15}-[0-9a-f]{8,17}$/;
const ARN = /^arn:aws[a-z-]*:/;
/** Request keys whose values name a resource by name rather than id (IAM, S3, Lambda, RDS…). */
const NAME_KEY =
  /^(roleName|userName|groupName|policyName|bucketName|functionName|dBInstanceIdentifier|dBClusterIdentifier|clusterName|topicArn|queueUrl|name)$/;

/** Read-only calls change nothing; CloudTrail marks most, the name tells the rest. */
function isReadOnly(r: Obj): boolean {
  if (r.readOnly === true || r.readOnly === 'true') return true;
  const name = text(r.eventName) ?? '';
  return /^(Describe|List|Get|Lookup|Head|Search|Select|BatchGet)/.test(name);
}

function collectResources(value: unknown, key: string, out: Set<string>, depth: number): void {
  if (depth > 8 || out.size >= 50) return;
  if (typeof value === 'string') {
    if (RESOURCE_ID.test(value) || ARN.test(value) || (NAME_KEY.test(key) && value.length <= 256)) out.add(value);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectResources(v, key, out, depth + 1);
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) collectResources(v, k, out, depth + 1);
}

export function changeEventFromRecord(r: unknown): ChangeEvent | 'read-only' | (string & {}) {
  if (!isObject(r)) return 'record is not a JSON object';
  const eventId = text(r.eventID ?? r.eventId);
  const eventTime = toIsoTime(r.eventTime);
  const eventName = text(r.eventName);
  if (!eventId || !eventTime || !eventName) return 'record has no eventID, eventTime or eventName';
  if (isReadOnly(r)) return 'read-only';
  const who = isObject(r.userIdentity) ? r.userIdentity : {};
  const principal =
    text(who.arn) ?? text(who.principalId) ?? text(who.invokedBy) ?? text(r.sourceIPAddress) ?? 'unknown';
  const resources = new Set<string>();
  for (const res of Array.isArray(r.resources) ? r.resources : [])
    if (isObject(res) && text(res.ARN)) resources.add(res.ARN as string);
  collectResources(r.requestParameters, '', resources, 0);
  collectResources(r.responseElements, '', resources, 0);
  const e: ChangeEvent = {
    eventId,
    eventTime,
    eventName,
    eventSource: text(r.eventSource) ?? '',
    principal,
    resources: [...resources].sort(),
  };
  const account = text(r.recipientAccountId) ?? text(who.accountId);
  if (account) e.accountId = account;
  if (text(r.awsRegion)) e.awsRegion = r.awsRegion as string;
  return e;
}

export interface CloudTrailParse {
  shape: 'cloudtrail-log' | 'cloudtrail-lookup-events';
  events: ChangeEvent[];
  skipped: SkippedItem[];
  readOnly: number;
}

/** Recognises CloudTrail documents; undefined when the value is not one. */
export function parseCloudTrail(value: unknown, file: string): CloudTrailParse | undefined {
  if (!isObject(value)) return undefined;
  let records: { raw: unknown; at: string }[];
  let shape: CloudTrailParse['shape'];
  if (Array.isArray(value.Records) && value.Records.some((x) => isObject(x) && 'eventVersion' in x)) {
    shape = 'cloudtrail-log';
    records = (value.Records as unknown[]).map((raw, i) => ({ raw, at: `Records[${i}]` }));
  } else if (Array.isArray(value.Events) && value.Events.some((x) => isObject(x) && 'CloudTrailEvent' in x)) {
    shape = 'cloudtrail-lookup-events';
    records = value.Events.map((ev, i) => {
      const inner = isObject(ev) ? ev.CloudTrailEvent : undefined;
      let raw: unknown = inner;
      if (typeof inner === 'string') {
        try {
          raw = JSON.parse(inner) as unknown;
        } catch {
          raw = undefined;
        }
      }
      return { raw, at: `Events[${i}].CloudTrailEvent` };
    });
  } else return undefined;
  const out: CloudTrailParse = { shape, events: [], skipped: [], readOnly: 0 };
  for (const { raw, at } of records) {
    const e = changeEventFromRecord(raw);
    if (e === 'read-only') out.readOnly++;
    else if (typeof e === 'string') out.skipped.push({ file, item: at, reason: e });
    else out.events.push(e);
  }
  return out;
}

/**
 * A1: an event is attributed to a version of a resource when it names the resource (its id, ARN or name),
 * comes from the same account when both say, and happened after the previous version's capture and at or
 * before this one's (A2: within 24 hours before a first version). A3: newest first is not implied; events
 * are listed in time order.
 */
export function attributeChanges(
  resource: { accountId: string; resourceId: string; arn?: string; resourceName?: string },
  captures: IsoTime[],
  events: ChangeEvent[],
): ChangeAttribution[][] {
  const names = new Set(
    [resource.resourceId, resource.arn, resource.resourceName].filter((x): x is string => Boolean(x)),
  );
  const relevant = events
    .filter(
      (e) =>
        (!e.accountId || resource.accountId === 'unknown' || e.accountId === resource.accountId) &&
        e.resources.some((r) => names.has(r)),
    )
    .sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventId < b.eventId ? -1 : 1));
  return captures.map((t, i) => {
    const from = i > 0 ? captures[i - 1]! : new Date(Date.parse(t) - 24 * 3600 * 1000).toISOString();
    return relevant
      .filter((e) => e.eventTime > from && e.eventTime <= t)
      .map((e) => ({
        principal: e.principal,
        eventName: e.eventName,
        eventTime: e.eventTime,
        eventId: e.eventId,
        eventSource: e.eventSource,
      }));
  });
}
