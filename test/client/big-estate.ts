// A made-up estate of any size for the big-view tests: VPCs with subnets over three zones, each subnet
// with instances and their network interfaces, each VPC with security groups, recorded as Config does.
import type { GraphEdge, ResourceNode } from '../../graph/model.ts';
import { edge, node } from './fixtures.ts';

export interface BigEstate {
  nodes: ResourceNode[];
  edges: GraphEdge[];
  /** The first VPC: a start resource. */
  root: string;
}

export function bigEstate(vpcs: number, subnetsPerVpc: number, instancesPerSubnet: number): BigEstate {
  const nodes: ResourceNode[] = [];
  const edges: GraphEdge[] = [];
  for (let v = 0; v < vpcs; v++) {
    const vpc = node('AWS::EC2::VPC', `vpc-${v}`, { tags: { Name: `vpc ${v}` } });
    nodes.push(vpc);
    const sgs = [0, 1].map((g) => node('AWS::EC2::SecurityGroup', `sg-${v}-${g}`));
    for (const sg of sgs) {
      nodes.push(sg);
      edges.push(edge(sg, vpc, 'Is contained in Vpc'));
    }
    for (let s = 0; s < subnetsPerVpc; s++) {
      const az = `us-east-1${'abc'[s % 3]}`;
      const subnet = node('AWS::EC2::Subnet', `subnet-${v}-${s}`, { availabilityZone: az });
      nodes.push(subnet);
      edges.push(edge(subnet, vpc, 'Is contained in Vpc'));
      for (let i = 0; i < instancesPerSubnet; i++) {
        const id = `${v}-${s}-${i}`;
        const instance = node('AWS::EC2::Instance', `i-${id}`, { availabilityZone: az, tags: { Name: `web ${id}` } });
        const eni = node('AWS::EC2::NetworkInterface', `eni-${id}`, { availabilityZone: az });
        nodes.push(instance, eni);
        edges.push(
          edge(instance, subnet, 'Is contained in Subnet'),
          edge(eni, subnet, 'Is contained in Subnet'),
          edge(eni, instance, 'Is attached to Instance'),
          edge(instance, sgs[i % 2]!, 'Is associated with SecurityGroup'),
          edge(eni, sgs[i % 2]!, 'Is associated with SecurityGroup'),
        );
      }
    }
  }
  return { nodes, edges, root: nodes[0]!.key };
}
