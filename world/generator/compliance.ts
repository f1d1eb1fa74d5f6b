// Config rules evaluated over the generated history: from the estate's CIs in capture order, each
// evaluated resource gets an AWS::Config::ResourceCompliance CI (API spelling, shaped as AWS documents
// it) a few minutes after every capture that changes one of its results, as Config writes a new
// compliance version when a result changes. A deleted resource ends its compliance item. Pure.
import { createHash } from 'node:crypto';
import { iso } from './world.ts';
import type { ApiConfigItem } from './types.ts';

type Status = 'COMPLIANT' | 'NON_COMPLIANT';

interface Rule {
  name: string;
  types: readonly string[];
  evaluate(configuration: Record<string, unknown>, tags: Record<string, string>): Status;
}

const SG = 'AWS::EC2::SecurityGroup';
const VOLUME = 'AWS::EC2::Volume';
const INSTANCE = 'AWS::EC2::Instance';

const OPEN_TO_ALL = new Set(['0.0.0.0/0', '::/0']);

/** A CIDR of an ingress range as the generator writes it (a string) or as EC2 does ({cidrIp} / {cidrIpv6}). */
function cidrsOf(ranges: unknown): string[] {
  if (!Array.isArray(ranges)) return [];
  return ranges.flatMap((r: unknown) => {
    if (typeof r === 'string') return [r];
    if (typeof r === 'object' && r !== null) {
      const o = r as Record<string, unknown>;
      return [o.cidrIp, o.cidrIpv6].filter((c): c is string => typeof c === 'string');
    }
    return [];
  });
}

/** An ingress permission opens port 22 to the whole internet (all protocols, or TCP over a range holding 22). */
function opensSshToAll(permission: unknown): boolean {
  if (typeof permission !== 'object' || permission === null) return false;
  const p = permission as Record<string, unknown>;
  const all = p.ipProtocol === '-1';
  const from = typeof p.fromPort === 'number' ? p.fromPort : undefined;
  const to = typeof p.toPort === 'number' ? p.toPort : undefined;
  const coversSsh = all || (p.ipProtocol === 'tcp' && (from === undefined || (from <= 22 && 22 <= (to ?? from))));
  if (!coversSsh) return false;
  return [...cidrsOf(p.ipRanges), ...cidrsOf(p.ipv6Ranges)].some((c) => OPEN_TO_ALL.has(c));
}

/** The rules the generator evaluates, named after the AWS managed rules they imitate. */
export const COMPLIANCE_RULES: readonly Rule[] = [
  {
    name: 'restricted-ssh',
    types: [SG],
    evaluate: (c) =>
      Array.isArray(c.ipPermissions) && c.ipPermissions.some(opensSshToAll) ? 'NON_COMPLIANT' : 'COMPLIANT',
  },
  {
    name: 'encrypted-volumes',
    types: [VOLUME],
    evaluate: (c) => (c.encrypted === true ? 'COMPLIANT' : 'NON_COMPLIANT'),
  },
  {
    name: 'required-tags',
    types: [INSTANCE, VOLUME, SG],
    evaluate: (_c, tags) => (tags.Owner?.trim() ? 'COMPLIANT' : 'NON_COMPLIANT'),
  },
];

const EVALUATED_TYPES = new Set(COMPLIANCE_RULES.flatMap((r) => r.types));

/** How long after the triggering capture Config records the new result. */
export const EVALUATION_DELAY_MS = 3 * 60_000;

const COMPLIANCE_TYPE = 'AWS::Config::ResourceCompliance';

/** A rule's id in one account and region: stable, so every version names the rule the same way. */
function ruleRef(accountId: string, region: string, rule: string): { configRuleArn: string; configRuleId: string } {
  const configRuleId = `config-rule-${createHash('sha256').update(`${accountId}|${region}|${rule}`).digest('hex').slice(0, 6)}`;
  return { configRuleArn: `arn:aws:config:${region}:${accountId}:config-rule/${configRuleId}`, configRuleId };
}

function parseConfiguration(text: string): Record<string, unknown> | null {
  const value = JSON.parse(text) as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

interface Tracked {
  /** The results last recorded, as `rule=status` lines; null once the item is deleted. */
  signature: string | null;
  lastCapture: number;
}

/**
 * The compliance CIs for `items` (ordered by capture time), in capture-time order. Results Config
 * would record after `end` are left out, as the recorder stops there.
 */
export function complianceItems(items: readonly ApiConfigItem[], end: number): ApiConfigItem[] {
  const tracked = new Map<string, Tracked>();
  const out: ApiConfigItem[] = [];
  for (const item of items) {
    if (!EVALUATED_TYPES.has(item.resourceType)) continue;
    const key = `${item.accountId}|${item.awsRegion}|${item.resourceType}|${item.resourceId}`;
    const previous = tracked.get(key);
    const configuration = item.configurationItemStatus.startsWith('ResourceDeleted')
      ? null
      : parseConfiguration(item.configuration);
    if (!configuration) {
      if (!previous || previous.signature === null) continue;
      const t = nextTime(previous, Date.parse(item.configurationItemCaptureTime));
      if (t > end) continue;
      tracked.set(key, { signature: null, lastCapture: t });
      out.push(complianceItem(item, t, 'ResourceDeleted', null));
      continue;
    }
    const results = COMPLIANCE_RULES.filter((r) => r.types.includes(item.resourceType)).map((r) => ({
      rule: r.name,
      status: r.evaluate(configuration, item.tags),
    }));
    const signature = results.map((r) => `${r.rule}=${r.status}`).join('\n');
    if (previous?.signature === signature) continue;
    const t = nextTime(previous, Date.parse(item.configurationItemCaptureTime));
    if (t > end) continue;
    tracked.set(key, { signature, lastCapture: t });
    out.push(complianceItem(item, t, previous ? 'OK' : 'ResourceDiscovered', results));
  }
  return out.sort((a, b) =>
    a.configurationItemCaptureTime < b.configurationItemCaptureTime
      ? -1
      : a.configurationItemCaptureTime > b.configurationItemCaptureTime
        ? 1
        : 0,
  );
}

/** A few minutes after the triggering capture, and strictly after the item's previous version. */
function nextTime(previous: Tracked | undefined, capturedAt: number): number {
  const t = capturedAt + EVALUATION_DELAY_MS;
  return previous && t <= previous.lastCapture ? previous.lastCapture + 1000 : t;
}

function complianceItem(
  target: ApiConfigItem,
  t: number,
  status: string,
  results: { rule: string; status: Status }[] | null,
): ApiConfigItem {
  const configuration =
    results === null
      ? 'null'
      : JSON.stringify({
          complianceType: results.some((r) => r.status === 'NON_COMPLIANT') ? 'NON_COMPLIANT' : 'COMPLIANT',
          targetResourceId: target.resourceId,
          targetResourceType: target.resourceType,
          configRuleList: results.map((r) => ({
            ...ruleRef(target.accountId, target.awsRegion, r.rule),
            configRuleName: r.rule,
            complianceType: r.status,
          })),
        });
  return {
    version: '1.3',
    accountId: target.accountId,
    configurationItemCaptureTime: iso(t),
    configurationItemStatus: status,
    configurationStateId: String(t),
    configurationItemMD5Hash: '',
    arn: '',
    resourceType: COMPLIANCE_TYPE,
    resourceId: `${target.resourceType}/${target.resourceId}`,
    awsRegion: target.awsRegion,
    availabilityZone: 'Not Applicable',
    tags: {},
    relatedEvents: [],
    // Config's relationship name for this type carries a trailing space.
    relationships:
      results === null
        ? []
        : [
            {
              resourceType: target.resourceType,
              resourceId: target.resourceId,
              relationshipName: 'Is associated with ',
            },
          ],
    configuration,
    supplementaryConfiguration: {},
  };
}
