// The layers of README "Layout", enforced: graph/ imports only graph/; api/ and world/ only graph/;
// server/ never bench/, test/ or client/; client/ never server/, bench/, test/ or world/; bench/ never
// test/ (the local Neo4j in test/neo4j-local/ is a tool both use); and no import cycles at all.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, layerViolations, readImportGraph, type ImportGraph } from './imports.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the tree', () => {
  const tree = readImportGraph(ROOT);

  it('is read with its imports, static, dynamic and type-only (else the checks below would pass on nothing)', () => {
    expect(tree.size).toBeGreaterThan(200);
    expect(tree.get('world/demo.ts')).toContain('world/generator/index.ts');
    expect(tree.get('server/cli/commands/serve.ts')).toContain('world/demo-load.ts'); // import('…')
    expect(tree.get('graph/store.ts')).toContain('graph/views.ts'); // import type
  });

  it('imports across the layers only the allowed way', () => {
    expect(layerViolations(tree)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(tree)).toEqual([]);
  });
});

function graphOf(edges: Record<string, string[]>): ImportGraph {
  return new Map(Object.entries(edges));
}

describe('the checks bite', () => {
  it('name each file importing across a layer the wrong way', () => {
    const bad = graphOf({
      'graph/a.ts': ['graph/b.ts', 'server/x.ts'],
      'graph/b.ts': [],
      'world/w.ts': ['graph/b.ts', 'bench/lib/x.ts'],
      'api/schema.ts': ['graph/b.ts', 'world/w.ts'],
      'server/s.ts': ['graph/b.ts', 'world/w.ts', 'api/schema.ts', 'bench/generator/x.ts', 'test/support/y.ts'],
      'server/t.ts': ['client/src/api.ts'],
      'client/src/c.ts': ['graph/b.ts', 'api/schema.ts', 'server/s.ts', 'world/w.ts', 'test/t.ts', 'bench/b.ts'],
      'bench/b.ts': ['server/s.ts', 'world/w.ts', 'test/neo4j-local/start.ts', 'test/support/local.ts'],
      'test/neo4j-local/start.ts': ['test/support/y.ts'],
      'test/t.ts': ['server/s.ts', 'bench/b.ts', 'client/src/c.ts', 'world/w.ts'],
    });
    expect(layerViolations(bad)).toEqual([
      'api/schema.ts imports world/w.ts (api/ may not import world/)',
      'bench/b.ts imports test/support/local.ts (bench/ may not import test/)',
      'client/src/c.ts imports bench/b.ts (client/ may not import bench/)',
      'client/src/c.ts imports server/s.ts (client/ may not import server/)',
      'client/src/c.ts imports test/t.ts (client/ may not import test/)',
      'client/src/c.ts imports world/w.ts (client/ may not import world/)',
      'graph/a.ts imports server/x.ts (graph/ may not import server/)',
      'server/s.ts imports bench/generator/x.ts (server/ may not import bench/)',
      'server/s.ts imports test/support/y.ts (server/ may not import test/)',
      'server/t.ts imports client/src/api.ts (server/ may not import client/)',
      'test/neo4j-local/start.ts imports test/support/y.ts (neo4j-local/ may not import test/)',
      'world/w.ts imports bench/lib/x.ts (world/ may not import bench/)',
    ]);
  });

  it('name each cycle, file by file, however long', () => {
    const cyclic = graphOf({
      'server/cli/main.ts': ['server/cli/commands/serve.ts', 'server/cli/exit.ts'],
      'server/cli/commands/serve.ts': ['server/cli/exit.ts', 'server/cli/main.ts'],
      'server/cli/exit.ts': [],
      'graph/a.ts': ['graph/b.ts'],
      'graph/b.ts': ['graph/c.ts'],
      'graph/c.ts': ['graph/a.ts', 'graph/d.ts'],
      'graph/d.ts': [],
      'world/self.ts': ['world/self.ts'],
    });
    expect(importCycles(cyclic)).toEqual([
      'graph/a.ts → graph/b.ts → graph/c.ts → graph/a.ts',
      'server/cli/commands/serve.ts → server/cli/main.ts → server/cli/commands/serve.ts',
      'world/self.ts → world/self.ts',
    ]);
    expect(importCycles(graphOf({ 'graph/a.ts': ['graph/b.ts'], 'graph/b.ts': [] }))).toEqual([]);
  });
});
