// Reads what Cytoscape drew (positions, sizes, labels, classes) into the pure SVG serialiser.
import type { Core } from 'cytoscape';
import { toSvg, type SvgEdge, type SvgNode } from '../export/svg.ts';
import { FAMILY_COLOURS, type Family } from '../graph/family.ts';
import { MARK_COLOURS } from './cy-style.ts';

const GROUP_FILL: Record<string, string> = {
  account: '#f3f4f6',
  region: '#e8eef8',
  vpc: '#e6f2ea',
  az: '#fbf5e6',
  subnet: '#eef6fb',
};

export function svgOfView(cy: Core, title: string): string {
  const nodes: SvgNode[] = [];
  cy.nodes().forEach((n) => {
    const group = n.hasClass('group');
    const bb = n.boundingBox({ includeLabels: false });
    const p = group ? { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 } : n.position();
    const mark = (['added', 'removed', 'changed'] as const).find((m) => n.hasClass(`diff-${m}`));
    nodes.push({
      ...(mark ? { stroke: MARK_COLOURS[mark] } : {}),
      label: String(n.data('label') ?? ''),
      x: p.x,
      y: p.y,
      width: group ? bb.w : n.width(),
      height: group ? bb.h : n.height(),
      fill: group
        ? (GROUP_FILL[String(n.data('groupKind'))] ?? '#f5f5f5')
        : (FAMILY_COLOURS[n.data('family') as Family] ?? FAMILY_COLOURS.other),
      group,
      dashed: group ? n.data('groupKind') === 'az' : n.hasClass('placeholder'),
    });
  });
  const edges: SvgEdge[] = [];
  cy.edges().forEach((e) => {
    const s = e.source().position();
    const t = e.target().position();
    const edge: SvgEdge = {
      x1: s.x,
      y1: s.y,
      x2: t.x,
      y2: t.y,
      label: String(e.data('label') ?? ''),
      dashed: e.hasClass('derived'),
    };
    if (e.hasClass('diff-added')) edge.colour = MARK_COLOURS.added;
    if (e.hasClass('diff-removed')) edge.colour = MARK_COLOURS.removed;
    edges.push(edge);
  });
  return toSvg(nodes, edges, title);
}
