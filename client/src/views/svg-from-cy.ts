// Reads what Cytoscape drew (positions, sizes, labels, classes) into the pure SVG serialiser, and turns
// that SVG into the PNG export, so both pictures carry the same icons, arrowheads, "as of" and legend.
import type { Core } from 'cytoscape';
import { toSvg, type LegendEntry, type SvgEdge, type SvgNode } from '../export/svg.ts';
import { FAMILY_COLOURS, type Family } from '../graph/family.ts';
import { ICON_SVGS } from '../icons.ts';
import { MARK_COLOURS } from './cy-style.ts';

const GROUP_FILL: Record<string, string> = {
  account: '#f3f4f6',
  region: '#e8eef8',
  vpc: '#e6f2ea',
  az: '#fbf5e6',
  subnet: '#eef6fb',
};

export interface PictureMeta {
  title: string;
  asOf: string;
  legend: LegendEntry[];
}

export function svgOfView(cy: Core, meta: PictureMeta): string {
  const nodes: SvgNode[] = [];
  cy.nodes().forEach((n) => {
    const group = n.hasClass('group');
    const bb = n.boundingBox({ includeLabels: false });
    const p = group ? { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 } : n.position();
    const mark = (['added', 'removed', 'changed'] as const).find((m) => n.hasClass(`diff-${m}`));
    const family = n.data('family') as Family | undefined;
    nodes.push({
      ...(mark ? { stroke: MARK_COLOURS[mark] } : {}),
      ...(family && !group ? { family } : {}),
      label: String(n.data('label') ?? ''),
      x: p.x,
      y: p.y,
      width: group ? bb.w : n.width(),
      height: group ? bb.h : n.height(),
      fill: group
        ? (GROUP_FILL[String(n.data('groupKind'))] ?? '#f5f5f5')
        : (FAMILY_COLOURS[family ?? 'other'] ?? FAMILY_COLOURS.other),
      group,
      dashed: group ? n.data('groupKind') === 'az' : n.hasClass('placeholder'),
      ...(!group && n.hasClass('non-compliant') ? { nonCompliant: true } : {}),
    });
  });
  const edges: SvgEdge[] = [];
  cy.edges().forEach((e) => {
    const s = e.source();
    const t = e.target();
    const edge: SvgEdge = {
      x1: s.position().x,
      y1: s.position().y,
      x2: t.position().x,
      y2: t.position().y,
      // As drawn: a twin's two names on two lines (the one-line `label` ran under the icons between close resources).
      label: String(e.data('caption') ?? ''),
      dashed: e.hasClass('derived'),
      both: e.hasClass('twin'),
      sourceHalf: { w: s.width() / 2, h: s.height() / 2 },
      targetHalf: { w: t.width() / 2, h: t.height() / 2 },
    };
    if (e.hasClass('diff-added')) edge.colour = MARK_COLOURS.added;
    if (e.hasClass('diff-removed')) edge.colour = MARK_COLOURS.removed;
    edges.push(edge);
  });
  return toSvg(nodes, edges, { ...meta, icons: ICON_SVGS });
}

/** The SVG of the view drawn at `scale` into a PNG (at most 8000 pixels a side). */
export async function pngOfSvg(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const factor = Math.min(scale, 8000 / Math.max(img.naturalWidth, 1), 8000 / Math.max(img.naturalHeight, 1));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.naturalWidth * factor));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * factor));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas to draw the PNG on');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
