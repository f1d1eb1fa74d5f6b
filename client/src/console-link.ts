// A link to the resource in the AWS console. Specific pages for the common types; for the rest,
// AWS Config's own resource page, which exists for every recorded type. Every value is
// URL-encoded into a fixed https:// prefix, so untrusted ids cannot change the link's scheme or host.
import type { ResourceNode } from '../../graph/model.ts';

function consoleRegion(region: string): string {
  return region === 'global' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? 'us-east-1' : region;
}

/** Console pages by type (lower case), under the region's console; {r} and {id} are filled in encoded. */
const PAGES: Readonly<Record<string, string>> = {
  'aws::ec2::instance': '/ec2/home?region={r}#InstanceDetails:instanceId={id}',
  'aws::ec2::volume': '/ec2/home?region={r}#VolumeDetails:volumeId={id}',
  'aws::ec2::securitygroup': '/ec2/home?region={r}#SecurityGroup:groupId={id}',
  'aws::ec2::networkinterface': '/ec2/home?region={r}#NetworkInterface:networkInterfaceId={id}',
  'aws::ec2::vpc': '/vpcconsole/home?region={r}#VpcDetails:VpcId={id}',
  'aws::ec2::subnet': '/vpcconsole/home?region={r}#SubnetDetails:subnetId={id}',
  'aws::lambda::function': '/lambda/home?region={r}#/functions/{id}',
};

export function consoleUrl(node: Pick<ResourceNode, 'awsRegion' | 'resourceType' | 'resourceId'>): string {
  const r = encodeURIComponent(consoleRegion(node.awsRegion));
  const id = encodeURIComponent(node.resourceId);
  const base = `https://${r}.console.aws.amazon.com`;
  const type = node.resourceType.toLowerCase();
  // S3's console is global: the bucket page is on its own host.
  if (type === 'aws::s3::bucket') return `https://s3.console.aws.amazon.com/s3/buckets/${id}?region=${r}`;
  const page = PAGES[type];
  // One pass over the fixed template, so nothing in an encoded value is read as a placeholder.
  if (page) return base + page.replace(/\{(r|id)\}/g, (_: string, name: string) => (name === 'r' ? r : id));
  return (
    `${base}/config/home?region=${r}#/resources/details?resourceId=${id}` +
    `&resourceType=${encodeURIComponent(node.resourceType)}`
  );
}
