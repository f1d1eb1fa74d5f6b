import { describe, expect, it } from 'vitest';
import { boxRects, CELL, packByBoxes, titleWidth } from '../../client/src/graph/box-packing.ts';
import { mergeFragments } from '../../client/src/graph/fragments.ts';
import { shapeElements, type NodeElement } from '../../client/src/graph/shape.ts';
import { bigEstate } from './big-estate.ts';

const none = { hiddenTypes: [], hiddenAccounts: [], hiddenRegions: [], hiddenNodes: [] };

function shaped(vpcs: number, subnets: number, instances: number) {
  const estate = bigEstate(vpcs, subnets, instances);
  const graph = mergeFragments([
    { owner: estate.root, nodes: estate.nodes, edges: estate.edges, truncated: false, omitted: [] },
  ]);
  return shapeElements({ graph, root: estate.root, filters: none, grouping: true, expanded: [] }).elements;
}

describe('packByBoxes (the first layout of a big view)', () => {
  const elements = shaped(3, 4, 6);
  const nodes = elements.filter((e): e is NodeElement => e.group === 'nodes');
  const resources = nodes.filter((n) => n.data.kind === 'resource');
  const positions = packByBoxes(elements);

  it('places every resource, and only resources', () => {
    expect([...positions.keys()].sort()).toEqual(resources.map((r) => r.data.id).sort());
    for (const p of positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });

  it('is deterministic: the same elements give the same positions (SPEC G10)', () => {
    expect(packByBoxes(shaped(3, 4, 6))).toEqual(positions);
  });

  it('gives each resource a cell of its own, with room for its label', () => {
    const ps = [...positions.values()];
    for (let i = 0; i < ps.length; i++)
      for (let j = i + 1; j < ps.length; j++) {
        const apart = Math.abs(ps[i]!.x - ps[j]!.x) >= CELL.width || Math.abs(ps[i]!.y - ps[j]!.y) >= CELL.height;
        expect(apart).toBe(true);
      }
  });

  it('keeps each box apart from its siblings: no member of one lies within another', () => {
    const parentOf = new Map(nodes.map((n) => [n.data.id, n.data.parent]));
    const boxOf = (id: string, box: string) => {
      for (let at = parentOf.get(id); at; at = parentOf.get(at)) if (at === box) return true;
      return false;
    };
    const extent = (box: string) => {
      const members = resources.filter((r) => boxOf(r.data.id, box)).map((r) => positions.get(r.data.id)!);
      return {
        x1: Math.min(...members.map((p) => p.x)) - CELL.width / 2,
        x2: Math.max(...members.map((p) => p.x)) + CELL.width / 2,
        y1: Math.min(...members.map((p) => p.y)) - CELL.height / 2,
        y2: Math.max(...members.map((p) => p.y)) + CELL.height / 2,
      };
    };
    const boxes = nodes.filter((n) => n.data.kind === 'group');
    expect(boxes.filter((b) => b.data.groupKind === 'subnet')).toHaveLength(12);
    for (const a of boxes)
      for (const b of boxes) {
        if (a === b || a.data.parent !== b.data.parent) continue;
        const ea = extent(a.data.id);
        const eb = extent(b.data.id);
        const overlap = ea.x1 < eb.x2 && eb.x1 < ea.x2 && ea.y1 < eb.y2 && eb.y1 < ea.y2;
        expect(overlap, `${a.data.id} and ${b.data.id}`).toBe(false);
      }
  });
});

describe("boxRects (a big view's boxes drawn as plain rectangles)", () => {
  const elements = shaped(3, 4, 6);
  const nodes = elements.filter((e): e is NodeElement => e.group === 'nodes');
  const positions = packByBoxes(elements);
  const rects = boxRects(elements, positions);
  const inside = (inner: { x1: number; y1: number; x2: number; y2: number }, id: string) => {
    const r = rects.get(id)!;
    return (
      inner.x1 >= r.x - r.width / 2 &&
      inner.x2 <= r.x + r.width / 2 &&
      inner.y1 >= r.y - r.height / 2 &&
      inner.y2 <= r.y + r.height / 2
    );
  };

  it('gives every box with a resource in it a rectangle, outer boxes behind inner ones', () => {
    const boxes = nodes.filter((n) => n.data.kind === 'group');
    expect([...rects.keys()].sort()).toEqual(boxes.map((b) => b.data.id).sort());
    for (const b of boxes)
      if (b.data.parent) expect(rects.get(b.data.id)!.depth).toBe(rects.get(b.data.parent)!.depth + 1);
  });

  it('encloses each resource (node and label) and each inner box (with its label) in its box', () => {
    for (const n of nodes) {
      if (!n.data.parent) continue;
      if (n.data.kind === 'resource') {
        const p = positions.get(n.data.id)!;
        expect(inside({ x1: p.x - 20, y1: p.y - 20, x2: p.x + 20, y2: p.y + 50 }, n.data.parent)).toBe(true);
      } else {
        const r = rects.get(n.data.id)!;
        const own = {
          x1: r.x - r.width / 2,
          x2: r.x + r.width / 2,
          y1: r.y - r.height / 2 - 16,
          y2: r.y + r.height / 2,
        };
        expect(inside(own, n.data.parent), n.data.id).toBe(true);
      }
    }
  });

  it('is deterministic, and follows the resources where they are (a grown view)', () => {
    expect(boxRects(elements, positions)).toEqual(rects);
    const first = nodes.find((n) => n.data.kind === 'resource' && n.data.parent)!;
    const moved = new Map(positions);
    const p = positions.get(first.data.id)!;
    moved.set(first.data.id, { x: p.x + 5000, y: p.y });
    const grown = boxRects(elements, moved).get(first.data.parent!)!;
    expect(grown.x + grown.width / 2).toBeGreaterThan(p.x + 5000);
  });
});

describe('box titles in a big view (G13)', () => {
  // Subnets of one instance: each box is two cells wide, narrower than its title ("Subnet subnet-0-1 …").
  const base = shaped(2, 6, 1);
  // Titles as long as Config's: a subnet id and its Name tag.
  const elements = base.map((e) =>
    e.group === 'nodes' && e.data.kind === 'group' && e.data.label.startsWith('Subnet ')
      ? { ...e, data: { ...e.data, label: `${e.data.label} 0123456789abcdef0 (prod-private-a)` } }
      : e,
  );
  const boxes = elements.filter((e): e is NodeElement => e.group === 'nodes' && e.data.kind === 'group');
  const rects = boxRects(elements, packByBoxes(elements));

  it('makes every box at least as wide as its title', () => {
    for (const b of boxes)
      expect(rects.get(b.data.id)!.width, b.data.label).toBeGreaterThanOrEqual(titleWidth(b.data.label));
  });

  it('keeps the titles of boxes side by side clear of each other', () => {
    let sideBySide = 0;
    for (const a of boxes)
      for (const b of boxes) {
        if (a === b || a.data.parent !== b.data.parent) continue;
        const ra = rects.get(a.data.id)!;
        const rb = rects.get(b.data.id)!;
        // Titles sit on the boxes' top edges: only boxes in one row can collide.
        if (Math.abs(ra.y - ra.height / 2 - (rb.y - rb.height / 2)) > 16) continue;
        sideBySide++;
        const [wa, wb] = [titleWidth(a.data.label) / 2, titleWidth(b.data.label) / 2];
        expect(ra.x + wa <= rb.x - wb || rb.x + wb <= ra.x - wa, `${a.data.label} / ${b.data.label}`).toBe(true);
      }
    expect(sideBySide).toBeGreaterThan(0);
  });
});
