// GraphStore.versionsOfType over Neo4j: every recorded resource of one type in a scope with its versions.
import type { ResourceVersions, TypeScope } from '../../store.ts';
import { groupByResource } from '../versions-by-resource.ts';
import { rows, versionFromProps, type Runner } from './query.ts';

export async function versionsOfTypeNeo4j(
  tx: Runner,
  resourceType: string,
  scope: TypeScope,
): Promise<ResourceVersions[]> {
  const found = await rows(
    tx,
    `MATCH (r:Resource {resourceType: $type}) WHERE r.recorded
       AND ($accountId IS NULL OR r.accountId = $accountId)
       AND ($awsRegion IS NULL OR r.awsRegion = $awsRegion)
       AND ($resourceId IS NULL OR r.resourceId = $resourceId)
     MATCH (r)-[:HAS_VERSION]->(v:Version)
     RETURN r.key AS key, v.body AS body, v.configuration AS configuration`,
    {
      type: resourceType,
      accountId: scope.accountId ?? null,
      awsRegion: scope.awsRegion ?? null,
      resourceId: scope.resourceId ?? null,
    },
  );
  return groupByResource(
    found.map((row) => ({
      key: row.key as string,
      version: versionFromProps(row.body, row.configuration),
    })),
  );
}
