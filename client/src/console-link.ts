// A link to the resource in the AWS console. Specific pages for the common types; for the rest,
// AWS Config's own resource page, which exists for every recorded type. Every value is
// URL-encoded into a fixed https:// prefix, so untrusted ids cannot change the link's scheme or host.
import type { ResourceNode } from '../../graph/model.ts';

function consoleRegion(region: string): string {
  return region === 'global' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? 'us-east-1' : region;
}

export function consoleUrl(node: Pick<ResourceNode, 'awsRegion' | 'resourceType' | 'resourceId'>): string {
  const region = consoleRegion(node.awsRegion);
  const r = encodeURIComponent(region);
  const id = encodeURIComponent(node.resourceId);
  const base = `https://${r}.console.aws.amazon.com`;
  switch (node.resourceType.toLowerCase()) {
    case 'aws::ec2::instance':
      return `${base}/ec2/home?region=${r}#InstanceDetails:instanceId=${id}`;
    case 'aws::ec2::volume':
      return `${base}/ec2/home?region=${r}#VolumeDetails:volumeId=${id}`;
    case 'aws::ec2::securitygroup':
      return `${base}/ec2/home?region=${r}#SecurityGroup:groupId=${id}`;
    case 'aws::ec2::networkinterface':
      return `${base}/ec2/home?region=${r}#NetworkInterface:networkInterfaceId=${id}`;
    case 'aws::ec2::vpc':
      return `${base}/vpcconsole/home?region=${r}#VpcDetails:VpcId=${id}`;
    case 'aws::ec2::subnet':
      return `${base}/vpcconsole/home?region=${r}#SubnetDetails:subnetId=${id}`;
    case 'aws::s3::bucket':
      return `https://s3.console.aws.amazon.com/s3/buckets/${id}?region=${r}`;
    case 'aws::lambda::function':
      return `${base}/lambda/home?region=${r}#/functions/${id}`;
    default:
      return (
        `${base}/config/home?region=${r}#/resources/details?resourceId=${id}` +
        `&resourceType=${encodeURIComponent(node.resourceType)}`
      );
  }
}
