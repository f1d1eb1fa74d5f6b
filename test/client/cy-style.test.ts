// G15: the stylesheet breaks a resource label's spaceless id within the label's width.
import { describe, expect, it } from 'vitest';
import { cyStyle } from '../../client/src/views/cy-style.ts';

describe('resource labels (G15)', () => {
  it('wrap within 120 px, breaking an id with no space in it rather than running into the next label', () => {
    const resource = cyStyle().find((r) => 'selector' in r && r.selector === 'node.resource') as unknown as {
      style: Record<string, unknown>;
    };
    expect(resource.style['text-wrap']).toBe('wrap');
    expect(resource.style['text-max-width']).toBe('120px');
    expect(resource.style['text-overflow-wrap']).toBe('anywhere');
  });
});
