// The current-state stage: every resource Config holds for a region (account mode) or for an
// aggregator. Advanced query brings configuration, relationships and tags; types it does not
// return (Config reports them in the discovered-resource counts, yet Select has none) come from
// ListDiscoveredResources + BatchGet, 100 keys per call, without relationships or tags.
import {
  BatchGetAggregateResourceConfigCommand,
  BatchGetResourceConfigCommand,
  GetAggregateDiscoveredResourceCountsCommand,
  GetDiscoveredResourceCountsCommand,
  ListAggregateDiscoveredResourcesCommand,
  ListDiscoveredResourcesCommand,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
  type AggregateResourceIdentifier,
  type BaseConfigurationItem,
  type ResourceKey as ApiResourceKey,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { keyOf } from '../../graph/identity.ts';
import type { CollectContext, ScopeOutcome } from './context.ts';
import { TaskError } from './pager.ts';
import { selectExpressions } from './query.ts';

const PAGE = 100;

// Resource types are open strings (new ones appear before the SDK's enum lists them).
const apiType = (t: string) => t as ResourceType;

interface SelectPage {
  Results: string[];
}
interface CountsPage {
  counts: [string, number][];
}
interface ListPage<K> {
  ids: K[];
}
interface BatchPage {
  items: BaseConfigurationItem[];
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function describe(e: TaskError): string {
  return `${e.errorName}: ${e.message}`;
}

/** Non-recoverable for the whole run: bad credentials or an interruption. */
function rethrowIfRunLevel(e: unknown): asserts e is TaskError {
  if (!(e instanceof TaskError)) throw e;
  if (e.kind === 'aborted' || e.kind === 'credentials') throw e;
}

function addSelectPage(
  ctx: CollectContext,
  outcome: ScopeOutcome,
  page: SelectPage,
  file: string,
  where: string,
  perType: Map<string, number>,
): void {
  page.Results.forEach((text, i) => {
    const source = { file, item: `${where} Results[${i}]`, shape: 'select-results' };
    let raw: unknown;
    try {
      raw = JSON.parse(text) as unknown;
    } catch {
      ctx.sink.skipped.push({ file, item: source.item, reason: 'the result is not valid JSON' });
      return;
    }
    const item = ctx.sink.add(raw, source, true);
    if (!item) return;
    outcome.members.add(keyOf(item));
    perType.set(item.resourceType, (perType.get(item.resourceType) ?? 0) + 1);
  });
  ctx.progress.resources = ctx.sink.current.size;
  ctx.progress.items = ctx.sink.size;
  ctx.emit();
}

function addBatchPage(ctx: CollectContext, outcome: ScopeOutcome, page: BatchPage, file: string, where: string): void {
  page.items.forEach((raw, i) => {
    const item = ctx.sink.add(raw, { file, item: `${where} baseConfigurationItems[${i}]`, shape: 'batch-get' }, true);
    if (item) outcome.members.add(keyOf(item));
  });
  ctx.progress.resources = ctx.sink.current.size;
  ctx.progress.items = ctx.sink.size;
  ctx.emit();
}

/**
 * Types Config counts but Select returned none of; notes types Select returned only some of (when
 * the counts cover exactly what was queried: several account/region filters widen them).
 */
function unsupportedTypes(
  ctx: CollectContext,
  outcome: ScopeOutcome,
  perType: Map<string, number>,
  exactCounts = true,
): string[] {
  const out: string[] = [];
  for (const [type, n] of outcome.expected ?? []) {
    const seen = perType.get(type) ?? 0;
    if (seen === 0) out.push(type);
    else if (seen < n && exactCounts)
      ctx.sink.notes.push(
        `${outcome.scope}: Config counts ${n} ${type} but advanced query returned ${seen} (counts can lag a recent change)`,
      );
  }
  return out.sort();
}

/** Account mode, one region; a region that rejects the credentials is reported, not fatal. */
export async function collectRegion(ctx: CollectContext, region: string): Promise<ScopeOutcome> {
  try {
    return await collectRegionInner(ctx, region);
  } catch (e) {
    // CredentialsProviderError (nothing found locally) stays fatal; a service rejecting the token may be a disabled region.
    if (!(e instanceof TaskError) || e.kind !== 'credentials' || e.errorName === 'CredentialsProviderError') throw e;
    const why = `${region}: AWS rejected the credentials (${describe(e)}); is this opt-in region enabled for the account?`;
    ctx.skip(region, why);
    ctx.log(why);
    return {
      scope: region,
      region,
      complete: false,
      problems: [why],
      members: new Set(),
      credentialsRejected: e.errorName,
    };
  }
}

async function collectRegionInner(ctx: CollectContext, region: string): Promise<ScopeOutcome> {
  const outcome: ScopeOutcome = { scope: region, region, complete: true, problems: [], members: new Set() };
  const client = ctx.client(region);
  const types = ctx.options.resourceTypes;
  if (types?.length) {
    outcome.complete = false;
    outcome.problems.push('limited to --type: not a full snapshot, so no deletions are inferred');
  }

  // 1. What Config holds here, per type: the progress total and the check for unsupported types.
  try {
    const pages = await ctx.runner.all<CountsPage>(`counts|${region}`, async (token, signal) => {
      const out = await client.send(
        new GetDiscoveredResourceCountsCommand({ limit: PAGE, nextToken: token, resourceTypes: types?.map(apiType) }),
        { abortSignal: signal },
      );
      return {
        data: {
          counts: (out.resourceCounts ?? []).map((c) => [c.resourceType ?? '', c.count ?? 0] as [string, number]),
        },
        next: out.nextToken || undefined,
      };
    });
    outcome.expected = new Map(pages.flatMap((p) => p.counts));
    let total = 0;
    for (const n of outcome.expected.values()) total += n;
    ctx.progress.expectedResources = (ctx.progress.expectedResources ?? 0) + total;
    ctx.emit();
  } catch (e) {
    rethrowIfRunLevel(e);
    if (
      e.kind === 'denied' ||
      e.kind === 'not-found' ||
      e.kind === 'fatal' ||
      e.kind === 'transient' ||
      e.kind === 'throttled'
    ) {
      outcome.complete = false;
      const why = `${region}: cannot list discovered-resource counts (${describe(e)}); types advanced query does not return were not collected and no deletions are inferred`;
      outcome.problems.push(why);
      ctx.skip(region, why);
    }
  }

  // 2. Advanced query, 100 per page.
  const perType = new Map<string, number>();
  const expressions = selectExpressions({ resourceTypes: types });
  try {
    for (const [q, expression] of expressions.entries()) {
      let n = 0;
      for await (const page of ctx.runner.pages<SelectPage>(`select|${region}|${q}`, async (token, signal) => {
        const out = await client.send(
          new SelectResourceConfigCommand({ Expression: expression, Limit: PAGE, NextToken: token }),
          { abortSignal: signal },
        );
        return { data: { Results: out.Results ?? [] }, next: out.NextToken || undefined };
      })) {
        addSelectPage(
          ctx,
          outcome,
          page,
          `config-api ${region} SelectResourceConfig`,
          `query ${q} page ${n++}`,
          perType,
        );
      }
    }
  } catch (e) {
    rethrowIfRunLevel(e);
    outcome.complete = false;
    const why = `${region}: advanced query failed (${describe(e)}); region skipped`;
    outcome.problems.push(why);
    ctx.skip(region, why);
    ctx.log(why);
    return outcome;
  }

  // 3. Types advanced query does not return.
  for (const type of unsupportedTypes(ctx, outcome, perType)) {
    try {
      const ids: ApiResourceKey[] = [];
      for await (const page of ctx.runner.pages<ListPage<ApiResourceKey>>(
        `list|${region}|${type}`,
        async (token, signal) => {
          const out = await client.send(
            new ListDiscoveredResourcesCommand({ resourceType: apiType(type), limit: PAGE, nextToken: token }),
            { abortSignal: signal },
          );
          const found = (out.resourceIdentifiers ?? [])
            .filter((r) => r.resourceId)
            .map((r) => ({ resourceType: r.resourceType ?? apiType(type), resourceId: r.resourceId! }));
          return { data: { ids: found }, next: out.nextToken || undefined };
        },
      )) {
        ids.push(...page.ids);
      }
      let got = 0;
      for (const [b, keys] of chunks(ids, PAGE).entries()) {
        // A batch's "token" is the keys still unprocessed; Config may leave some for a later call.
        let n = 0;
        for await (const page of ctx.runner.pages<BatchPage>(`batch|${region}|${type}|${b}`, async (token, signal) => {
          const want = token ? (JSON.parse(token) as ApiResourceKey[]) : keys;
          const out = await client.send(new BatchGetResourceConfigCommand({ resourceKeys: want }), {
            abortSignal: signal,
          });
          const rest = out.unprocessedResourceKeys ?? [];
          if (rest.length >= want.length)
            throw Object.assign(new Error(`BatchGetResourceConfig processed none of ${want.length} keys`), {
              name: 'ThrottlingException',
            });
          return {
            data: { items: out.baseConfigurationItems ?? [] },
            next: rest.length ? JSON.stringify(rest) : undefined,
          };
        })) {
          got += page.items.length;
          addBatchPage(
            ctx,
            outcome,
            page,
            `config-api ${region} BatchGetResourceConfig`,
            `${type} batch ${b} call ${n++}`,
          );
        }
      }
      ctx.sink.notes.push(
        `${region}: ${got} ${type} from BatchGetResourceConfig (advanced query does not return this type): Config gives no relationships or tags for them`,
      );
    } catch (e) {
      rethrowIfRunLevel(e);
      outcome.complete = false;
      const why = `${region}: ${type} not collected (${describe(e)})`;
      outcome.problems.push(why);
      ctx.skip(region, why);
      ctx.log(why);
    }
  }
  if (outcome.members.size === 0 && outcome.complete)
    ctx.sink.notes.push(`${region}: Config returned no resources; nothing to infer deletions from`);
  return outcome;
}

/** Aggregator mode: every account and region the aggregator covers, in one scope. */
export async function collectAggregator(ctx: CollectContext, name: string, region: string): Promise<ScopeOutcome> {
  const scope = `aggregator ${name}`;
  const outcome: ScopeOutcome = { scope, region, complete: true, problems: [], members: new Set() };
  const client = ctx.client(region);
  const o = ctx.options;
  if (o.resourceTypes?.length) {
    outcome.complete = false;
    outcome.problems.push('limited to --type: not a full snapshot, so no deletions are inferred');
  }
  const sourceRegions = o.sourceRegions?.length ? [...o.sourceRegions, 'global'] : undefined;
  const inFilter = (account: string, r: string) =>
    (!o.accounts?.length || o.accounts.includes(account)) && (!sourceRegions || sourceRegions.includes(r));

  try {
    const pages = await ctx.runner.all<CountsPage>(`counts|${scope}`, async (token, signal) => {
      const filters = {
        AccountId: o.accounts?.length === 1 ? o.accounts[0] : undefined,
        Region: o.sourceRegions?.length === 1 ? o.sourceRegions[0] : undefined,
      };
      const out = await client.send(
        new GetAggregateDiscoveredResourceCountsCommand({
          ConfigurationAggregatorName: name,
          GroupByKey: 'RESOURCE_TYPE',
          Filters: filters,
          Limit: 1000,
          NextToken: token,
        }),
        { abortSignal: signal },
      );
      return {
        data: {
          counts: (out.GroupedResourceCounts ?? []).map(
            (c) => [c.GroupName ?? '', c.ResourceCount ?? 0] as [string, number],
          ),
        },
        next: out.NextToken || undefined,
      };
    });
    outcome.expected = new Map(
      pages.flatMap((p) => p.counts).filter(([t]) => !o.resourceTypes?.length || o.resourceTypes.includes(t)),
    );
    let total = 0;
    for (const n of outcome.expected.values()) total += n;
    ctx.progress.expectedResources = total;
    ctx.emit();
  } catch (e) {
    rethrowIfRunLevel(e);
    if (e.kind === 'not-found')
      throw new TaskError(e.task, 'fatal', e.errorName, `aggregator "${name}" not found in ${region}: ${e.message}`);
    outcome.complete = false;
    const why = `${scope}: cannot list discovered-resource counts (${describe(e)}); types advanced query does not return were not collected`;
    outcome.problems.push(why);
    ctx.skip(scope, why);
  }

  const perType = new Map<string, number>();
  const expressions = selectExpressions({
    resourceTypes: o.resourceTypes,
    accountIds: o.accounts,
    regions: sourceRegions,
  });
  try {
    for (const [q, expression] of expressions.entries()) {
      let n = 0;
      for await (const page of ctx.runner.pages<SelectPage>(`select|${scope}|${q}`, async (token, signal) => {
        const out = await client.send(
          new SelectAggregateResourceConfigCommand({
            Expression: expression,
            ConfigurationAggregatorName: name,
            Limit: PAGE,
            NextToken: token,
          }),
          { abortSignal: signal },
        );
        return { data: { Results: out.Results ?? [] }, next: out.NextToken || undefined };
      })) {
        addSelectPage(
          ctx,
          outcome,
          page,
          `config-api ${scope} SelectAggregateResourceConfig`,
          `query ${q} page ${n++}`,
          perType,
        );
      }
    }
  } catch (e) {
    rethrowIfRunLevel(e);
    if (e.kind === 'not-found')
      throw new TaskError(e.task, 'fatal', e.errorName, `aggregator "${name}" not found in ${region}: ${e.message}`);
    outcome.complete = false;
    const why = `${scope}: advanced query failed (${describe(e)})`;
    outcome.problems.push(why);
    ctx.skip(scope, why);
    return outcome;
  }

  const exactCounts = (o.accounts?.length ?? 0) <= 1 && (o.sourceRegions?.length ?? 0) <= 1;
  for (const type of unsupportedTypes(ctx, outcome, perType, exactCounts)) {
    try {
      const ids: AggregateResourceIdentifier[] = [];
      for await (const page of ctx.runner.pages<ListPage<AggregateResourceIdentifier>>(
        `list|${scope}|${type}`,
        async (token, signal) => {
          const filters = {
            AccountId: o.accounts?.length === 1 ? o.accounts[0] : undefined,
            Region: o.sourceRegions?.length === 1 ? o.sourceRegions[0] : undefined,
          };
          const out = await client.send(
            new ListAggregateDiscoveredResourcesCommand({
              ConfigurationAggregatorName: name,
              ResourceType: apiType(type),
              Filters: filters,
              Limit: PAGE,
              NextToken: token,
            }),
            { abortSignal: signal },
          );
          return { data: { ids: out.ResourceIdentifiers ?? [] }, next: out.NextToken || undefined };
        },
      )) {
        ids.push(...page.ids.filter((i) => inFilter(i.SourceAccountId ?? '', i.SourceRegion ?? '')));
      }
      let got = 0;
      for (const [b, keys] of chunks(ids, PAGE).entries()) {
        let n = 0;
        for await (const page of ctx.runner.pages<BatchPage>(`batch|${scope}|${type}|${b}`, async (token, signal) => {
          const want = token ? (JSON.parse(token) as AggregateResourceIdentifier[]) : keys;
          const out = await client.send(
            new BatchGetAggregateResourceConfigCommand({
              ConfigurationAggregatorName: name,
              ResourceIdentifiers: want,
            }),
            { abortSignal: signal },
          );
          const rest = out.UnprocessedResourceIdentifiers ?? [];
          if (rest.length >= want.length)
            throw Object.assign(new Error(`BatchGetAggregateResourceConfig processed none of ${want.length} keys`), {
              name: 'ThrottlingException',
            });
          return {
            data: { items: out.BaseConfigurationItems ?? [] },
            next: rest.length ? JSON.stringify(rest) : undefined,
          };
        })) {
          got += page.items.length;
          addBatchPage(
            ctx,
            outcome,
            page,
            `config-api ${scope} BatchGetAggregateResourceConfig`,
            `${type} batch ${b} call ${n++}`,
          );
        }
      }
      ctx.sink.notes.push(
        `${scope}: ${got} ${type} from BatchGetAggregateResourceConfig (advanced query does not return this type): Config gives no relationships or tags for them`,
      );
    } catch (e) {
      rethrowIfRunLevel(e);
      outcome.complete = false;
      const why = `${scope}: ${type} not collected (${describe(e)})`;
      outcome.problems.push(why);
      ctx.skip(scope, why);
    }
  }
  return outcome;
}
