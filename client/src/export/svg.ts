// A small SVG serialiser for the current view: boxes for groups, rounded rectangles for resources,
// lines for relationships (dashed when derived), labels as escaped text. It reads positions that
// the caller takes from Cytoscape, so it stays pure and testable.

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
}

export interface SvgEdge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  label: string;
  dashed: boolean;
  colour?: string;
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

export function toSvg(nodes: SvgNode[], edges: SvgEdge[], title: string): string {
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
  const width = maxX - minX + 2 * pad;
  const height = maxY - minY + 2 * pad;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" ` +
      `viewBox="${n(minX - pad)} ${n(minY - pad)} ${n(width)} ${n(height)}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<title>${clean(title)}</title>`);
  out.push(
    `<rect x="${n(minX - pad)}" y="${n(minY - pad)}" width="${n(width)}" height="${n(height)}" fill="#ffffff"/>`,
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
    const colour = clean(e.colour ?? '#555555');
    out.push(
      `<g class="edge"><line x1="${n(e.x1)}" y1="${n(e.y1)}" x2="${n(e.x2)}" y2="${n(e.y2)}" stroke="${colour}" stroke-width="1.5"` +
        `${e.dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
        `<text x="${n((e.x1 + e.x2) / 2)}" y="${n((e.y1 + e.y2) / 2 - 3)}" fill="#444444" font-size="9" text-anchor="middle">${clean(e.label)}</text></g>`,
    );
  }
  for (const r of nodes.filter((x) => !x.group)) {
    const lines = r.label.split('\n');
    out.push(
      `<g class="resource"><rect x="${n(r.x - r.width / 2)}" y="${n(r.y - r.height / 2)}" width="${n(r.width)}" height="${n(r.height)}" rx="8" ` +
        `fill="${clean(r.fill)}"${r.stroke ? ` stroke="${clean(r.stroke)}" stroke-width="4"` : r.dashed ? ' stroke="#333333" stroke-dasharray="4 3"' : ''}/>` +
        lines
          .map(
            (line, i) =>
              `<text x="${n(r.x)}" y="${n(r.y + r.height / 2 + 13 + i * 12)}" text-anchor="middle" fill="#111111">${clean(line)}</text>`,
          )
          .join('') +
        '</g>',
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
