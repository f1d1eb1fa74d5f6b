import { defineConfig } from 'vitest/config';

// Four projects, so a change can be checked with the loop that fits it:
//   unit     the pure domain, parsers, the generator, client logic, the layer check and the in-memory
//            store's contract (no database, no browser)
//   sqlite   the store contract, CLI, HTTP API and collector on the embedded store
//   neo4j    everything that needs a real Neo4j (started once per run by its globalSetup)
//   browser  the explorer end to end in headless Chromium
// `npm test` runs all four; `npm run test:fast` runs unit and sqlite (no JVM, no browser).
// Every test file belongs to exactly one project: sqlite takes whatever the others do not.
const unit = [
  'test/graph/**/*.test.ts',
  'test/client/**/*.test.ts',
  'test/architecture/**/*.test.ts',
  'test/generator/{generator,parse,s3-delivery,relationships,compliance}.test.ts',
  'test/contract/memory.contract.test.ts',
];
const neo4j = ['test/neo4j/**/*.test.ts', 'test/contract/neo4j.contract.test.ts', 'test/api/neo4j.api.test.ts'];
const browser = ['test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: one file at a time per core keeps Neo4j, Chromium and the servers responsive.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [...unit, ...neo4j, ...browser] },
      },
      // One Neo4j for the whole run: NEO4J_URI, else the local embedded one (test/neo4j-local).
      { extends: true, test: { name: 'neo4j', include: neo4j, globalSetup: ['test/setup/neo4j-global.ts'] } },
      // A page's first answers wait on a cold server and browser, and CI runs two files at once: expect.poll
      // waits up to 10 s for what the user would see (vitest's default, 1 s, failed a first page load there).
      { extends: true, test: { name: 'browser', include: browser, expect: { poll: { timeout: 10_000 } } } },
    ],
  },
});
