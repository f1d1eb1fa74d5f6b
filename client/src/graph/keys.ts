// Resource keys as the API hands them out: `accountId|awsRegion|resourceType|resourceId`.
// The client parses them itself (it never imports server or domain code, only types).
import type { ResourceIdentity, ResourceKey } from '../../../graph/model.ts';

/** Splits a key into its identity; the resource id may itself contain `|`-free ARNs with `/` and `:`. */
export function identityOfKey(key: ResourceKey): ResourceIdentity | undefined {
  const first = key.indexOf('|');
  const second = key.indexOf('|', first + 1);
  const third = key.indexOf('|', second + 1);
  if (first < 0 || second < 0 || third < 0) return undefined;
  return {
    accountId: key.slice(0, first),
    awsRegion: key.slice(first + 1, second),
    resourceType: key.slice(second + 1, third),
    resourceId: key.slice(third + 1),
  };
}

export function typeOfKey(key: ResourceKey): string {
  return identityOfKey(key)?.resourceType ?? '';
}

/** `AWS::EC2::Instance` → `EC2 Instance`, for compact labels. */
export function shortType(resourceType: string): string {
  return resourceType.replace(/^AWS::/i, '').replace(/::/g, ' ');
}

/** "NetworkInterface" ×23 → "23 network interfaces". */
export function countedLabel(resourceType: string, count: number): string {
  const last = resourceType.split('::').pop() ?? resourceType;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((w) => (/^[A-Z0-9]+$/.test(w) ? w : w.toLowerCase()));
  if (count !== 1) {
    const end = words.length - 1;
    const w = words[end]!;
    words[end] = /[sx]$/.test(w) ? `${w}es` : /[^aeiou]y$/.test(w) ? `${w.slice(0, -1)}ies` : `${w}s`;
  }
  return `${count} ${words.join(' ')}`;
}
