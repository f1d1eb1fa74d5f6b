// GraphStore.versionsOfType over SQLite: every recorded resource of one type in a scope with its versions.
import type Database from 'better-sqlite3';
import type { ResourceVersions, TypeScope } from '../../store.ts';
import { groupByResource } from '../versions-by-resource.ts';
import { VERSION_COLUMNS, versionOf } from './bodies.ts';

type Row = Record<string, unknown>;

export function versionsOfTypeSqlite(
  db: Database.Database,
  resourceType: string,
  scope: TypeScope,
): ResourceVersions[] {
  const filters = ['r.recorded = 1', 'r.resource_type = ?'];
  const params: string[] = [resourceType];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    filters.push(`r.${column} = ?`);
    params.push(value);
  };
  add('account_id', scope.accountId);
  add('aws_region', scope.awsRegion);
  add('resource_id', scope.resourceId);
  const found = db
    .prepare(
      `SELECT r.key, ${VERSION_COLUMNS}
       FROM resources r JOIN versions v ON v.key = r.key WHERE ${filters.join(' AND ')}`,
    )
    .all(...params) as Row[];
  return groupByResource(
    found.map((row) => ({
      key: row.key as string,
      version: versionOf(row.body as Buffer | string, row.config as Buffer | string | null),
    })),
  );
}
