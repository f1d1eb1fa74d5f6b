// Every subcommand, by name: what `--help` and the argument parser need (cheap data), and a loader for
// the module that runs it. Nothing here imports a command's module, so `configgraph --help`, `--version`
// and a command's own `--help` load neither Express nor the AWS SDK, and `stats` loads only the store.
// Add a command: one file in ./commands exporting its run function, and one entry here.
import {
  EXPORT_FORMATS,
  NEIGHBORHOOD_DEPTH,
  NEIGHBORHOOD_LIMIT,
  SEARCH_LIMIT,
  type IntRange,
} from '../../graph/query-limits.ts';
import type { CliCommand } from './command.ts';

const span = (r: IntRange) => `${r.min}-${r.max}`;

/** The collector's flags: `collect` takes them all, `serve` all but --resume (its "refresh now" collects the same). */
const COLLECT_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string', multiple: true },
  'all-regions': { type: 'boolean' },
  aggregator: { type: 'string' },
  account: { type: 'string', multiple: true },
  'source-region': { type: 'string', multiple: true },
  type: { type: 'string', multiple: true },
  history: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'max-attempts': { type: 'string' },
  concurrency: { type: 'string' },
  resume: { type: 'boolean' },
  'checkpoint-dir': { type: 'string' },
} as const satisfies CliCommand['options'];

export const COMMANDS: CliCommand[] = [
  {
    name: 'import',
    summary: 'import AWS Config data (and CloudTrail logs) from files, folders and s3:// delivery buckets',
    usage:
      'import <files, folders or s3://bucket/prefix...> [--account ID] [--accounts ID]... [--regions R]... [--from DAY --to DAY] [--profile P] [--bucket-region R] [--endpoint-url URL] [--items-per-run N] [--reimport] [--max-file-mb N] [--max-nesting N] [--max-string-kb N] [--store S] [--json]',
    options: {
      account: { type: 'string' },
      accounts: { type: 'string', multiple: true },
      regions: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      profile: { type: 'string' },
      'bucket-region': { type: 'string' },
      'endpoint-url': { type: 'string' },
      'items-per-run': { type: 'string' },
      reimport: { type: 'boolean' },
      'max-file-mb': { type: 'string' },
      'max-nesting': { type: 'string' },
      'max-string-kb': { type: 'string' },
    },
    load: async () => (await import('./commands/import.ts')).runImport,
  },
  {
    name: 'neighbors',
    summary: 'what a resource touches: its neighbourhood 1–3 hops out, in both directions',
    usage: `neighbors <ref> [--depth ${span(NEIGHBORHOOD_DEPTH)} | --view attachments|network] [--at ISO-TIME] [--type TYPE]... [--limit ${span(NEIGHBORHOOD_LIMIT)}] [--json]`,
    options: {
      depth: { type: 'string' },
      view: { type: 'string' },
      at: { type: 'string' },
      type: { type: 'string', multiple: true },
      limit: { type: 'string' },
    },
    load: async () => (await import('./commands/neighbors.ts')).runNeighbors,
  },
  {
    name: 'history',
    summary: 'every version of a resource, oldest first, with what changed in each',
    usage: 'history <ref> [--json]',
    options: {},
    load: async () => (await import('./commands/history.ts')).runHistory,
  },
  {
    name: 'diff',
    summary: 'what was added, removed and changed between two times',
    usage: 'diff --from ISO-TIME --to ISO-TIME [--account ID] [--region R] [--json]',
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      account: { type: 'string' },
      region: { type: 'string' },
    },
    load: async () => (await import('./commands/diff.ts')).runDiff,
  },
  {
    name: 'search',
    summary: 'find resources by id, name, ARN, tag, IP address or DNS name',
    usage: `search <text> [--type T] [--account ID] [--region R] [--limit ${span(SEARCH_LIMIT)}] [--json]`,
    options: {
      type: { type: 'string' },
      account: { type: 'string' },
      region: { type: 'string' },
      limit: { type: 'string' },
    },
    load: async () => (await import('./commands/search.ts')).runSearch,
  },
  {
    name: 'compliance',
    summary: 'which resources had which AWS Config rule result at a time, and since when',
    usage:
      'compliance [--rule R] [--status COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE|INSUFFICIENT_DATA] [--at ISO-TIME] [--account ID] [--region R] [--json]',
    options: {
      rule: { type: 'string' },
      status: { type: 'string' },
      at: { type: 'string' },
      account: { type: 'string' },
      region: { type: 'string' },
    },
    load: async () => (await import('./commands/compliance.ts')).runCompliance,
  },
  {
    name: 'stats',
    summary: 'what the store holds: counts by type, account and region, and the last run',
    usage: 'stats [--json]',
    options: {},
    load: async () => (await import('./commands/stats.ts')).runStats,
  },
  {
    name: 'runs',
    summary: 'imports and collections, newest first, with their counts and what was skipped',
    usage: 'runs [--json]',
    options: {},
    load: async () => (await import('./commands/stats.ts')).runRuns,
  },
  {
    name: 'serve',
    summary: 'serve the HTTP API and the explorer (http://127.0.0.1:8080)',
    usage:
      'serve [--port 8080] [--host 127.0.0.1] [--store S] [--demo] [--log-requests] [--cors-origin URL]... [--allow-host NAME]... [--client-dir DIR] ' +
      '[--region R ... | --all-regions] [--aggregator NAME] [--profile P] [--history 7d] [--collect-every 15m] (collector flags as for `collect`)',
    options: {
      ...Object.fromEntries(Object.entries(COLLECT_OPTIONS).filter(([name]) => name !== 'resume')),
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      demo: { type: 'boolean' },
      'collect-every': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      'client-dir': { type: 'string' },
      'log-requests': { type: 'boolean' },
    },
    load: async () => (await import('./commands/serve.ts')).runServe,
  },
  {
    name: 'export',
    summary: 'write the graph (or a scope or neighbourhood) as of a time as JSON, CSV, GraphML or draw.io',
    usage: `export --format ${EXPORT_FORMATS.join('|')} [--at ISO-TIME] [--scope ACCOUNT[/REGION]] [--ref REF [--depth ${span(NEIGHBORHOOD_DEPTH)}]] [--redact] [--out FILE]`,
    options: {
      format: { type: 'string' },
      at: { type: 'string' },
      scope: { type: 'string' },
      ref: { type: 'string' },
      depth: { type: 'string' },
      out: { type: 'string', short: 'o' },
      redact: { type: 'boolean' },
    },
    load: async () => (await import('./commands/export.ts')).runExport,
  },
  {
    name: 'verify',
    summary: 'check an export (JSON or CSV archive) against its manifest; exits 1 on any mismatch',
    usage: 'verify <export-file> [--json]',
    options: {},
    load: async () => (await import('./commands/verify.ts')).runVerify,
  },
  {
    name: 'collect',
    summary:
      'collect live AWS Config data (an account’s regions, or an organisation aggregator), optionally with history',
    usage:
      'collect [--profile P] (--region R ... | --all-regions) [--aggregator NAME [--account ID ...] [--source-region R ...]] ' +
      '[--type AWS::X::Y ...] [--history 7d|DATE] [--endpoint-url URL] [--max-attempts N] [--concurrency N] [--resume] [--store S] [--json]',
    options: COLLECT_OPTIONS,
    load: async () => (await import('./commands/collect.ts')).runCollect,
  },
  {
    name: 'migrate',
    summary:
      "bring a store written by an older configgraph to this one's schema (--dry-run: only say what would change)",
    usage: 'migrate [--dry-run] [--store S] [--json]',
    options: { 'dry-run': { type: 'boolean' } },
    load: async () => (await import('./commands/migrate.ts')).runMigrate,
  },
];
