// The local AWS Config endpoint (bench/support/config-endpoint, shared with the benches) plus worlds
// built from the recordings under test/fixtures.
export * from '../../../bench/support/config-endpoint/index.ts';
export { placeboHistoryItems, placeboDiscovered, PLACEBO_ACCOUNT } from './fixtures.ts';
