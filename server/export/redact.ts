// Redacted exports, for sharing a picture of an estate without its identifiers: account ids,
// resource ids, names, ARNs, tags and configurations are removed or replaced by pseudonyms numbered
// in key order (account-1, resource-17). Types, regions, statuses, times and relationships stay, so
// the shape of the graph survives. Pure: the same graph gives the same redacted file.
import type { GraphEdge, ResourceNode, Scope } from '../../graph/model.ts';
import type { EdgePages, ExportData } from './data.ts';

/**
 * The redacted export's data. Edges read as the store pages them are redacted page by page as they are
 * written (their pseudonyms are numbered in the order they come), so a redacted export streams as the
 * plain one does.
 */
export function redactExport(data: ExportData): ExportData;
export function redactExport(data: ExportData<GraphEdge[] | EdgePages>): ExportData<GraphEdge[] | EdgePages>;
export function redactExport(data: ExportData<GraphEdge[] | EdgePages>): ExportData<GraphEdge[] | EdgePages> {
  const accounts = new Map<string, string>();
  const resources = new Map<string, string>();
  const account = (id: string): string => {
    let alias = accounts.get(id);
    if (alias === undefined) {
      alias = `account-${accounts.size + 1}`;
      accounts.set(id, alias);
    }
    return alias;
  };
  // Nodes arrive sorted by key, so numbering follows key order.
  for (const n of data.nodes) resources.set(n.key, `resource-${resources.size + 1}`);
  for (const n of data.nodes) account(n.accountId);
  const keyOf = (n: Pick<ResourceNode, 'accountId' | 'awsRegion' | 'resourceType'>, id: string): string =>
    `${account(n.accountId)}|${n.awsRegion}|${n.resourceType}|${id}`;
  const newKey = new Map<string, string>();
  const nodes = data.nodes.map((n): ResourceNode => {
    const id = resources.get(n.key) as string;
    const key = keyOf(n, id);
    newKey.set(n.key, key);
    const out: ResourceNode = {
      key,
      accountId: account(n.accountId),
      awsRegion: n.awsRegion,
      resourceType: n.resourceType,
      resourceId: id,
      status: n.status,
      recorded: n.recorded,
      tags: {},
    };
    if (n.availabilityZone !== undefined) out.availabilityZone = n.availabilityZone;
    if (n.captureTime !== undefined) out.captureTime = n.captureTime;
    return out;
  });
  let numbered = 0;
  const redactEdges = (page: GraphEdge[]): GraphEdge[] =>
    page
      .filter((e) => newKey.has(e.source) && newKey.has(e.target))
      .map((e): GraphEdge => {
        const out: GraphEdge = {
          id: `edge-${++numbered}`,
          source: newKey.get(e.source) as string,
          target: newKey.get(e.target) as string,
          name: e.name,
          type: e.type,
          origin: e.origin,
          validFrom: e.validFrom,
          validTo: e.validTo,
        };
        if (e.rule !== undefined) out.rule = e.rule;
        return out;
      });
  const source = data.edges;
  const edges = Array.isArray(source)
    ? redactEdges(source)
    : (async function* (): EdgePages {
        for await (const page of source) yield redactEdges(page);
      })();
  let scope: Scope | null = null;
  if (data.scope !== null) {
    scope = {};
    if (data.scope.accountId !== undefined) scope.accountId = account(data.scope.accountId);
    if (data.scope.awsRegion !== undefined) scope.awsRegion = data.scope.awsRegion;
  }
  const root = data.neighborhood === null ? undefined : newKey.get(data.neighborhood.root);
  const out: ExportData<GraphEdge[] | EdgePages> = {
    at: data.at,
    scope,
    neighborhood:
      data.neighborhood === null ? null : { ...data.neighborhood, ref: root ?? 'redacted', root: root ?? 'redacted' },
    nodes,
    edges,
    // Rule names are the auditor's own words, not the estate's: only the resource is pseudonymised.
    compliance: data.compliance
      .filter((c) => newKey.has(c.resource))
      .map((c) => ({ ...c, resource: newKey.get(c.resource) as string })),
  };
  // Configurations are full of ids, addresses and names: a redacted export carries none.
  if (data.versions !== undefined) out.versions = [];
  return out;
}
