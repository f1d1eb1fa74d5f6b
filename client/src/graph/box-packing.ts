// The first layout of a big view: every box's members in rows (resources in a grid, then its inner
// boxes), boxes packed inside their parent the same way, bottom-up. Linear in the number of nodes
// and needs no text measuring, so thousands of resources are placed in milliseconds where fCoSE
// spends seconds (docs/benchmarks.md, "Explorer at scale"). Pure and deterministic (no randomness):
// the same elements always get the same positions (SPEC G10).
import type { Element, NodeElement } from './shape.ts';

/** A resource's cell: the 40 px node with room for its label (at most 120 px wide, three lines) below. */
export const CELL = { width: 140, height: 100 } as const;
// A box's padding (10 px in the stylesheet) plus room for its label above and a gap to its neighbours.
const BOX_PAD = { side: 20, top: 36, bottom: 20 } as const;
// Rows aim at the screen's shape (wider than high).
const ASPECT = 1.6;

/**
 * G13: about how wide a box's title is drawn (13 px bold): 8 px a character, more than the average, so a
 * box at least this wide (and its siblings beside it) keeps its title clear of its neighbours'.
 */
export function titleWidth(label: string): number {
  return label.length * 8;
}

interface Item {
  id: string;
  width: number;
  height: number;
  /** Resources: where in the item the node's centre sits; boxes: their members' offsets. */
  place(x: number, y: number, out: Map<string, { x: number; y: number }>): void;
}

/** Lays `items` out in rows whose width aims at ASPECT; returns the size and each item's offset. */
function rows(items: Item[]): { width: number; height: number; offsets: { x: number; y: number }[] } {
  const area = items.reduce((a, i) => a + i.width * i.height, 0);
  const widest = items.reduce((a, i) => Math.max(a, i.width), 0);
  const target = Math.max(widest, Math.sqrt(area * ASPECT));
  const offsets: { x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const item of items) {
    if (x > 0 && x + item.width > target) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    offsets.push({ x, y });
    x += item.width;
    width = Math.max(width, x);
    rowHeight = Math.max(rowHeight, item.height);
  }
  return { width, height: y + rowHeight, offsets };
}

function resourceItem(id: string): Item {
  return {
    id,
    ...CELL,
    // The node's centre: middle of the cell across, its top part down (the label goes below).
    place: (x, y, out) => out.set(id, { x: x + CELL.width / 2, y: y + 30 }),
  };
}

function boxItem(id: string, label: string, members: Item[]): Item {
  const laid = rows(members);
  // As wide as its title at least (G13), its members centred under it.
  const inner = Math.max(laid.width, titleWidth(label));
  const indent = (inner - laid.width) / 2;
  return {
    id,
    width: inner + 2 * BOX_PAD.side,
    height: laid.height + BOX_PAD.top + BOX_PAD.bottom,
    place: (x, y, out) =>
      members.forEach((m, i) =>
        m.place(x + BOX_PAD.side + indent + laid.offsets[i]!.x, y + BOX_PAD.top + laid.offsets[i]!.y, out),
      ),
  };
}

/**
 * Positions of the resources in `elements` (boxes follow their members; edges play no part): each
 * box's resources in a grid in element order, then its inner boxes, all in rows.
 */
export function packByBoxes(elements: Element[]): Map<string, { x: number; y: number }> {
  const children = new Map<string | undefined, NodeElement[]>();
  for (const el of elements) {
    if (el.group !== 'nodes') continue;
    const list = children.get(el.data.parent);
    if (list) list.push(el);
    else children.set(el.data.parent, [el]);
  }
  const itemsIn = (parent: string | undefined): Item[] => {
    const list = children.get(parent) ?? [];
    const resources = list.filter((el) => el.data.kind === 'resource').map((el) => resourceItem(el.data.id));
    const boxes = list
      .filter((el) => el.data.kind === 'group')
      .map((el) => ({ el, members: itemsIn(el.data.id) }))
      // A box with nothing in it is not drawn.
      .filter((b) => b.members.length > 0)
      .map((b) => boxItem(b.el.data.id, b.el.data.label, b.members));
    return [...resources, ...boxes];
  };
  const top = boxItem('', '', itemsIn(undefined));
  const out = new Map<string, { x: number; y: number }>();
  top.place(0, 0, out);
  return out;
}

/** A box drawn as a plain rectangle: its centre, size and how deep it is nested (0: outermost). */
export interface BoxRect {
  x: number;
  y: number;
  width: number;
  height: number;
  depth: number;
}

// What a resource occupies around its node's centre: the 40 px node and its label below (120 px wide).
const RESOURCE_EXTENT = { side: 60, top: 20, bottom: 62 } as const;
// A drawn box's padding around its members, and the room its own label takes above it.
const RECT_PAD = 10;
const LABEL_ROOM = 18;

/**
 * The rectangles of a big view's boxes, drawn as plain nodes rather than compounds (so Cytoscape never
 * measures a box from its members): each box encloses its resources at `positions` and its inner boxes
 * with their labels, plus a padding. Boxes without any resource get none. Pure and deterministic.
 */
export function boxRects(elements: Element[], positions: Map<string, { x: number; y: number }>): Map<string, BoxRect> {
  const children = new Map<string, NodeElement[]>();
  const tops: NodeElement[] = [];
  for (const el of elements) {
    if (el.group !== 'nodes') continue;
    const parent = el.data.parent;
    if (parent === undefined) tops.push(el);
    else {
      const list = children.get(parent);
      if (list) list.push(el);
      else children.set(parent, [el]);
    }
  }
  const out = new Map<string, BoxRect>();
  type Extent = { x1: number; y1: number; x2: number; y2: number };
  const measure = (box: NodeElement, depth: number): Extent | undefined => {
    let e: Extent | undefined;
    const grow = (x1: number, y1: number, x2: number, y2: number) => {
      e = e
        ? { x1: Math.min(e.x1, x1), y1: Math.min(e.y1, y1), x2: Math.max(e.x2, x2), y2: Math.max(e.y2, y2) }
        : { x1, y1, x2, y2 };
    };
    for (const m of children.get(box.data.id) ?? []) {
      if (m.data.kind === 'group') {
        const inner = measure(m, depth + 1);
        if (inner) grow(inner.x1, inner.y1 - LABEL_ROOM, inner.x2, inner.y2);
        continue;
      }
      const p = positions.get(m.data.id);
      if (p)
        grow(
          p.x - RESOURCE_EXTENT.side,
          p.y - RESOURCE_EXTENT.top,
          p.x + RESOURCE_EXTENT.side,
          p.y + RESOURCE_EXTENT.bottom,
        );
    }
    if (!e) return undefined;
    // At least as wide as its title (G13), around its members' centre (where the packing centred them).
    const widen = Math.max(0, (titleWidth(box.data.label) - (e.x2 - e.x1)) / 2);
    const r = { x1: e.x1 - widen - RECT_PAD, y1: e.y1 - RECT_PAD, x2: e.x2 + widen + RECT_PAD, y2: e.y2 + RECT_PAD };
    out.set(box.data.id, {
      x: (r.x1 + r.x2) / 2,
      y: (r.y1 + r.y2) / 2,
      width: r.x2 - r.x1,
      height: r.y2 - r.y1,
      depth,
    });
    return r;
  };
  for (const el of tops) if (el.data.kind === 'group') measure(el, 0);
  return out;
}
