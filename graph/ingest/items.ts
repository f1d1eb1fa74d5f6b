// Items reach a store already parsed; one that still lacks an identity field or its capture time is a
// bug upstream. It is refused here, naming the item, before anything is read or written: a store without
// NOT NULL columns (Neo4j, memory) would otherwise keep a resource without the property.
import { InvalidInputError } from '../errors.ts';
import type { RunInput } from '../store.ts';

const REQUIRED = ['accountId', 'awsRegion', 'resourceType', 'resourceId', 'captureTime', 'status'] as const;

export function checkItems(run: RunInput): void {
  run.items.forEach((item, i) => {
    const missing = REQUIRED.filter((f) => typeof item[f] !== 'string' || item[f] === '');
    if (missing.length) {
      const where = [item.source?.file, item.source?.item].filter(Boolean).join(' ') || `items[${i}]`;
      throw new InvalidInputError(
        `${where}: configuration item without ${missing.join(', ')}`,
        'items with accountId, awsRegion, resourceType, resourceId, captureTime and status',
      );
    }
  });
}
