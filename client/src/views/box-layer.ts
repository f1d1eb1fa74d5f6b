// A big view's boxes drawn on a 2D canvas behind Cytoscape's WebGL layer (transparent where nothing is
// drawn). Without a graphics card the browser rasterises WebGL in software, and nested boxes cover the
// screen four or five times over: every covered pixel ran Cytoscape's shape shader, which made each frame
// 4× slower than without the boxes. A 2D canvas fills the same rectangles for a fraction of that
// (docs/benchmarks.md, "WebGL in software"). The boxes themselves stay in Cytoscape, hidden, so fitting,
// the navigator and the pictures (SVG, PNG) see them as before.
import type { Core, NodeSingular } from 'cytoscape';

/** What a box looks like, read once from Cytoscape's own style (cy-style.ts says it once). */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  z: number;
  fill: string;
  border: string;
  borderWidth: number;
  /** The border's dash pattern, empty when solid. */
  dash: number[];
  label: string;
  font: string;
  fontSize: number;
  colour: string;
}

/** Cytoscape's round-rectangle corner (its getRoundRectangleRadius): a quarter of the shorter side, at most 8. */
const cornerOf = (w: number, h: number) => Math.min(w / 4, h / 4, 8);

export class BoxLayer {
  private readonly canvas = document.createElement('canvas');
  private boxes: Box[] | undefined;
  private frame = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly cy: Core,
    /** Which nodes are drawn here (hidden from WebGL by the stylesheet). */
    private readonly selector: string,
  ) {
    const s = this.canvas.style;
    s.position = 'absolute';
    s.left = '0';
    s.top = '0';
    s.pointerEvents = 'none';
    s.zIndex = '0';
    // Behind Cytoscape's own layers, which it appends to the container.
    container.insertBefore(this.canvas, container.firstChild);
    const later = () => this.schedule();
    const changed = () => {
      this.boxes = undefined;
      this.schedule();
    };
    cy.on('viewport resize', later);
    cy.on('add remove position', `node${selector}`, changed);
    cy.one('destroy', () => {
      cancelAnimationFrame(this.frame);
      this.canvas.remove();
    });
  }

  /** Draws in the next frame, with Cytoscape's own (both answer the same change). */
  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (!this.cy.destroyed()) this.draw();
    });
  }

  private read(): Box[] {
    const boxes: Box[] = [];
    this.cy.nodes(this.selector).forEach((n: NodeSingular) => {
      const p = n.position();
      const fontSize = parseFloat(n.style('font-size') as string);
      boxes.push({
        x: p.x,
        y: p.y,
        w: n.width(),
        h: n.height(),
        z: Number(n.style('z-index')),
        fill: n.style('background-color') as string,
        border: n.style('border-color') as string,
        borderWidth: parseFloat(n.style('border-width') as string),
        dash: n.style('border-style') === 'dashed' ? String(n.style('border-dash-pattern')).split(' ').map(Number) : [],
        label: String(n.data('label') ?? ''),
        font: `${String(n.style('font-weight'))} ${fontSize}px ${String(n.style('font-family'))}`,
        fontSize,
        colour: n.style('color') as string,
      });
    });
    // Outer boxes first (account › region › VPC › zone › subnet).
    return boxes.sort((a, b) => a.z - b.z);
  }

  private draw(): void {
    const cy = this.cy;
    const ratio = window.devicePixelRatio || 1;
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const boxes = (this.boxes ??= this.read());
    const zoom = cy.zoom();
    const pan = cy.pan();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(zoom * ratio, 0, 0, zoom * ratio, pan.x * ratio, pan.y * ratio);
    const ext = cy.extent();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    for (const b of boxes) {
      const x1 = b.x - b.w / 2;
      const y1 = b.y - b.h / 2;
      // Off screen (the title, above the box, included).
      if (x1 > ext.x2 || x1 + b.w < ext.x1 || y1 - b.fontSize * 1.5 > ext.y2 || y1 + b.h < ext.y1) continue;
      ctx.beginPath();
      ctx.roundRect(x1, y1, b.w, b.h, cornerOf(b.w, b.h));
      ctx.fillStyle = b.fill;
      ctx.fill();
      if (b.borderWidth > 0) {
        ctx.lineWidth = b.borderWidth;
        ctx.strokeStyle = b.border;
        ctx.setLineDash(b.dash);
        ctx.stroke();
      }
      if (b.label !== '') {
        ctx.font = b.font;
        ctx.fillStyle = b.colour;
        ctx.fillText(b.label, b.x, y1 - 2);
      }
    }
  }
}
