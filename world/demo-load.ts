// The demo environment as one run: its configuration items and its CloudTrail log, both through the
// real parser, so the demo shows history *and* who made each change.
import { parseDocument } from '../graph/parse/index.ts';
import type { RunInput } from '../graph/store.ts';
import { demoCloudTrail } from './demo-cloudtrail.ts';
import { demoEnvironment } from './demo.ts';

export function demoRunInput(): RunInput & { description: string } {
  const demo = demoEnvironment();
  const items = parseDocument(demo.items, 'demo-environment');
  const trail = parseDocument(demoCloudTrail(), 'demo-cloudtrail.json');
  return {
    source: 'demo',
    scope: 'demo environment',
    items: items.items,
    snapshots: items.snapshots,
    skipped: [...items.skipped, ...trail.skipped],
    notes: [...items.notes, ...trail.notes, 'synthetic demo data, not from AWS'],
    events: trail.events ?? [],
    startedAt: demo.end,
    description: demo.description,
  };
}
