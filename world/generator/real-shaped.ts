// A small estate shaped like one real AWS Config recorder: one account, one region, one VPC over two
// availability zones with a public and a private subnet in each, an internet gateway and a NAT gateway,
// route tables, a network ACL, security groups, instances with their interfaces, volumes and an Elastic
// IP, an application and a classic load balancer, an S3 gateway endpoint and an interface endpoint, a peering to a
// partner account's VPC, RDS, Lambda, IAM and S3, and two days of history. Relationships are recorded
// from both ends where Config records both (see recorded.ts). Synthetic: fixed seed, fixed in time.
import { discoverAll, finishEnvironment, layoutEnvironment } from './estate.ts';
import { addInstance, pastCreation } from './environment.ts';
import { addRandomHistory } from './history.ts';
import { createClassicLoadBalancer } from './services.ts';
import { createVpnGateway } from './network.ts';
import type { GeneratedEnvironment } from './types.ts';

export const REAL_SHAPED = {
  seed: 'configgraph-real-shaped',
  accountId: '123456789012',
  region: 'us-east-1',
  start: '2026-03-02T00:00:00.000Z',
  days: 2,
} as const;

export function realShapedEnvironment(seed: string = REAL_SHAPED.seed): GeneratedEnvironment {
  const { layout, options } = layoutEnvironment({
    seed,
    accounts: [REAL_SHAPED.accountId],
    regions: [REAL_SHAPED.region],
    vpcsPerRegion: 1,
    subnetsPerVpc: 4,
    instancesPerSubnet: 2,
    days: REAL_SHAPED.days,
    changeRate: 0.05,
    start: REAL_SHAPED.start,
    services: true,
  });
  const site = layout.accounts[0]?.regions[0]?.vpcs[0];
  const subnet = site?.publicSubnets[0];
  if (!site || !subnet) throw new Error('real-shaped estate: no VPC laid out');
  // At least one instance with an Elastic IP, whatever the seed; and a classic load balancer beside the ALB.
  addInstance(layout, site, subnet, pastCreation(layout.world), site.instances.length + 1, true);
  site.other.push(
    createVpnGateway(layout.world, site.place, {
      id: `vgw-${layout.world.rng.hex(17)}`,
      vpc: site.vpc,
      name: `${site.env}-vgw`,
      createdAt: pastCreation(layout.world),
    }),
    createClassicLoadBalancer(layout.world, site.place, {
      name: `${site.env}-classic-elb`,
      vpc: site.vpc,
      subnets: site.publicSubnets,
      securityGroups: [site.securityGroups.web],
      createdAt: pastCreation(layout.world),
    }),
  );
  discoverAll(layout);
  addRandomHistory(layout, options.changeRate);
  return finishEnvironment(layout, options);
}
