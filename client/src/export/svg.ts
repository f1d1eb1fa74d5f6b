// A small SVG serialiser for the current view: boxes for groups, rounded rectangles with the shipped
// family icon for resources, lines with arrowheads for relationships (at both ends for a reverse twin,
// dashed when derived), labels as escaped text, the "as of" time on top and a legend below. It reads
// positions that the caller takes from Cytoscape, so it stays pure and testable.

export interface SvgNode {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  group: boolean;
  dashed?: boolean;
  /** Outline colour, for compare marks. */
  stroke?: string;
  /** The family whose icon the resource shows (a key of SvgMeta.icons). */
  family?: string;
  /** Breaks a Config rule at the view's time: marked in words and by a dashed red outline, not by colour alone. */
  nonCompliant?: boolean;
}

export const NON_COMPLIANT_LABEL = '⚠ non-compliant';

export interface SvgEdge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The caption as the explorer draws it: one line, or a reverse twin's two names on two (connectionCaption). */
  label: string;
  dashed: boolean;
  colour?: string;
  /** Recorded from both ends (a reverse twin, SPEC G8): arrowheads at both ends. */
  both?: boolean;
  /** Half the size of the nodes at each end, so arrowheads stop at their edge. */
  sourceHalf?: { w: number; h: number };
  targetHalf?: { w: number; h: number };
}

export interface LegendEntry {
  kind: 'family' | 'line' | 'dashed-line' | 'both-ends' | 'placeholder' | 'mark';
  label: string;
  colour?: string;
  family?: string;
}

export interface SvgMeta {
  title: string;
  /** The time the view shows, already formatted for people. */
  asOf: string;
  legend: LegendEntry[];
  /** Family → the shipped icon's SVG text (trusted, shipped with the app). */
  icons?: Record<string, string>;
}

/** A caption's line height, for its 9-pixel font. */
const CAPTION_LINE = 11;

/**
 * A connection's caption as the explorer draws it (cy-style.ts: autorotate, wrapped, on a white background):
 * centred on the line's middle and turned with the line, but never upside down, its lines one above the other,
 * and a white halo under the letters so the line does not run through them (5 wide: with 3, the line showed in
 * the gaps between words, "Is·attached·to·Subnet").
 */
function caption(e: SvgEdge): string {
  if (!e.label) return '';
  const [x, y] = [(e.x1 + e.x2) / 2, (e.y1 + e.y2) / 2];
  let angle = (Math.atan2(e.y2 - e.y1, e.x2 - e.x1) * 180) / Math.PI;
  if (angle > 90) angle -= 180;
  else if (angle <= -90) angle += 180;
  const lines = e.label.split('\n');
  // The first baseline sits so that the block of lines is centred on the line (3: half a 9-pixel x-height).
  const first = 3 - ((lines.length - 1) * CAPTION_LINE) / 2;
  return (
    `<text x="${n(x)}" y="${n(y)}" transform="rotate(${n(angle)} ${n(x)} ${n(y)})" fill="#444444" font-size="9" text-anchor="middle" ` +
    `stroke="#ffffff" stroke-width="5" stroke-opacity="0.8" stroke-linejoin="round" paint-order="stroke">` +
    lines
      .map((line, i) => `<tspan x="${n(x)}" dy="${n(i === 0 ? first : CAPTION_LINE)}">${clean(line)}</tspan>`)
      .join('') +
    '</text>'
  );
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

// XML 1.0 forbids most control characters; untrusted labels may carry them.
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  return escapeXml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd'));
}

const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** Where a line from the centre of a box towards (dx, dy) leaves a box of half-size (w, h). */
function exitPoint(dx: number, dy: number, half: { w: number; h: number } | undefined): number {
  if (!half || (dx === 0 && dy === 0)) return 0;
  const tx = dx === 0 ? Infinity : half.w / Math.abs(dx);
  const ty = dy === 0 ? Infinity : half.h / Math.abs(dy);
  return Math.min(tx, ty, 0.49);
}

const ICON_ID = (family: string) => `icon-${family.replace(/[^a-z0-9-]/gi, '')}`;

export function toSvg(nodes: SvgNode[], edges: SvgEdge[], meta: SvgMeta): string {
  const pad = 40;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of nodes) {
    minX = Math.min(minX, node.x - node.width / 2);
    minY = Math.min(minY, node.y - node.height / 2);
    maxX = Math.max(maxX, node.x + node.width / 2);
    maxY = Math.max(maxY, node.y + node.height / 2 + (node.group ? 0 : 40));
  }
  if (!nodes.length) [minX, minY, maxX, maxY] = [0, 0, 100, 100];
  const header = 44;
  const legendRows = Math.ceil(meta.legend.length / 4);
  const legendHeight = legendRows ? 30 + legendRows * 20 : 0;
  const width = Math.max(maxX - minX + 2 * pad, 760);
  const top = minY - pad - header;
  const height = maxY - minY + 2 * pad + header + legendHeight;
  const left = minX - pad;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" ` +
      `viewBox="${n(left)} ${n(top)} ${n(width)} ${n(height)}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<title>${clean(meta.title)}</title>`);
  // Arrowheads: one marker per colour in use, so marked edges keep their colour at the tip.
  const colours = [...new Set(['#555555', ...edges.map((e) => e.colour ?? '#555555')])];
  const markerId = (c: string) => `arrow-${c.replace(/[^0-9a-z]/gi, '')}`;
  out.push('<defs>');
  for (const c of colours) {
    out.push(
      `<marker id="${markerId(c)}" class="arrowhead" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
        `<path d="M0,0 L10,5 L0,10 z" fill="${clean(c)}"/></marker>`,
    );
  }
  for (const [family, svg] of Object.entries(meta.icons ?? {})) {
    // Shipped icons are trusted SVG; they are wrapped, never built from data.
    out.push(`<symbol id="${ICON_ID(family)}" viewBox="0 0 48 48">${svg.replace(/<\?xml[^>]*>/, '')}</symbol>`);
  }
  out.push('</defs>');
  out.push(`<rect x="${n(left)}" y="${n(top)}" width="${n(width)}" height="${n(height)}" fill="#ffffff"/>`);
  out.push(
    `<g class="heading"><text x="${n(left + 16)}" y="${n(top + 20)}" font-size="14" font-weight="bold" fill="#111111">${clean(meta.title)}</text>` +
      `<text class="as-of" x="${n(left + 16)}" y="${n(top + 36)}" fill="#333333">As of ${clean(meta.asOf)}</text></g>`,
  );
  // Groups first (outermost are the largest, so draw biggest first), then edges, then resources.
  const groups = nodes.filter((g) => g.group).sort((a, b) => b.width * b.height - a.width * a.height);
  for (const g of groups) {
    const x = g.x - g.width / 2;
    const y = g.y - g.height / 2;
    out.push(
      `<g class="group"><rect x="${n(x)}" y="${n(y)}" width="${n(g.width)}" height="${n(g.height)}" rx="6" ` +
        `fill="${clean(g.fill)}" fill-opacity="0.35" stroke="#7a7a7a"${g.dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
        `<text x="${n(x + 6)}" y="${n(y + 13)}" fill="#333333">${clean(g.label)}</text></g>`,
    );
  }
  for (const e of edges) {
    const colour = e.colour ?? '#555555';
    const dx = e.x2 - e.x1;
    const dy = e.y2 - e.y1;
    const fromT = exitPoint(dx, dy, e.sourceHalf);
    const toT = exitPoint(dx, dy, e.targetHalf);
    const [x1, y1] = [e.x1 + dx * fromT, e.y1 + dy * fromT];
    const [x2, y2] = [e.x2 - dx * toT, e.y2 - dy * toT];
    const marker = `url(#${markerId(colour)})`;
    out.push(
      `<g class="edge"><line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${clean(colour)}" stroke-width="1.5"` +
        `${e.dashed ? ' stroke-dasharray="6 4"' : ''} marker-end="${marker}"${e.both ? ` marker-start="${marker}"` : ''}/>` +
        caption(e) +
        '</g>',
    );
  }
  for (const r of nodes.filter((x) => !x.group)) {
    const labelLines = r.label.split('\n');
    // The explorer's label may say it already ("⚠ non-compliant", "⚠ breaks rule"); a redacted one does not.
    const saysIt = labelLines.some((l) => l === NON_COMPLIANT_LABEL || l.startsWith('⚠ breaks '));
    const lines = r.nonCompliant && !saysIt ? [...labelLines, NON_COMPLIANT_LABEL] : labelLines;
    // Outside the box, so it shows beside a compare mark's outline.
    const mark = r.nonCompliant
      ? `<rect class="non-compliant" x="${n(r.x - r.width / 2 - 5)}" y="${n(r.y - r.height / 2 - 5)}" width="${n(r.width + 10)}" height="${n(r.height + 10)}" rx="10" fill="none" stroke="#d13212" stroke-width="2.5" stroke-dasharray="7 3"/>`
      : '';
    const icon =
      r.family && meta.icons?.[r.family]
        ? `<use href="#${ICON_ID(r.family)}" class="icon" x="${n(r.x - r.width * 0.35)}" y="${n(r.y - r.height * 0.35)}" width="${n(r.width * 0.7)}" height="${n(r.height * 0.7)}"/>`
        : '';
    out.push(
      `<g class="resource"><rect x="${n(r.x - r.width / 2)}" y="${n(r.y - r.height / 2)}" width="${n(r.width)}" height="${n(r.height)}" rx="8" ` +
        `fill="${clean(r.fill)}"${r.stroke ? ` stroke="${clean(r.stroke)}" stroke-width="4"` : r.dashed ? ' stroke="#333333" stroke-dasharray="4 3"' : ''}/>` +
        mark +
        lines
          .map(
            (line, i) =>
              `<text x="${n(r.x)}" y="${n(r.y + r.height / 2 + 13 + i * 12)}" text-anchor="middle" fill="#111111">${clean(line)}</text>`,
          )
          .join('') +
        icon +
        '</g>',
    );
  }
  if (meta.legend.length) {
    const y0 = maxY + pad;
    out.push(
      `<g class="legend"><text x="${n(left + 16)}" y="${n(y0 + 14)}" font-weight="bold" fill="#111111">Legend</text>`,
    );
    meta.legend.forEach((entry, i) => {
      const x = left + 16 + (i % 4) * 180;
      const y = y0 + 26 + Math.floor(i / 4) * 20;
      out.push(legendSwatch(entry, x, y, meta, markerId('#555555')));
      out.push(`<text x="${n(x + 34)}" y="${n(y + 10)}" fill="#222222">${clean(entry.label)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

function legendSwatch(entry: LegendEntry, x: number, y: number, meta: SvgMeta, arrow: string): string {
  switch (entry.kind) {
    case 'family': {
      const icon =
        entry.family && meta.icons?.[entry.family]
          ? `<use href="#${ICON_ID(entry.family)}" x="${n(x + 2)}" y="${n(y)}" width="12" height="12"/>`
          : '';
      return `<rect x="${n(x)}" y="${n(y - 2)}" width="16" height="16" rx="3" fill="${clean(entry.colour ?? '#5f6368')}"/>${icon}`;
    }
    case 'mark':
      return `<rect x="${n(x)}" y="${n(y - 2)}" width="16" height="16" rx="3" fill="none" stroke="${clean(entry.colour ?? '#000000')}" stroke-width="3"/>`;
    case 'placeholder':
      return `<rect x="${n(x)}" y="${n(y - 2)}" width="16" height="16" rx="3" fill="#dddddd" stroke="#333333" stroke-dasharray="4 3"/>`;
    default: {
      const dashed = entry.kind === 'dashed-line' ? ' stroke-dasharray="6 4"' : '';
      const start = entry.kind === 'both-ends' ? ` marker-start="url(#${arrow})"` : '';
      return `<line x1="${n(x)}" y1="${n(y + 6)}" x2="${n(x + 28)}" y2="${n(y + 6)}" stroke="#555555" stroke-width="1.5"${dashed} marker-end="url(#${arrow})"${start}/>`;
    }
  }
}
