// The synthetic AWS Config environment generator: `generateEnvironment(options)` returns raw
// configuration items with history, in the API spelling; `./s3-delivery.ts` turns them into the
// gzipped ConfigSnapshot / ConfigHistory files Config delivers to S3.
import { discoverAll, finishEnvironment, layoutEnvironment } from './estate.ts';
import { addRandomHistory } from './history.ts';
import type { GeneratedEnvironment, GeneratorOptions } from './types.ts';

export type {
  ApiConfigItem,
  ApiRelationship,
  S3ConfigItem,
  S3Relationship,
  GeneratedEnvironment,
  GeneratorOptions,
} from './types.ts';
export { toS3Item, fromApiItems } from './wire.ts';
export { deliveryFiles, writeDeliveryFiles, type DeliveryFile } from './s3-delivery.ts';
export { realShapedEnvironment, REAL_SHAPED } from './real-shaped.ts';

// The builders, for an estate laid out by hand (world/demo.ts) from the same pieces as a generated one.
export { World, type Resource } from './world.ts';
export { discoverAll, finishEnvironment, layoutEnvironment } from './estate.ts';
export { addRandomHistory } from './history.ts';
export * from './network.ts';
export * from './compute.ts';
export * from './services.ts';
export { EVALUATION_DELAY_MS } from './compliance.ts';

export function generateEnvironment(options: GeneratorOptions = {}): GeneratedEnvironment {
  const { layout, options: resolved } = layoutEnvironment(options);
  discoverAll(layout);
  addRandomHistory(layout, resolved.changeRate);
  return finishEnvironment(layout, resolved);
}

/** Presets: small ≈ the demo's scale, medium ≈ 13k CIs, large ≈ 88k CIs, compliance items included (see docs/benchmarks.md). */
export const SIZES: Record<'small' | 'medium' | 'large' | 'xlarge', GeneratorOptions> = {
  small: {
    accounts: 2,
    regions: ['us-east-1', 'eu-west-1'],
    vpcsPerRegion: 2,
    subnetsPerVpc: 4,
    instancesPerSubnet: 2,
    days: 14,
    changeRate: 0.05,
  },
  medium: {
    accounts: 3,
    regions: ['us-east-1', 'eu-west-1'],
    vpcsPerRegion: 4,
    subnetsPerVpc: 6,
    instancesPerSubnet: 8,
    days: 7,
    changeRate: 0.05,
  },
  large: {
    accounts: 4,
    regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
    vpcsPerRegion: 10,
    subnetsPerVpc: 6,
    instancesPerSubnet: 11,
    days: 7,
    changeRate: 0.05,
  },
  // Organisation scale (issue 13): about 100,000 resources and 300,000 CIs over four weeks.
  xlarge: {
    accounts: 6,
    regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
    vpcsPerRegion: 12,
    subnetsPerVpc: 8,
    instancesPerSubnet: 12,
    days: 28,
    changeRate: 0.04,
  },
};

export type SizeName = keyof typeof SIZES;

export function isSizeName(s: string): s is SizeName {
  return s === 'small' || s === 'medium' || s === 'large' || s === 'xlarge';
}
