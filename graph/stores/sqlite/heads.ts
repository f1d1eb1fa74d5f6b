// Version heads for drawing nodes, read from the columns that order and choose a version; the head's JSON is
// parsed only for a version a node is drawn from (or a tie in the order), not for every version of every
// resource a whole-estate read scans.
import type { NodeSource } from '../../nodes.ts';
import { compareVersions, type VersionHead, type VersionOrder } from '../../versions.ts';

/**
 * Every version's head columns apart from the rows that also hold its configuration (schema step 8): which
 * resources changed after a time, and the heads their nodes are drawn from, are read from this index alone.
 */
export const VERSION_HEADS_INDEX =
  'CREATE INDEX IF NOT EXISTS versions_heads ON versions (key, capture_time, status, inferred, content_hash, head)';

/** The columns a lazy head is built from, in this order. */
export const HEAD_COLUMNS = 'key, capture_time, status, inferred, content_hash, head';
export type HeadRow = [
  key: string,
  captureTime: string,
  status: string,
  inferred: number,
  contentHash: string,
  head: string,
];

export class LazyHead implements NodeSource, VersionOrder {
  readonly captureTime: string;
  readonly status: string;
  readonly inferred: boolean;
  readonly contentHash: string;
  private readonly json: string;
  private parsed: VersionHead | undefined;

  constructor(row: HeadRow) {
    this.captureTime = row[1];
    this.status = row[2];
    this.inferred = row[3] === 1;
    this.contentHash = row[4];
    this.json = row[5];
  }

  private get head(): VersionHead {
    return (this.parsed ??= JSON.parse(this.json) as VersionHead);
  }
  get configurationStateId() {
    return this.head.configurationStateId;
  }
  get resourceCreationTime() {
    return this.head.resourceCreationTime;
  }
  get tags() {
    return this.head.tags;
  }
  get arn() {
    return this.head.arn;
  }
  get resourceName() {
    return this.head.resourceName;
  }
  get availabilityZone() {
    return this.head.availabilityZone;
  }
}

/** Each resource's heads, in version order (V4). */
export function headsByKey(rows: Iterable<HeadRow>): Map<string, LazyHead[]> {
  const byKey = new Map<string, LazyHead[]>();
  for (const row of rows) {
    const list = byKey.get(row[0]);
    if (list) list.push(new LazyHead(row));
    else byKey.set(row[0], [new LazyHead(row)]);
  }
  for (const list of byKey.values()) inVersionOrder(list);
  return byKey;
}

/** One resource's heads put in version order (V4), in place. */
export function inVersionOrder(heads: LazyHead[]): LazyHead[] {
  return heads.length > 1 ? heads.sort(compareVersions) : heads;
}
