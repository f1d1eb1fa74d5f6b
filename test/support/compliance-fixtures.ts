// The compliance fixtures (test/config-shaped/compliance, both key spellings), parsed by the real parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigItem } from '../../graph/model.ts';
import { parseFileContent } from '../../graph/parse/index.ts';

export const COMPLIANCE_FIXTURES = join(import.meta.dirname, '..', 'config-shaped', 'compliance');
/** A security group's compliance (API spelling): restricted-ssh compliant → non-compliant → compliant. */
export const SG_COMPLIANCE_FILE = 'get-resource-config-history.security-group-compliance.json';
/** A volume's compliance (S3 spelling): encrypted-volumes non-compliant → compliant; the volume is never recorded. */
export const VOLUME_COMPLIANCE_FILE = 'config-history.volume-compliance.json';
export const FIXTURE_SG = 'sg-0a1b2c3d4e5f60718';
export const FIXTURE_VOLUME = 'vol-0f1e2d3c4b5a69788';

export function complianceFixtureItems(file: string): ConfigItem[] {
  const parsed = parseFileContent(readFileSync(join(COMPLIANCE_FIXTURES, file)), file);
  if (parsed.skipped.length) throw new Error(`${file}: ${JSON.stringify(parsed.skipped)}`);
  return parsed.items;
}
