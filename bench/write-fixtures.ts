// Writes the synthetic fixtures that are committed under test/config-shaped/synthetic/
// (test/generator/config-shaped.test.ts fails when they drift from what the generator makes):
//
//   tsx bench/write-fixtures.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rdkCompanionFile } from '../world/generator/rdk-companion.ts';

export const COMPANION_FILE = join(
  fileURLToPath(new URL('..', import.meta.url)),
  'test/config-shaped/synthetic/rdk-264683526309-companion.ConfigHistory.json',
);

export function companionText(): string {
  return `${JSON.stringify(rdkCompanionFile(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(COMPANION_FILE, companionText());
  console.log(`wrote ${COMPANION_FILE}`);
}
