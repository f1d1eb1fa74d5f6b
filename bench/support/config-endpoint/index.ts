// Local AWS Config endpoint for tests and benches: see server.ts (protocol), operations.ts
// (semantics), select-expression.ts (query subset), faults.ts (throttling and failures),
// api-items.ts (worlds from API-spelled CIs and the seeded generator).
export { startConfigEndpoint, type ConfigEndpoint, type EndpointOptions, type LoggedRequest } from './server.ts';
export { ConfigWorld, worldKey, type WorldItem, type WorldRelationship } from './world.ts';
export { generatorItems, worldItemFromApi } from './api-items.ts';
export type { ScriptedFault, AccessRule } from './faults.ts';
