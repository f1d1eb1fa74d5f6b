// draw.io (diagrams.net) XML: an uncompressed <mxfile> whose containers nest account › region ›
// VPC › subnet, laid out with a simple shelf packing so it opens readable and can be rearranged.
// Labels are plain text (html=0): resource names and tags are untrusted and must not become markup.
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import type { ExportData } from './data.ts';
import { nodeLabel } from './graphml.ts';
import { groupForDiagram, type Group, type GroupKind } from './grouping.ts';
import { xmlText } from './xml.ts';

const LEAF = { w: 190, h: 56 };
const GAP = 20;
const PAD = 16;
const HEADER = 30;
const MAX_ROW_WIDTH = 1600;

const GROUP_STYLE: Record<GroupKind, string> = {
  account:
    'swimlane;html=0;whiteSpace=wrap;startSize=30;container=1;collapsible=0;fontStyle=1;fillColor=#F7F7F7;strokeColor=#232F3E;',
  region:
    'swimlane;html=0;whiteSpace=wrap;startSize=30;container=1;collapsible=0;dashed=1;fillColor=none;strokeColor=#147EBA;fontColor=#147EBA;',
  vpc: 'swimlane;html=0;whiteSpace=wrap;startSize=30;container=1;collapsible=0;fillColor=#F4EFFF;strokeColor=#8C4FFF;fontColor=#5A30B5;',
  subnet:
    'swimlane;html=0;whiteSpace=wrap;startSize=30;container=1;collapsible=0;fillColor=#F2F6E8;strokeColor=#7AA116;fontColor=#3F5A0A;',
};

/** Fill colours per service family, so a picture reads at a glance (EC2 orange, databases blue...). */
function familyColour(type: string): string {
  const t = type.toLowerCase();
  if (t.startsWith('aws::ec2::') || t.startsWith('aws::autoscaling::')) return '#FCE3C8';
  if (t.startsWith('aws::rds::') || t.startsWith('aws::dynamodb::')) return '#DCE6FB';
  if (t.startsWith('aws::lambda::')) return '#FFE7B3';
  if (t.startsWith('aws::iam::')) return '#F9DADA';
  if (t.startsWith('aws::s3::')) return '#DDF1D5';
  if (t.startsWith('aws::elasticloadbalancing')) return '#E9DDF8';
  return '#EEEEEE';
}

interface Placed {
  kind: 'leaf' | 'group';
  node?: ResourceNode;
  group?: Group;
  x: number;
  y: number;
  w: number;
  h: number;
  children: Placed[];
}

/** Lays out a group's members and subgroups in rows; returns the group's own size. */
function layoutGroup(group: Group): Placed {
  const items: Placed[] = [
    ...group.members.map((n): Placed => ({ kind: 'leaf', node: n, x: 0, y: 0, w: LEAF.w, h: LEAF.h, children: [] })),
    ...group.groups.map(layoutGroup),
  ];
  const { width, height } = shelfPack(items, PAD, HEADER + PAD);
  return {
    kind: 'group',
    group,
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

function attr(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : ` ${name}="${xmlText(value)}"`;
}

export function* drawioExport(data: ExportData): Generator<string> {
  const top = groupForDiagram(data).map(layoutGroup);
  shelfPack(top, 0, 0);

  const cellOf = new Map<string, string>(); // resource key → cell id
  const ancestors = new Map<string, Set<string>>(); // resource key → keys of the VPC/subnet groups around it
  let next = 2;
  const cells: string[] = [];

  const emit = (p: Placed, parent: string, around: string[]): void => {
    const id = `c${next++}`;
    const geometry = `<mxGeometry x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" as="geometry"/>`;
    if (p.kind === 'leaf' && p.node !== undefined) {
      const n = p.node;
      cellOf.set(n.key, id);
      ancestors.set(n.key, new Set(around));
      let style = `rounded=1;whiteSpace=wrap;html=0;fontSize=11;fillColor=${familyColour(n.resourceType)};strokeColor=#545B64;`;
      if (!n.recorded) style += 'dashed=1;';
      if (/deleted/i.test(n.status)) style += 'opacity=50;';
      const label = `${nodeLabel(n)}\n${n.resourceType.replace(/^AWS::/i, '')}`;
      cells.push(
        `<object id="${id}"${attr('label', label)}${attr('key', n.key)}${attr('resourceType', n.resourceType)}${attr('resourceId', n.resourceId)}` +
          `${attr('arn', n.arn)}${attr('status', n.status)}>` +
          `<mxCell style="${xmlText(style)}" vertex="1" parent="${parent}">${geometry}</mxCell></object>`,
      );
      return;
    }
    const g = p.group as Group;
    const n = g.node;
    if (n !== undefined) {
      cellOf.set(n.key, id);
      ancestors.set(n.key, new Set(around));
    }
    cells.push(
      `<object id="${id}"${attr('label', g.label)}${attr('key', n?.key)}${attr('resourceType', n?.resourceType)}>` +
        `<mxCell style="${xmlText(GROUP_STYLE[g.kind])}" vertex="1" parent="${parent}">${geometry}</mxCell></object>`,
    );
    const inner = n === undefined ? around : [...around, n.key];
    for (const child of p.children) emit(child, id, inner);
  };
  for (const p of top) emit(p, '1', []);

  for (const e of data.edges) {
    const s = cellOf.get(e.source);
    const t = cellOf.get(e.target);
    if (s === undefined || t === undefined || drawnByNesting(e, ancestors)) continue;
    let style = 'endArrow=block;endFill=1;html=0;rounded=0;fontSize=9;strokeColor=#545B64;';
    if (e.origin === 'derived') style += 'dashed=1;strokeColor=#8D99A8;';
    cells.push(
      `<mxCell id="c${next++}"${attr('value', e.name.trim())} style="${xmlText(style)}" edge="1" parent="1" source="${s}" target="${t}">` +
        '<mxGeometry relative="1" as="geometry"/></mxCell>',
    );
  }

  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<mxfile host="configgraph" type="device">\n<diagram id="configgraph"${attr('name', `configgraph as of ${data.at}`)}>\n`;
  yield '<mxGraphModel grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="0" math="0" shadow="0">\n<root>\n';
  yield '<mxCell id="0"/>\n<mxCell id="1" parent="0"/>\n';
  for (const c of cells) yield `${c}\n`;
  yield '</root>\n</mxGraphModel>\n</diagram>\n</mxfile>\n';
}

/** "Is contained in" edges to a VPC or subnet the node is drawn inside add nothing but clutter. */
function drawnByNesting(e: GraphEdge, ancestors: Map<string, Set<string>>): boolean {
  return (
    (e.type === 'IS_CONTAINED_IN' || /^is contained in/i.test(e.name.trim())) &&
    (ancestors.get(e.source)?.has(e.target) ?? false)
  );
}
