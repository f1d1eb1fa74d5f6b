// Cytoscape (3.35) keeps a wrapped label's lines under a key, so that a label is wrapped once until its text
// or font changes, but it reads that key from the element's render scratch, where nothing writes it: every
// measure wraps the label again. A resource's label wraps its id anywhere (cy-style.ts, G15), which is one
// text measure per character of a long line, and adding a slice of connections restyles their ends and the
// boxes around them. Drawing a view of 500 elements measured text 140,000 times, and a slice of its
// connections blocked the page for up to 213 ms (docs/benchmarks.md, "fifteenth session").
// The key Cytoscape means is the one its style hints compute for the label (its text and every style that
// changes its size): handed to the scratch before each wrap, an unchanged label is wrapped once.
import type { Core } from 'cytoscape';

/** The element internals the wrap reads: the style hints' label keys and the render scratch. */
interface ElementInternals {
  _private: Record<string, unknown> & { rscratch: Record<string, unknown> };
}

/** The part of Cytoscape's renderer (not in its typings) this needs. */
interface LabelRenderer {
  getLabelText?: (this: LabelRenderer, ele: ElementInternals, prefix?: string) => string;
}

/** Makes `cy`'s renderer wrap each label once until its text or font changes. */
export function wrapLabelsOnce(cy: Core): void {
  const renderer = (cy as unknown as { renderer(): LabelRenderer }).renderer();
  const getLabelText = renderer.getLabelText;
  // A Cytoscape without it has changed its labels: fail where the tests see it, not silently slow.
  if (typeof getLabelText !== 'function') throw new Error("Cytoscape's renderer has no getLabelText to cache");
  renderer.getLabelText = function (ele, prefix) {
    // The main label's key is labelKey; a connection's end labels' are sourceLabelKey and targetLabelKey.
    const name = prefix ? `${prefix}LabelKey` : 'labelKey';
    ele._private.rscratch[name] = ele._private[name];
    return getLabelText.call(this, ele, prefix);
  };
}
