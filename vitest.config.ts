import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Neo4j for the whole run: NEO4J_URI, else the local embedded one (test/neo4j-local).
    globalSetup: ['test/setup/neo4j-global.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: one file at a time per core keeps Neo4j, Chromium and the servers responsive.
    maxWorkers: 2,
  },
});
