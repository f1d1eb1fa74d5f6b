// G14: the navigator shows only while part of the drawing is off screen.
import { describe, expect, it } from 'vitest';
import { wholeDrawingInView } from '../../client/src/views/minimap.ts';

describe('the navigator (G14)', () => {
  const drawing = { x1: 0, y1: 0, x2: 1000, y2: 600 };

  it('is not needed while the whole drawing is on screen (a fitted view): it would cover its corner', () => {
    expect(wholeDrawingInView({ x1: -30, y1: -30, x2: 1030, y2: 630 }, drawing)).toBe(true);
    // A label measured a few pixels wider than the fit allowed for still counts as on screen.
    expect(wholeDrawingInView({ x1: 5, y1: 0, x2: 1000, y2: 598 }, drawing)).toBe(true);
  });

  it('is needed as soon as part of the drawing is off screen (zoomed in, or panned away)', () => {
    expect(wholeDrawingInView({ x1: 200, y1: 100, x2: 700, y2: 400 }, drawing)).toBe(false);
    expect(wholeDrawingInView({ x1: 300, y1: -30, x2: 1330, y2: 630 }, drawing)).toBe(false);
  });
});
