// What a collection is asked to do, and the parsing of the user's words for it (durations,
// dates, regions), validated once here at the edge.
import { InvalidInputError } from '../../graph/errors.ts';
import { parseSpan, parseTimeOrSpan } from '../../graph/user-time.ts';
import type { ProgressListener } from './progress.ts';
import type { RateLimit } from './rate-limiter.ts';

/** Regions of the aws partition (opt-in ones included: a disabled region is reported and skipped). */
export const ALL_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
];

export interface CollectOptions {
  /** Account mode: the regions to collect. Aggregator mode: the first is the aggregator's home region. */
  regions: string[];
  aggregator?: string;
  /** Aggregator mode: only these source accounts / regions. */
  accounts?: string[];
  sourceRegions?: string[];
  /** Only these resource types (the run is then not a full snapshot: no deletions are inferred). */
  resourceTypes?: string[];
  /** Fetch history from this time (ISO) or duration before the run ("7d"). */
  history?: string;
  profile?: string;
  endpointUrl?: string;
  /** SDK attempts per call (standard retry mode), default 5. */
  maxAttempts?: number;
  /** Concurrent API calls, default 4. */
  concurrency?: number;
  /** Where checkpoints live (default: next to the store, else ./data). */
  checkpointDir?: string;
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** One line per notable event (region done, access denied...). */
  log?: (line: string) => void;
  /** The run's clock (tests, reproducible runs); default now. */
  now?: Date;
  /** Our own retries per page after the SDK's, and their base delay. */
  pageRetries?: number;
  retryBaseMs?: number;
  /** Per operation name, or `default` for all others. */
  rateLimits?: Partial<Record<string, RateLimit>>;
  /** Called after each live page with the task id (tests interrupt runs with it). */
  onPage?: (task: string) => void;
}

/** "15m", "7d", "2w" → milliseconds; undefined when the text is not a duration. */
export const parseDuration = parseSpan;

/** `--history 7d` or `--history 2024-03-01` → the ISO time history starts from (graph/user-time.ts). */
export function resolveHistoryStart(spec: string, now: Date): string {
  return parseTimeOrSpan(spec, '--history', now);
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function validateOptions(o: CollectOptions): void {
  if (o.regions.length === 0)
    throw new InvalidInputError(
      'no region given',
      'use --region REGION (repeatable) or --all-regions; AWS_REGION is used when set',
    );
  for (const r of [...o.regions, ...(o.sourceRegions ?? [])]) {
    if (!REGION.test(r)) throw new InvalidInputError(`"${r}" is not an AWS region name`, 'e.g. eu-west-1');
  }
  if (o.aggregator !== undefined && !/^[\w-]{1,256}$/.test(o.aggregator))
    throw new InvalidInputError(`"${o.aggregator}" is not a valid aggregator name`, 'letters, digits, _ and -');
  for (const a of o.accounts ?? [])
    if (!/^\d{12}$/.test(a)) throw new InvalidInputError(`"${a}" is not a 12-digit account id`);
  for (const t of o.resourceTypes ?? [])
    if (!/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(t))
      throw new InvalidInputError(`"${t}" is not a resource type`, 'e.g. AWS::EC2::Instance');
  const pos = (v: number | undefined, name: string, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max))
      throw new InvalidInputError(`${name} must be a whole number from 1 to ${max}`);
  };
  pos(o.maxAttempts, '--max-attempts', 20);
  pos(o.concurrency, '--concurrency', 64);
  if (o.endpointUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(o.endpointUrl))
    throw new InvalidInputError(`--endpoint-url "${o.endpointUrl}" is not an http(s) URL`);
}
