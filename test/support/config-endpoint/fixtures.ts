// Builds endpoint worlds from real recordings (test/fixtures, see its PROVENANCE.md); a CI whose
// recording lacks accountId gets the recordings' account (see api-items.ts for the conversion).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { worldItemFromApi, type Raw } from '../../../bench/support/config-endpoint/api-items.ts';
import type { WorldItem } from '../../../bench/support/config-endpoint/world.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const PLACEBO = join(FIXTURES, 'cloud-custodian/tests/data/placebo');
/** The cloud-custodian test account every placebo recording comes from. */
export const PLACEBO_ACCOUNT = '644160558196';

/** Every CI in the placebo GetResourceConfigHistory recordings (9 resources, 2 regions, one deletion). */
export function placeboHistoryItems(notes: string[] = []): WorldItem[] {
  const out: WorldItem[] = [];
  for (const dir of readdirSync(PLACEBO).sort()) {
    for (const f of readdirSync(join(PLACEBO, dir)).sort()) {
      if (!f.startsWith('config.GetResourceConfigHistory_')) continue;
      const doc = JSON.parse(readFileSync(join(PLACEBO, dir, f), 'utf8')) as { data: { configurationItems: Raw[] } };
      for (const ci of doc.data.configurationItems)
        out.push(worldItemFromApi(ci, { accountId: PLACEBO_ACCOUNT }, notes));
    }
  }
  return out;
}

/** Resource identifiers recorded from ListDiscoveredResources (to cross-check the world's answers). */
export function placeboDiscovered(): { resourceType: string; resourceId: string; resourceName?: string }[] {
  const out: { resourceType: string; resourceId: string; resourceName?: string }[] = [];
  for (const dir of readdirSync(PLACEBO).sort()) {
    for (const f of readdirSync(join(PLACEBO, dir))) {
      if (!f.startsWith('config.ListDiscoveredResources_')) continue;
      const doc = JSON.parse(readFileSync(join(PLACEBO, dir, f), 'utf8')) as {
        data: { resourceIdentifiers: { resourceType: string; resourceId: string; resourceName?: string }[] };
      };
      out.push(...doc.data.resourceIdentifiers);
    }
  }
  return out;
}

/** CIs of a seeded synthetic environment from the demo generator (world/generator), API spelling. */
export async function generatorItems(
  options: import('../../../world/generator/types.ts').GeneratorOptions,
): Promise<{ items: WorldItem[]; start: string; end: string }> {
  const { generateEnvironment } = await import('../../../world/generator/index.ts');
  const env = generateEnvironment(options);
  return { items: env.items.map((i) => worldItemFromApi(i as unknown as Raw)), start: env.start, end: env.end };
}
