// Loads the real AWS Config samples the generator's output is compared with.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The real samples copied into test/fixtures (see test/fixtures/PROVENANCE.md). */
export const SAMPLES_DIR = join(here, '..', 'fixtures');

export type Json = Record<string, unknown>;

/** One example CI per resource type from aws-config-rdk/example_ci, keyed by resourceType. */
export function rdkSamples(): Map<string, Json> {
  const dir = join(SAMPLES_DIR, 'aws-config-rdk', 'example_ci');
  const out = new Map<string, Json>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    let d = JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
    if (Array.isArray(d)) d = d[0];
    const ci = d as Json;
    if (typeof ci.resourceType === 'string') out.set(ci.resourceType, ci);
  }
  return out;
}

/** Every CI in the cloud-custodian GetResourceConfigHistory placebo responses (API spelling). */
export function placeboHistoryItems(): Json[] {
  const root = join(SAMPLES_DIR, 'cloud-custodian', 'tests', 'data', 'placebo');
  const out: Json[] = [];
  for (const test of readdirSync(root)) {
    for (const f of readdirSync(join(root, test))) {
      if (!f.startsWith('config.GetResourceConfigHistory')) continue;
      const d = JSON.parse(readFileSync(join(root, test, f), 'utf8')) as { data?: { configurationItems?: Json[] } };
      out.push(...(d.data?.configurationItems ?? []));
    }
  }
  return out;
}

/**
 * The rdk sample of AWS::EC2::NetworkInterface is truncated upstream (kept unchanged in
 * example_ci/invalid-json/): its relationships array is complete, so it is read on its own.
 */
export function rdkNetworkInterfaceSample(): Json {
  const text = readFileSync(
    join(SAMPLES_DIR, 'aws-config-rdk', 'example_ci', 'invalid-json', 'AWS_EC2_NetworkInterface.json'),
    'utf8',
  );
  const rels = /"relationships":\s*(\[[\s\S]*?\n {4}\])/.exec(text);
  const type = /"resourceType":\s*"([^"]+)"/.exec(text);
  const account = /"accountId":\s*"([^"]+)"/.exec(text);
  if (!rels?.[1] || !type?.[1] || !account?.[1]) throw new Error('NetworkInterface sample: relationships not found');
  return { resourceType: type[1], accountId: account[1], relationships: JSON.parse(rels[1]) as unknown };
}
