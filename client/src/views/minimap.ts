// A small navigator: every resource as a dot, the visible area as a rectangle. Clicking or
// dragging on it moves the main view there; arrow keys pan when it has focus. It is shown only while part
// of the drawing is off screen (G14): over a fitted view it would only hide the drawing's top right corner.
import type { Core } from 'cytoscape';
import { FAMILY_COLOURS, type Family } from '../graph/family.ts';

interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * G14: whether the whole drawing is on screen (the viewport's model extent holds its bounding box, give or
 * take 2 % of its size for labels measured a little differently), so there is nothing to navigate to.
 */
export function wholeDrawingInView(view: Extent, drawing: Extent): boolean {
  const slackX = (drawing.x2 - drawing.x1) * 0.02;
  const slackY = (drawing.y2 - drawing.y1) * 0.02;
  return (
    view.x1 <= drawing.x1 + slackX &&
    view.y1 <= drawing.y1 + slackY &&
    view.x2 >= drawing.x2 - slackX &&
    view.y2 >= drawing.y2 - slackY
  );
}

export class Minimap {
  private scale = 1;
  /** The drawing's bounding box when the background was drawn. */
  private drawing: Extent | undefined;
  private offset = { x: 0, y: 0 };
  private pending = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly getCy: () => Core,
  ) {
    let dragging = false;
    const move = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      this.panTo((e.clientX - r.left - this.offset.x) / this.scale, (e.clientY - r.top - this.offset.y) / this.scale);
    };
    canvas.addEventListener('pointerdown', (e) => {
      dragging = true;
      canvas.setPointerCapture(e.pointerId);
      move(e);
    });
    canvas.addEventListener('pointermove', (e) => dragging && move(e));
    canvas.addEventListener('pointerup', () => (dragging = false));
    canvas.addEventListener('keydown', (e) => {
      const step = 60;
      const d = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
      if (d) {
        e.preventDefault();
        this.getCy().panBy({ x: d[0]!, y: d[1]! });
      }
    });
  }

  /** Centres the main view on a model position. */
  private panTo(x: number, y: number): void {
    const cy = this.getCy();
    const zoom = cy.zoom();
    cy.pan({ x: cy.width() / 2 - x * zoom, y: cy.height() / 2 - y * zoom });
  }

  /** Redraws at most once per frame, however often the viewport changes. */
  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  /** The dots and boxes, drawn once per change of the drawing (not per frame): thousands of them in a big view. */
  private background: HTMLCanvasElement | undefined;
  /** The Cytoscape instance the background was drawn from (a renderer change makes a new one). */
  private drawnFrom: Core | undefined;

  private draw(): void {
    const cy = this.getCy();
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    if (cy !== this.drawnFrom) {
      this.drawnFrom = cy;
      this.background = undefined;
      // Anything that moves, adds or removes an element redraws the dots on the next frame.
      cy.on('add remove position', () => (this.background = undefined));
    }
    if (!this.background || this.background.width !== width || this.background.height !== height) {
      const background = this.drawBackground(cy, width, height);
      // Nothing to navigate: no empty box over the start message.
      this.canvas.hidden = !background;
      if (!background) return;
      this.background = background;
    }
    const ext = cy.extent();
    // Everything is on screen: nothing to navigate, and the drawing's corner stays uncovered.
    const hide = this.drawing !== undefined && wholeDrawingInView(ext, this.drawing);
    if (this.canvas.hidden !== hide) this.canvas.hidden = hide;
    if (hide) return;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(this.background, 0, 0);
    const toX = (x: number) => x * this.scale + this.offset.x;
    const toY = (y: number) => y * this.scale + this.offset.y;
    ctx.strokeStyle = '#1a73e8';
    ctx.lineWidth = 2;
    ctx.strokeRect(toX(ext.x1), toY(ext.y1), ext.w * this.scale, ext.h * this.scale);
    ctx.lineWidth = 1;
  }

  /** Boxes and resources at the minimap's scale, on a canvas of their own; undefined when nothing is drawn. */
  private drawBackground(cy: Core, width: number, height: number): HTMLCanvasElement | undefined {
    const nodes = cy.nodes('.resource');
    if (nodes.empty()) return undefined;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    const bb = cy.elements().boundingBox({});
    this.drawing = bb;
    const pad = 6;
    this.scale = Math.min((width - 2 * pad) / Math.max(bb.w, 1), (height - 2 * pad) / Math.max(bb.h, 1));
    this.offset = {
      x: pad - bb.x1 * this.scale + (width - 2 * pad - bb.w * this.scale) / 2,
      y: pad - bb.y1 * this.scale + (height - 2 * pad - bb.h * this.scale) / 2,
    };
    const toX = (x: number) => x * this.scale + this.offset.x;
    const toY = (y: number) => y * this.scale + this.offset.y;
    ctx.strokeStyle = '#c0c4c8';
    cy.nodes('.group').forEach((g) => {
      const b = g.boundingBox({ includeLabels: false });
      ctx.strokeRect(toX(b.x1), toY(b.y1), b.w * this.scale, b.h * this.scale);
    });
    nodes.forEach((n) => {
      const p = n.position();
      ctx.fillStyle = FAMILY_COLOURS[(n.data('family') as Family | undefined) ?? 'other'] ?? FAMILY_COLOURS.other;
      ctx.fillRect(toX(p.x) - 2, toY(p.y) - 2, 4, 4);
    });
    return canvas;
  }
}
