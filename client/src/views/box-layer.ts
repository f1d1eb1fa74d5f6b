// Boxes (account › region › VPC › zone › subnet) drawn on a 2D canvas behind Cytoscape's WebGL layer
// (transparent where nothing is drawn), and left out of WebGL. Without a graphics card the browser
// rasterises WebGL in software, and nested boxes cover the screen four or five times over: every covered
// pixel ran Cytoscape's shape shader, which made each frame 2.5–4× slower than without them (a small
// view's compound boxes, a big view's plain ones). A 2D canvas fills the same rectangles for a fraction
// of that (docs/benchmarks.md, "WebGL in software"). The boxes stay in Cytoscape, visible to it, so
// compound boxes still grow around their members, and fitting, the navigator and the pictures (SVG, PNG)
// see them as before; only WebGL does not draw them, nor find them under the pointer (a drag on a box's
// empty space pans the view, as on a big view's plain boxes).
import type { Core, NodeSingular, SingularElementArgument } from 'cytoscape';

/** What a box looks like, read from Cytoscape's own style (cy-style.ts says it once). */
interface Look {
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

/** A node's size with its padding (documented by Cytoscape, missing from its typings). */
interface Padded {
  paddedWidth(): number;
  paddedHeight(): number;
}

/** Cytoscape's round-rectangle corner (its getRoundRectangleRadius): a quarter of the shorter side, at most 8. */
const cornerOf = (w: number, h: number) => Math.min(w / 4, h / 4, 8);

/** The part of Cytoscape's WebGL renderer (≥ 3.31, not in its typings) that draws one element's parts. */
interface ElementDrawing {
  drawNode(node: SingularElementArgument, index: number, type: string): void;
  drawTexture(ele: SingularElementArgument, index: number, type: string): void;
}

/**
 * Makes Cytoscape's WebGL renderer skip the elements `omit` picks: their bodies, labels and overlays,
 * on screen and in the picking buffer it draws to find what is under the pointer. False (nothing
 * changed) when this Cytoscape's renderer does not draw that way: WebGL then draws them itself.
 */
export function leaveOutOfWebgl(cy: Core, omit: (ele: SingularElementArgument) => boolean): boolean {
  const drawing = (cy as unknown as { renderer(): { drawing?: Partial<ElementDrawing> } }).renderer().drawing;
  const { drawNode, drawTexture } = drawing ?? {};
  if (!drawing || typeof drawNode !== 'function' || typeof drawTexture !== 'function') return false;
  drawing.drawNode = function (node, index, type) {
    if (!omit(node)) drawNode.call(this, node, index, type);
  };
  drawing.drawTexture = function (ele, index, type) {
    if (!omit(ele)) drawTexture.call(this, ele, index, type);
  };
  return true;
}

export class BoxLayer {
  private readonly canvas = document.createElement('canvas');
  private looks = new Map<string, Look>();
  private frame = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly cy: Core,
    /** Which nodes are drawn here (left out of WebGL by leaveOutOfWebgl). */
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
    const restyled = () => {
      this.looks.clear();
      this.schedule();
    };
    cy.on('viewport resize', later);
    // A compound box follows its members: any node moved may move or resize one.
    cy.on('position', 'node', later);
    cy.on('add remove', `node${selector}`, later);
    cy.on('style data', `node${selector}`, restyled);
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

  private lookOf(n: NodeSingular): Look {
    let look = this.looks.get(n.id());
    if (look) return look;
    const fontSize = parseFloat(n.style('font-size') as string);
    look = {
      z: Number(n.style('z-index')),
      fill: n.style('background-color') as string,
      border: n.style('border-color') as string,
      borderWidth: parseFloat(n.style('border-width') as string),
      dash: n.style('border-style') === 'dashed' ? String(n.style('border-dash-pattern')).split(' ').map(Number) : [],
      label: String(n.data('label') ?? ''),
      font: `${String(n.style('font-weight'))} ${fontSize}px ${String(n.style('font-family'))}`,
      fontSize,
      colour: n.style('color') as string,
    };
    this.looks.set(n.id(), look);
    return look;
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
    // Where each box is now (a compound box is measured from its members), and how it looks.
    const boxes = cy.nodes(this.selector).map((n) => {
      const p = n.position();
      const padded = n as NodeSingular & Padded;
      return {
        x: p.x,
        y: p.y,
        w: padded.paddedWidth(),
        h: padded.paddedHeight(),
        depth: n.ancestors().length,
        ...this.lookOf(n),
      };
    });
    // Outer boxes first (account › region › VPC › zone › subnet): by z-index (a big view's plain boxes),
    // then by nesting (compound boxes).
    boxes.sort((a, b) => a.z - b.z || a.depth - b.depth);
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
