// Recognises which AWS wire shape a JSON document is and pulls its configuration items out (SPEC P1).
import { parseCloudTrail } from '../cloudtrail.ts';
import { keyOf } from '../identity.ts';
import type { ChangeEvent, ConfigItem, ItemSource, ScopeSnapshot, SkippedItem } from '../model.ts';
import { accountFromArn, ItemError, looksLikeConfigItem, normaliseItemWithNotes, type ItemContext } from './item.ts';
import { isObject } from '../is-object.ts';

export interface ParseResult {
  /** The recognised shape, or "not-config-data". */
  shape: string;
  items: ConfigItem[];
  skipped: SkippedItem[];
  /** Full snapshots found (ConfigSnapshot files): used to infer deletions. */
  snapshots: ScopeSnapshot[];
  notes: string[];
  /** CloudTrail write events (from CloudTrail log files or LookupEvents output). */
  events?: ChangeEvent[];
}

type Raw = Record<string, unknown>;

class Collector {
  readonly result: ParseResult;
  constructor(
    readonly file: string,
    shape: string,
    readonly ctx: ItemContext,
  ) {
    this.result = { shape, items: [], skipped: [], snapshots: [], notes: [] };
  }

  add(raw: unknown, position: string, ctx: ItemContext = this.ctx): void {
    const source: ItemSource = { file: this.file, item: position, shape: this.result.shape };
    try {
      const { item, notes } = normaliseItemWithNotes(raw, source, ctx);
      this.result.items.push(item);
      for (const n of notes) this.result.notes.push(`${this.file} ${position}: ${n}`);
    } catch (e) {
      if (!(e instanceof ItemError)) throw e;
      this.result.skipped.push({ file: this.file, item: position, reason: e.message });
    }
  }

  notConfig(reason: string): ParseResult {
    this.result.shape = 'not-config-data';
    this.result.skipped.push({ file: this.file, reason: `not a configuration item: ${reason}` });
    return this.result;
  }
}

/** Items of one GetResourceConfigHistory page describe one resource: siblings lend a missing account id. */
function siblingAccount(items: unknown[]): string | undefined {
  for (const it of items) {
    if (!isObject(it)) continue;
    const a = it.accountId ?? it.awsAccountId;
    if (typeof a === 'string' && a) return a;
    const fromArn = accountFromArn(typeof it.arn === 'string' ? it.arn : undefined);
    if (fromArn) return fromArn;
  }
  return undefined;
}

function parseJsonString(s: unknown): unknown {
  if (typeof s !== 'string') return s;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function fromNotificationMessage(c: Collector, msg: Raw, at: string): ParseResult {
  const type = msg.messageType;
  if (type === 'ConfigurationItemChangeNotification') {
    const ci = msg.configurationItem;
    // v1.0 notifications carry the CI in a one-element array.
    const list = Array.isArray(ci) ? ci : [ci];
    list.forEach((x, i) => c.add(x, Array.isArray(ci) ? `${at}configurationItem[${i}]` : `${at}configurationItem`));
    return c.result;
  }
  if (type === 'OversizedConfigurationItemChangeNotification') {
    const s3 = isObject(msg.s3DeliverySummary) ? msg.s3DeliverySummary.s3BucketLocation : undefined;
    return c.notConfig(
      `oversized change notification: only a summary is included; the full item is in S3${typeof s3 === 'string' ? ` at ${s3}` : ''}`,
    );
  }
  if (typeof type === 'string') return c.notConfig(`${type} message (carries no configuration item)`);
  return c.notConfig('notification message without a messageType');
}

/**
 * Parses one JSON document of any shape AWS Config produces. Never throws for bad data: every item that
 * cannot be used is listed in `skipped` with file, position and reason.
 */
export function parseDocument(value: unknown, file: string, ctx: ItemContext = {}): ParseResult {
  // Top-level array: a list of CIs (console "View JSON" exports, some RDK samples).
  if (Array.isArray(value)) {
    const c = new Collector(file, 'ci-array', ctx);
    if (value.length > 0 && !value.some(looksLikeConfigItem))
      return c.notConfig('a JSON array whose elements are not configuration items');
    value.forEach((v, i) => c.add(v, `[${i}]`));
    return c.result;
  }
  if (!isObject(value))
    return new Collector(file, 'unknown', ctx).notConfig('the document is not a JSON object or array');

  // Placebo/botocore recordings wrap the API response in {status_code, data}.
  if ('status_code' in value && isObject(value.data)) {
    const inner = parseDocument(value.data, file, ctx);
    if (inner.shape !== 'not-config-data') inner.shape = `recorded-${inner.shape}`;
    for (const i of inner.items) i.source.shape = inner.shape;
    return inner;
  }

  if (Array.isArray(value.configurationItems)) {
    const items = value.configurationItems;
    const isFile = 'fileVersion' in value;
    const isSnapshot = isFile && ('configSnapshotId' in value || /ConfigSnapshot/.test(file));
    const shape = isSnapshot ? 's3-config-snapshot' : isFile ? 's3-config-history' : 'get-resource-config-history';
    const c = new Collector(file, shape, ctx);
    const account = shape === 'get-resource-config-history' ? siblingAccount(items) : undefined;
    const itemCtx = account && !ctx.defaultAccountId ? { ...ctx, defaultAccountId: account } : ctx;
    items.forEach((v, i) => c.add(v, `configurationItems[${i}]`, itemCtx));
    if (shape === 'get-resource-config-history' && items.length === 0 && typeof value.nextToken === 'string') {
      c.result.notes.push(
        `${file}: an empty page that still carries a nextToken (normal for GetResourceConfigHistory)`,
      );
    }
    if (isSnapshot) c.result.snapshots.push(...snapshotsOf(c.result.items, file));
    return c.result;
  }

  // SelectResourceConfig / SelectAggregateResourceConfig: each result is a JSON string.
  if (Array.isArray(value.Results)) {
    const c = new Collector(file, 'select-results', ctx);
    value.Results.forEach((r, i) => {
      const parsed = parseJsonString(r);
      if (parsed === undefined)
        c.result.skipped.push({ file, item: `Results[${i}]`, reason: 'result is not valid JSON' });
      else if (typeof parsed === 'object' && parsed !== null && !('resourceType' in parsed)) {
        c.result.skipped.push({
          file,
          item: `Results[${i}]`,
          reason:
            'result has no resourceType: the query did not select the identity fields (resourceId, resourceType, accountId, awsRegion, configurationItemCaptureTime)',
        });
      } else c.add(parsed, `Results[${i}]`);
    });
    return c.result;
  }

  // BatchGetResourceConfig (baseConfigurationItems) / BatchGetAggregateResourceConfig (BaseConfigurationItems).
  const batch = value.baseConfigurationItems ?? value.BaseConfigurationItems;
  if (Array.isArray(batch)) {
    const c = new Collector(file, 'batch-get', ctx);
    batch.forEach((v, i) => c.add(v, `baseConfigurationItems[${i}]`));
    c.result.notes.push(
      `${file}: BatchGet items carry no relationships and no tags; those are unknown for these versions`,
    );
    return c.result;
  }

  // SNS envelope: Message is a JSON string on the wire (shown as an object in the docs).
  if (value.Type === 'Notification' && 'Message' in value) {
    const msg = parseJsonString(value.Message);
    const c = new Collector(file, 'sns-notification', ctx);
    if (!isObject(msg)) return c.notConfig('SNS notification whose Message is not a JSON object');
    return fromNotificationMessage(c, msg, 'Message.');
  }

  // EventBridge event.
  if (value.source === 'aws.config' && isObject(value.detail)) {
    const c = new Collector(file, 'eventbridge-event', ctx);
    return fromNotificationMessage(c, value.detail, 'detail.');
  }

  // Config rule (Lambda) event: invokingEvent is a JSON string that may hold a CI.
  if (typeof value.invokingEvent === 'string') {
    const c = new Collector(file, 'config-rule-event', ctx);
    const ev = parseJsonString(value.invokingEvent);
    if (!isObject(ev)) return c.notConfig('Config rule event whose invokingEvent is not JSON');
    return fromNotificationMessage(c, ev, 'invokingEvent.');
  }

  // A notification body without an envelope.
  if (typeof value.messageType === 'string')
    return fromNotificationMessage(new Collector(file, 'notification', ctx), value, '');

  const trail = parseCloudTrail(value, file);
  if (trail) {
    return {
      shape: trail.shape,
      items: [],
      skipped: trail.skipped,
      snapshots: [],
      notes: [
        `${file}: ${trail.events.length} CloudTrail write events (who changed what); ${trail.readOnly} read-only events ignored`,
      ],
      events: trail.events,
    };
  }

  if (Array.isArray(value.resourceIdentifiers) || Array.isArray(value.ResourceIdentifiers)) {
    return new Collector(file, 'list-discovered-resources', ctx).notConfig(
      'ListDiscoveredResources response (resource identifiers only; collect their items with BatchGet or Select)',
    );
  }

  // Schema files map dotted property paths to types; a CI never has dotted keys.
  const keys = Object.keys(value);
  if (keys.some((k) => k.startsWith('configuration.') || k.startsWith('relationships.'))) {
    return new Collector(file, 'resource-schema', ctx).notConfig(
      'AWS Config resource property schema (describes queryable properties, holds no items)',
    );
  }

  if (looksLikeConfigItem(value)) {
    const c = new Collector(file, 'ci', ctx);
    c.add(value, '(item)');
    return c.result;
  }

  return new Collector(file, 'unknown', ctx).notConfig(
    `unrecognised JSON object with keys ${keys.slice(0, 6).join(', ')}`,
  );
}

/** A ConfigSnapshot file lists every recorded resource of its account and region at one time (R2). */
function snapshotsOf(items: ConfigItem[], file: string): ScopeSnapshot[] {
  const byScope = new Map<string, ScopeSnapshot>();
  const fileTime = snapshotTimeFromKey(file);
  for (const it of items) {
    const scope = `${it.accountId}|${it.awsRegion}`;
    let s = byScope.get(scope);
    if (!s) {
      s = { accountId: it.accountId, awsRegion: it.awsRegion, time: fileTime ?? it.captureTime, members: [] };
      byScope.set(scope, s);
    }
    s.members.push(keyOf(it));
    if (!fileTime && it.captureTime > s.time) s.time = it.captureTime;
  }
  return [...byScope.values()];
}

/** S3 keys end in …_ConfigSnapshot_20160927T195818Z_… or …ConfigSnapshot_<region>_<time>… */
function snapshotTimeFromKey(file: string): string | undefined {
  const m = /ConfigSnapshot_(?:[^/]*?_)?(\d{8}T\d{6}Z)/.exec(file);
  if (!m?.[1]) return undefined;
  const t = m[1];
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.000Z`;
}
