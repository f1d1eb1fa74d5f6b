// SPEC G8: where few connections meet, fCoSE is asked for a line long enough to hold its label between the two
// resources; at a busy resource lines stay short, so a hub's view stays compact.
import { describe, expect, it } from 'vitest';
import { idealEdgeLength } from '../../client/src/views/fcose-layout.ts';

describe('idealEdgeLength', () => {
  const twin = 'Is attached to Instance /\nContains NetworkInterface';

  it('G8: gives a connection between quiet resources room for the widest line of its label', () => {
    const length = idealEdgeLength(twin, 3);
    // Wider than the longer line at ~4 px a character (9 px DejaVu Sans), so the label lies between the icons.
    expect(length).toBeGreaterThan('Contains NetworkInterface'.length * 4);
    // The lines are measured apart: two short lines need less than the label on one line would.
    expect(length).toBeLessThan(idealEdgeLength(twin.replace('\n', ' '), 3));
  });

  it('G8: keeps lines short at a busy resource and without a label', () => {
    expect(idealEdgeLength(twin, 7)).toBe(idealEdgeLength('', 1));
    expect(idealEdgeLength('', 1)).toBe(40);
    expect(idealEdgeLength('Routes to', 1)).toBeLessThan(idealEdgeLength(twin, 1));
  });
});
