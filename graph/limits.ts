// How much one file or item may hold before it is skipped (SPEC P8). Real Config data stays far below
// these; they exist so that one hostile or corrupt input cannot exhaust memory or the stack and abort
// an import. Each is configurable (import options, `configgraph import --max-file-mb` and friends).

export interface ImportLimits {
  /** Bytes of a file after decompression; a larger file is skipped without reading past the limit. */
  maxFileBytes: number;
  /** Levels of nested objects and arrays in one item (configuration, tags, relationships). */
  maxNesting: number;
  /** Characters in one string value or key of an item. */
  maxStringLength: number;
}

export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = {
  maxFileBytes: 256 * 1024 * 1024,
  maxNesting: 100,
  maxStringLength: 8 * 1024 * 1024,
};

export function importLimits(given: Partial<ImportLimits> = {}): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...given };
}

/**
 * The first way `value` breaks the nesting or string limits, or undefined. Iterative, so a value
 * nested thousands of levels deep is measured without exhausting the stack.
 */
export function exceedsLimits(value: unknown, limits: ImportLimits): string | undefined {
  // Two parallel stacks rather than a pair per value: every item of every file is measured here.
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) return `holds a string longer than ${limits.maxStringLength} characters`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limits.maxNesting) return `nests objects or arrays more than ${limits.maxNesting} levels deep`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        values.push(v[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const k of Object.keys(v)) {
      if (k.length > limits.maxStringLength) return `holds a key longer than ${limits.maxStringLength} characters`;
      values.push((v as Record<string, unknown>)[k]);
      depths.push(depth + 1);
    }
  }
  return undefined;
}
