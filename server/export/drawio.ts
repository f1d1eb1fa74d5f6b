// draw.io (diagrams.net) XML: an uncompressed <mxfile> whose containers nest account › region › VPC ›
// availability zone › subnet exactly as the explorer draws them (graph/grouping.ts, SPEC G1–G7): the
// VPC and subnet resources are their containers. Each container packs its resources in a compact grid
// and its inner containers beside them, so the file opens as nested boxes and can be rearranged.
// Connections are the explorer's too (G8, G9): a reverse twin is one edge with both names; links to a
// resource's own container are left out. Resources carry their family's colour and shipped icon.
// Labels are plain text (html=0): resource names and tags are untrusted and must not become markup.
// A resource breaking a Config rule at `at` is marked in words (a label line naming the rules) and by a
// thick red dashed border, so the mark does not rest on colour alone (SPEC C5).
import { readableConnections } from '../../graph/connections.ts';
import { FAMILY_COLOURS, familyOf, lightTint, recolourIcon, type Family } from '../../graph/family.ts';
import { groupNodes, type GroupDef, type GroupKind } from '../../graph/grouping.ts';
import type { ResourceNode } from '../../graph/model.ts';
import type { ExportData } from './data.ts';
import { nodeLabel } from './graphml.ts';
import { iconSvgs } from './icons.ts';
import { xmlText } from './xml.ts';

const LEAF = { w: 200, h: 56 };
const GAP = 20;
const PAD = 16;
const HEADER = 30;
const MAX_ROW_WIDTH = 1600;
const LEAF_COLUMNS = 4;

const CONTAINER = 'swimlane;html=0;whiteSpace=wrap;startSize=30;container=1;collapsible=0;';
const GROUP_STYLE: Record<GroupKind, string> = {
  account: `${CONTAINER}fontStyle=1;fillColor=#F7F7F7;strokeColor=#232F3E;`,
  region: `${CONTAINER}dashed=1;fillColor=none;strokeColor=#147EBA;fontColor=#147EBA;`,
  vpc: `${CONTAINER}fillColor=#F4EFFF;strokeColor=#8C4FFF;fontColor=#5A30B5;`,
  az: `${CONTAINER}dashed=1;fillColor=none;strokeColor=#8A6D3B;fontColor=#6B5226;`,
  subnet: `${CONTAINER}fillColor=#F2F6E8;strokeColor=#7AA116;fontColor=#3F5A0A;`,
};

/** The label line and style added to a resource that breaks a rule at the export's time. */
export const NON_COMPLIANT_SUFFIX = '⚠ non-compliant';
const NON_COMPLIANT_STYLE = 'strokeColor=#D13212;strokeWidth=3;dashed=1;dashPattern=8 4;nonCompliant=1;';

/** The rules each resource breaks at `at` (NON_COMPLIANT results only), by resource key. */
export function brokenRules(data: Pick<ExportData, 'compliance'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of data.compliance) {
    if (c.status !== 'NON_COMPLIANT') continue;
    out.set(c.resource, [...(out.get(c.resource) ?? []), c.rule]);
  }
  return out;
}

/** Each family's icon in its colour, as base64: the same for every resource of the family. */
const familyIcons = new Map<Family, string>();
function familyIcon(family: Family, colour: string): string {
  let icon = familyIcons.get(family);
  if (icon === undefined) {
    icon = Buffer.from(recolourIcon(iconSvgs()[family], colour)).toString('base64');
    familyIcons.set(family, icon);
  }
  return icon;
}

/** A resource's style: its family's tint and border, and the family icon in the family colour. */
function leafStyle(n: ResourceNode, nonCompliant: boolean): string {
  const family = familyOf(n.resourceType);
  const colour = FAMILY_COLOURS[family];
  // draw.io reads `data:image/svg+xml,<base64>` in styles (a ";base64" would end the style value).
  const icon = familyIcon(family, colour);
  let style =
    `shape=label;rounded=1;whiteSpace=wrap;html=0;fontSize=11;align=left;spacingLeft=40;` +
    `image=data:image/svg+xml,${icon};imageWidth=28;imageHeight=28;imageAlign=left;imageVerticalAlign=middle;` +
    `fillColor=${lightTint(colour)};strokeColor=${colour};family=${family};`;
  if (!n.recorded) style += 'dashed=1;';
  if (/deleted/i.test(n.status)) style += 'opacity=50;';
  // Last, so its border wins over the family's.
  if (nonCompliant) style += NON_COMPLIANT_STYLE;
  return style;
}

interface Tree {
  def: GroupDef;
  node?: ResourceNode;
  groups: Tree[];
  members: ResourceNode[];
}

interface Placed {
  kind: 'leaf' | 'group' | 'block';
  node?: ResourceNode;
  tree?: Tree;
  x: number;
  y: number;
  w: number;
  h: number;
  children: Placed[];
}

/** A container: its resources in a grid of at most LEAF_COLUMNS columns, then its inner containers. */
function layoutGroup(tree: Tree): Placed {
  const items: Placed[] = [];
  if (tree.members.length > 0) {
    const cols = Math.min(LEAF_COLUMNS, Math.ceil(Math.sqrt(tree.members.length)));
    const leaves = tree.members.map((n, i): Placed => ({
      kind: 'leaf',
      node: n,
      x: (i % cols) * (LEAF.w + GAP),
      y: Math.floor(i / cols) * (LEAF.h + GAP),
      w: LEAF.w,
      h: LEAF.h,
      children: [],
    }));
    const rows = Math.ceil(leaves.length / cols);
    items.push({
      kind: 'block',
      x: 0,
      y: 0,
      w: cols * (LEAF.w + GAP) - GAP,
      h: rows * (LEAF.h + GAP) - GAP,
      children: leaves,
    });
  }
  items.push(...tree.groups.map(layoutGroup));
  const { width, height } = shelfPack(items, PAD, HEADER + PAD);
  return {
    kind: 'group',
    tree,
    x: 0,
    y: 0,
    w: Math.max(width + PAD, 240),
    h: Math.max(height + PAD, HEADER + LEAF.h),
    children: items,
  };
}

/** Places items left to right, wrapping rows at MAX_ROW_WIDTH (or the widest item). */
function shelfPack(items: Placed[], left: number, top: number): { width: number; height: number } {
  const rowLimit = Math.max(MAX_ROW_WIDTH, ...items.map((i) => i.w));
  let x = left;
  let y = top;
  let rowHeight = 0;
  let width = left;
  for (const item of items) {
    if (x > left && x + item.w > left + rowLimit) {
      x = left;
      y += rowHeight + GAP;
      rowHeight = 0;
    }
    item.x = x;
    item.y = y;
    x += item.w + GAP;
    rowHeight = Math.max(rowHeight, item.h);
    width = Math.max(width, item.x + item.w);
  }
  return { width, height: items.length === 0 ? top : y + rowHeight };
}

/** The grouping as a tree of containers; a VPC or subnet resource is its container, not a member. */
function treeOf(data: Pick<ExportData, 'nodes' | 'edges'>): { top: Tree[]; grouping: ReturnType<typeof groupNodes> } {
  const grouping = groupNodes(data.nodes, data.edges);
  const byKey = new Map(data.nodes.map((n) => [n.key, n] as const));
  const trees = new Map<string, Tree>();
  const top: Tree[] = [];
  for (const def of grouping.groups) {
    const tree: Tree = { def, groups: [], members: [] };
    const node = def.resource ? byKey.get(def.resource) : undefined;
    if (node) tree.node = node;
    trees.set(def.id, tree);
    const parent = def.parent ? trees.get(def.parent) : undefined;
    (parent ? parent.groups : top).push(tree);
  }
  for (const n of [...data.nodes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const tree = trees.get(grouping.parentOf.get(n.key) ?? '');
    if (tree && tree.def.resource !== n.key) tree.members.push(n);
  }
  return { top, grouping };
}

function attr(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : ` ${name}="${xmlText(value)}"`;
}

/**
 * The file, cell by cell: the containers and resources are written as they are laid out (they are most of
 * the file), then the connections, which need every edge (G8's twins, G9's enclosing boxes).
 */
export function* drawioExport(data: ExportData): Generator<string> {
  const { top: trees, grouping } = treeOf(data);
  const broken = brokenRules(data);
  const top = trees.map(layoutGroup);
  shelfPack(top, 0, 0);

  const cellOf = new Map<string, string>(); // resource key → cell id
  let next = 2;

  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<mxfile host="configgraph" type="device">\n<diagram id="configgraph"${attr('name', `configgraph as of ${data.at}`)}>\n`;
  yield '<mxGraphModel grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="0" math="0" shadow="0">\n<root>\n';
  yield '<mxCell id="0"/>\n<mxCell id="1" parent="0"/>\n';

  function* emit(p: Placed, parent: string, dx: number, dy: number): Generator<string> {
    if (p.kind === 'block') {
      // A block is only a grid inside its container: its leaves take its offset.
      for (const child of p.children) yield* emit(child, parent, dx + p.x, dy + p.y);
      return;
    }
    const id = `c${next++}`;
    const geometry = `<mxGeometry x="${dx + p.x}" y="${dy + p.y}" width="${p.w}" height="${p.h}" as="geometry"/>`;
    if (p.kind === 'leaf' && p.node !== undefined) {
      const n = p.node;
      cellOf.set(n.key, id);
      const rules = broken.get(n.key);
      const label =
        `${nodeLabel(n)}\n${n.resourceType.replace(/^AWS::/i, '')}` +
        (rules ? `\n${NON_COMPLIANT_SUFFIX}: ${rules.join(', ')}` : '');
      yield (
        `<object id="${id}"${attr('label', label)}${attr('key', n.key)}${attr('resourceType', n.resourceType)}${attr('resourceId', n.resourceId)}` +
        `${attr('arn', n.arn)}${attr('status', n.status)}${attr('nonCompliantRules', rules?.join(', '))}>` +
        `<mxCell style="${xmlText(leafStyle(n, rules !== undefined))}" vertex="1" parent="${parent}">${geometry}</mxCell></object>\n`
      );
      return;
    }
    const tree = p.tree as Tree;
    const n = tree.node;
    if (n !== undefined) cellOf.set(n.key, id);
    else if (tree.def.resource !== undefined) cellOf.set(tree.def.resource, id);
    // A VPC or subnet resource is its container: the mark goes on the container.
    const containerRules = tree.def.resource !== undefined ? broken.get(tree.def.resource) : undefined;
    const containerLabel = containerRules
      ? `${tree.def.label} — ${NON_COMPLIANT_SUFFIX}: ${containerRules.join(', ')}`
      : tree.def.label;
    const containerStyle = GROUP_STYLE[tree.def.kind] + (containerRules ? NON_COMPLIANT_STYLE : '');
    yield (
      `<object id="${id}"${attr('label', containerLabel)}${attr('key', tree.def.resource)}${attr('resourceType', n?.resourceType)}${attr('nonCompliantRules', containerRules?.join(', '))}>` +
      `<mxCell style="${xmlText(containerStyle)}" vertex="1" parent="${parent}">${geometry}</mxCell></object>\n`
    );
    for (const child of p.children) yield* emit(child, id, 0, 0);
  }
  for (const p of top) yield* emit(p, '1', 0, 0);

  for (const c of readableConnections(data.edges, grouping).drawn) {
    const s = cellOf.get(c.source);
    const t = cellOf.get(c.target);
    if (s === undefined || t === undefined) continue;
    let style = 'endArrow=block;endFill=1;html=0;rounded=0;fontSize=9;strokeColor=#545B64;';
    // A reverse twin was recorded from both ends (SPEC G8).
    style += c.edges.length > 1 ? 'startArrow=block;startFill=1;' : 'startArrow=none;';
    if (c.origin === 'derived') style += 'dashed=1;strokeColor=#8D99A8;';
    yield (
      `<mxCell id="c${next++}"${attr('value', c.names.join(' / '))} style="${xmlText(style)}" edge="1" parent="1" source="${s}" target="${t}">` +
      '<mxGeometry relative="1" as="geometry"/></mxCell>\n'
    );
  }

  yield '</root>\n</mxGraphModel>\n</diagram>\n</mxfile>\n';
}
