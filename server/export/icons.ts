// The shipped per-family icons (client/src/icons/*.svg), read from disk once for the draw.io export.
// Nothing is fetched from the internet: the icons travel inside the exported file as data URIs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAMILIES, type Family } from '../../graph/family.ts';

let cache: Record<Family, string> | undefined;

export function iconSvgs(): Record<Family, string> {
  cache ??= Object.fromEntries(
    FAMILIES.map((f) => [
      f,
      readFileSync(fileURLToPath(new URL(`../../client/src/icons/${f}.svg`, import.meta.url)), 'utf8'),
    ]),
  ) as Record<Family, string>;
  return cache;
}
