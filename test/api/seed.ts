// What the API tests serve: the demo environment (stable ids and times, see world/demo.ts), every
// real sample in test/fixtures, and a few crafted CIs for cases the others lack (an id two resources
// share, an ARN as resource id with slashes).
import type { GraphStore } from '../../graph/store.ts';
import { demoRunInput } from '../../world/demo-load.ts';
import { items } from '../support/ci-builder.ts';
import { fixtureItems } from '../support/fixtures.ts';

export const CRAFTED = {
  /** Two instances share this id (different regions): a bare reference to it is ambiguous. */
  sharedId: 'i-0aaaabbbbccccdddd',
  sharedRegions: ['eu-west-1', 'eu-central-1'],
  /** ELBv2 load balancers are identified by their ARN: slashes and colons in a path segment. */
  loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web-lb/50dc6c495c0c9188',
  time: '2024-03-01T00:00:00.000Z',
};

/** A real sample whose resource id is an ARN with slashes and a `$`. */
export const FIXTURE_STAGE_ID = 'arn:aws:apigateway:us-east-2::/apis/test/stages/$default';

export async function seedApiStore(store: GraphStore): Promise<void> {
  const { description: _description, ...demo } = demoRunInput();
  await store.ingest({ ...demo, startedAt: '2026-03-16T01:00:00.000Z' });
  const fixtures = await fixtureItems();
  await store.ingest({
    source: 'fixtures',
    scope: 'test/fixtures',
    items: fixtures.items,
    startedAt: '2026-03-16T02:00:00.000Z',
  });
  const crafted = items(
    ...CRAFTED.sharedRegions.map((region) => ({
      type: 'AWS::EC2::Instance',
      id: CRAFTED.sharedId,
      region,
      time: CRAFTED.time,
    })),
    {
      type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      id: CRAFTED.loadBalancerArn,
      arn: CRAFTED.loadBalancerArn,
      name: 'web-lb',
      time: CRAFTED.time,
    },
  );
  await store.ingest({ source: 'crafted', scope: 'test', items: crafted, startedAt: '2026-03-16T03:00:00.000Z' });
}
