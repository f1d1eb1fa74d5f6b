// The lookups of a reference (Q1) in Cypher, each binding `r`: made one statement at a time by resolveRef, and
// all at once by the neighbourhood's statement. `$key` is looked up as a key, `$ref` as an id, ARN or name.
export const BY_KEY = 'MATCH (r:Resource {key: $key})';
export const BY_ID_OR_ARN = `CALL () {
      MATCH (r:Resource {resourceId: $ref}) USING INDEX r:Resource(resourceId) RETURN r
      UNION MATCH (r:Resource {arn: $ref}) USING INDEX r:Resource(arn) RETURN r
    }`;
export const BY_NAME = 'MATCH (r:Resource {resourceName: $ref}) USING INDEX r:Resource(resourceName)';
