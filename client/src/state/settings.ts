// Drawing settings kept in this browser (localStorage): how many elements to draw before asking,
// and whether to draw with WebGL. A missing or hand-edited entry falls back to the defaults.
import { isObject } from '../../../graph/is-object.ts';
import type { KeyValueStore } from '../recent.ts';

export interface DrawingSettings {
  /** Above this many nodes and edges, ask before drawing. */
  maxElements: number;
  webgl: boolean;
}

const KEY = 'configgraph.settings';
/** Below this the question would come up for every ordinary view. */
export const MIN_MAX_ELEMENTS = 50;

export function defaultSettings(): DrawingSettings {
  return { maxElements: 600, webgl: false };
}

export function readSettings(store: KeyValueStore): DrawingSettings {
  const settings = defaultSettings();
  try {
    const s: unknown = JSON.parse(store.getItem(KEY) ?? '{}');
    if (isObject(s)) {
      if (typeof s['maxElements'] === 'number' && s['maxElements'] >= MIN_MAX_ELEMENTS)
        settings.maxElements = s['maxElements'];
      if (typeof s['webgl'] === 'boolean') settings.webgl = s['webgl'];
    }
  } catch {
    // Defaults are fine.
  }
  return settings;
}

export function saveSettings(store: KeyValueStore, settings: DrawingSettings): void {
  store.setItem(KEY, JSON.stringify(settings));
}

/**
 * Whether to ask before drawing `count` elements: only above the limit, and only once per
 * resource and size (`approved` is the answer already given, as from `largeGraphSignature`).
 */
export function mustAskBeforeDrawing(
  count: number,
  settings: DrawingSettings,
  signature: string,
  approved: string,
): boolean {
  return count > settings.maxElements && approved !== signature;
}

export function largeGraphSignature(resource: string | undefined, count: number): string {
  return `${resource}|${count}`;
}
