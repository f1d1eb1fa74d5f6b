// GraphML (http://graphml.graphdrawing.org/) with typed attribute keys: Gephi shows `label`, and
// yEd maps any attribute to labels via Edit › Properties Mapper. Node ids are positional (n0…)
// because resource keys contain characters GraphML ids may not; the key is an attribute.
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { canonicalJson } from '../../graph/canonical.ts';
import { pagesOf, type EdgePages, type ExportData } from './data.ts';
import { xmlText } from './xml.ts';

interface KeyDef {
  id: string;
  for: 'node' | 'edge' | 'graph';
  name: string;
  type: 'string' | 'boolean';
  value: (item: never) => string | boolean | undefined | null;
}

export function nodeLabel(n: ResourceNode): string {
  return n.resourceName !== undefined && n.resourceName !== '' ? n.resourceName : n.resourceId;
}

const NODE_KEYS: KeyDef[] = [
  { id: 'label', for: 'node', name: 'label', type: 'string', value: (n: ResourceNode) => nodeLabel(n) },
  { id: 'key', for: 'node', name: 'key', type: 'string', value: (n: ResourceNode) => n.key },
  { id: 'resourceType', for: 'node', name: 'resourceType', type: 'string', value: (n: ResourceNode) => n.resourceType },
  { id: 'resourceId', for: 'node', name: 'resourceId', type: 'string', value: (n: ResourceNode) => n.resourceId },
  { id: 'resourceName', for: 'node', name: 'resourceName', type: 'string', value: (n: ResourceNode) => n.resourceName },
  { id: 'accountId', for: 'node', name: 'accountId', type: 'string', value: (n: ResourceNode) => n.accountId },
  { id: 'awsRegion', for: 'node', name: 'awsRegion', type: 'string', value: (n: ResourceNode) => n.awsRegion },
  {
    id: 'availabilityZone',
    for: 'node',
    name: 'availabilityZone',
    type: 'string',
    value: (n: ResourceNode) => n.availabilityZone,
  },
  { id: 'arn', for: 'node', name: 'arn', type: 'string', value: (n: ResourceNode) => n.arn },
  { id: 'status', for: 'node', name: 'status', type: 'string', value: (n: ResourceNode) => n.status },
  { id: 'recorded', for: 'node', name: 'recorded', type: 'boolean', value: (n: ResourceNode) => n.recorded },
  { id: 'captureTime', for: 'node', name: 'captureTime', type: 'string', value: (n: ResourceNode) => n.captureTime },
  { id: 'tags', for: 'node', name: 'tags', type: 'string', value: (n: ResourceNode) => canonicalJson(n.tags ?? {}) },
];

const EDGE_KEYS: KeyDef[] = [
  { id: 'e_label', for: 'edge', name: 'label', type: 'string', value: (e: GraphEdge) => e.name.trim() },
  { id: 'e_id', for: 'edge', name: 'edgeId', type: 'string', value: (e: GraphEdge) => e.id },
  { id: 'e_name', for: 'edge', name: 'relationshipName', type: 'string', value: (e: GraphEdge) => e.name },
  { id: 'e_type', for: 'edge', name: 'type', type: 'string', value: (e: GraphEdge) => e.type },
  { id: 'e_origin', for: 'edge', name: 'origin', type: 'string', value: (e: GraphEdge) => e.origin },
  { id: 'e_rule', for: 'edge', name: 'rule', type: 'string', value: (e: GraphEdge) => e.rule },
  { id: 'e_validFrom', for: 'edge', name: 'validFrom', type: 'string', value: (e: GraphEdge) => e.validFrom },
  { id: 'e_validTo', for: 'edge', name: 'validTo', type: 'string', value: (e: GraphEdge) => e.validTo },
];

function dataLines(keys: KeyDef[], item: unknown, indent: string): string {
  let out = '';
  for (const k of keys) {
    const v = (k.value as (i: unknown) => string | boolean | undefined | null)(item);
    if (v === undefined || v === null) continue;
    out += `${indent}<data key="${k.id}">${xmlText(String(v))}</data>\n`;
  }
  return out;
}

export async function* graphmlExport(data: ExportData<GraphEdge[] | EdgePages>): AsyncGenerator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
  );
  yield '  <key id="g_at" for="graph" attr.name="at" attr.type="string"/>\n';
  yield '  <key id="g_scope" for="graph" attr.name="scope" attr.type="string"/>\n';
  for (const k of [...NODE_KEYS, ...EDGE_KEYS]) {
    yield `  <key id="${k.id}" for="${k.for}" attr.name="${k.name}" attr.type="${k.type}"/>\n`;
  }
  yield '  <graph id="configgraph" edgedefault="directed">\n';
  yield `    <data key="g_at">${xmlText(data.at)}</data>\n`;
  const scope = data.neighborhood ?? data.scope;
  if (scope !== null) yield `    <data key="g_scope">${xmlText(canonicalJson(scope))}</data>\n`;
  const ids = new Map<string, string>();
  data.nodes.forEach((n, i) => ids.set(n.key, `n${i}`));
  for (const n of data.nodes) {
    yield `    <node id="${ids.get(n.key)}">\n${dataLines(NODE_KEYS, n, '      ')}    </node>\n`;
  }
  let i = 0;
  // A page of edges is written as one string: a whole graph's edges may come page by page from the store.
  for await (const page of pagesOf(data.edges)) {
    let text = '';
    for (const e of page) {
      const s = ids.get(e.source);
      const t = ids.get(e.target);
      if (s === undefined || t === undefined) continue; // an edge to a node outside the export
      text += `    <edge id="e${i++}" source="${s}" target="${t}">\n${dataLines(EDGE_KEYS, e, '      ')}    </edge>\n`;
    }
    yield text;
  }
  yield '  </graph>\n</graphml>\n';
}
