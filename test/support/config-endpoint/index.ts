// Local AWS Config endpoint for tests: see server.ts (protocol), operations.ts (semantics),
// select-expression.ts (query subset), faults.ts (throttling and failures), fixtures.ts (data).
export { startConfigEndpoint, type ConfigEndpoint, type EndpointOptions, type LoggedRequest } from './server.ts';
export { ConfigWorld, worldKey, type WorldItem, type WorldRelationship } from './world.ts';
export {
  generatorItems,
  placeboHistoryItems,
  placeboDiscovered,
  worldItemFromApi,
  PLACEBO_ACCOUNT,
} from './fixtures.ts';
export type { ScriptedFault, AccessRule } from './faults.ts';
