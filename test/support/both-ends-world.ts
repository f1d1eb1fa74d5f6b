// A small VPC recorded from both ends with Config's own relationship names, as real Config records
// EC2 networking (see test/fixtures/aws-config-rdk/example_ci): instance i-1 in subnet-1, whose route
// table rtb-1 routes to NAT gateway nat-1 and internet gateway igw-1; subnet-2 holds 45 instances and
// its route table rtb-2 routes to 45 peerings (a hub). Used by the store contract and the browser tests.
import type { ConfigItem } from '../../graph/model.ts';
import { items, T } from './ci-builder.ts';

const VPC = 'AWS::EC2::VPC';
const SUBNET = 'AWS::EC2::Subnet';
const INSTANCE = 'AWS::EC2::Instance';
const SG = 'AWS::EC2::SecurityGroup';
const ENI = 'AWS::EC2::NetworkInterface';
const RT = 'AWS::EC2::RouteTable';
const ACL = 'AWS::EC2::NetworkAcl';

/** A small world recorded from both ends with Config's own names, as real Config records it. */
export function bothEndsWorld(): ConfigItem[] {
  const t = T(1);
  const hubInstances = Array.from({ length: 45 }, (_, i) => `i-b${String(i).padStart(2, '0')}`);
  const peerings = Array.from({ length: 45 }, (_, i) => `pcx-${String(i).padStart(2, '0')}`);
  return items(
    {
      type: INSTANCE,
      id: 'i-1',
      time: t,
      rels: [
        { name: 'Contains NetworkInterface', type: ENI, id: 'eni-1' },
        { name: 'Is associated with SecurityGroup', type: SG, id: 'sg-1' },
        { name: 'Is contained in Subnet', type: SUBNET, id: 'subnet-1' },
        { name: 'Is attached to Volume', type: 'AWS::EC2::Volume', id: 'vol-1' },
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
      ],
    },
    {
      type: ENI,
      id: 'eni-1',
      time: t,
      rels: [
        { name: 'Is contained in Subnet', type: SUBNET, id: 'subnet-1' },
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
        { name: 'Is associated with SecurityGroup', type: SG, id: 'sg-1' },
        { name: 'Is attached to Instance', type: INSTANCE, id: 'i-1' },
        { name: 'Is attached to ElasticIp', type: 'AWS::EC2::EIP', id: 'eipalloc-1' },
      ],
    },
    {
      type: 'AWS::EC2::EIP',
      id: 'eipalloc-1',
      time: t,
      rels: [{ name: 'Is attached to NetworkInterface', type: ENI, id: 'eni-1' }],
    },
    {
      type: SG,
      id: 'sg-1',
      time: t,
      rels: [
        { name: 'Is associated with NetworkInterface', type: ENI, id: 'eni-1' },
        { name: 'Is associated with Instance', type: INSTANCE, id: 'i-1' },
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
      ],
    },
    {
      type: SUBNET,
      id: 'subnet-1',
      time: t,
      rels: [
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
        { name: 'Contains NetworkInterface', type: ENI, id: 'eni-1' },
        { name: 'Contains Instance', type: INSTANCE, id: 'i-1' },
        { name: 'Is contained in RouteTable', type: RT, id: 'rtb-1' },
        { name: 'Is attached to NetworkAcl', type: ACL, id: 'acl-1' },
      ],
    },
    {
      type: SUBNET,
      id: 'subnet-2',
      time: t,
      rels: [
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
        { name: 'Is contained in RouteTable', type: RT, id: 'rtb-2' },
        ...hubInstances.map((id) => ({ name: 'Contains Instance', type: INSTANCE, id })),
      ],
    },
    ...hubInstances.map((id) => ({
      type: INSTANCE,
      id,
      time: t,
      rels: [
        { name: 'Is contained in Subnet', type: SUBNET, id: 'subnet-2' },
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
      ],
    })),
    {
      type: RT,
      id: 'rtb-1',
      time: t,
      rels: [
        { name: 'Contains Subnet', type: SUBNET, id: 'subnet-1' },
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
      ],
      configuration: {
        routeTableId: 'rtb-1',
        routes: [
          { destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-1' },
          { destinationCidrBlock: '10.9.0.0/16', gatewayId: 'igw-1' },
        ],
      },
    },
    {
      type: RT,
      id: 'rtb-2',
      time: t,
      rels: [
        { name: 'Contains Subnet', type: SUBNET, id: 'subnet-2' },
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
      ],
      configuration: {
        routeTableId: 'rtb-2',
        routes: peerings.map((id, i) => ({ destinationCidrBlock: `10.${i}.0.0/16`, vpcPeeringConnectionId: id })),
      },
    },
    {
      type: ACL,
      id: 'acl-1',
      time: t,
      rels: [
        { name: 'Is attached to Subnet', type: SUBNET, id: 'subnet-1' },
        { name: 'Is contained in Vpc', type: VPC, id: 'vpc-1' },
      ],
    },
    {
      type: 'AWS::EC2::NatGateway',
      id: 'nat-1',
      time: t,
      rels: [
        { name: 'Is contained in ', type: VPC, id: 'vpc-1' },
        { name: 'Is contained in ', type: SUBNET, id: 'subnet-1' },
      ],
    },
    {
      type: 'AWS::EC2::InternetGateway',
      id: 'igw-1',
      time: t,
      rels: [{ name: 'Is attached to Vpc', type: VPC, id: 'vpc-1' }],
    },
    {
      type: VPC,
      id: 'vpc-1',
      time: t,
      rels: [
        { name: 'Contains Subnet', type: SUBNET, id: 'subnet-1' },
        { name: 'Contains Subnet', type: SUBNET, id: 'subnet-2' },
        { name: 'Contains NetworkInterface', type: ENI, id: 'eni-1' },
        { name: 'Contains SecurityGroup', type: SG, id: 'sg-1' },
        { name: 'Contains NetworkAcl', type: ACL, id: 'acl-1' },
        { name: 'Contains RouteTable', type: RT, id: 'rtb-1' },
        { name: 'Contains RouteTable', type: RT, id: 'rtb-2' },
        { name: 'Contains Instance', type: INSTANCE, id: 'i-1' },
        ...hubInstances.map((id) => ({ name: 'Contains Instance', type: INSTANCE, id })),
        { name: 'Is attached to InternetGateway', type: 'AWS::EC2::InternetGateway', id: 'igw-1' },
      ],
    },
  );
}
