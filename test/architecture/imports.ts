// Reads the tree's import graph and judges it against the layers (README "Layout"): which top-level
// folder may import which, and no import cycles among source files. Pure functions over an ImportGraph,
// so the test can feed them a made-up graph and prove they catch what they should.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** Repo-relative file path (forward slashes) → the repo-relative files it imports. */
export type ImportGraph = Map<string, string[]>;

const SOURCE = /\.(ts|mts|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'target', 'fixtures', 'config-shaped', 'screenshots', '.git']);
/** The folders that hold the project's own code. */
export const SOURCE_ROOTS = ['graph', 'api', 'world', 'server', 'client/src', 'bench', 'test'];

/**
 * A file's layer: its top-level folder, except the local Neo4j (`test/neo4j-local/`), a stand-alone tool
 * that both the Neo4j tests and `npm run bench:neo4j` start.
 */
export function layerOf(file: string): string {
  if (file.startsWith('test/neo4j-local/')) return 'neo4j-local';
  return file.split('/')[0] ?? file;
}

/** For each layer, the layers it may import (itself always). A layer absent here may import anything. */
const MAY_IMPORT: Record<string, { only?: string[]; not?: string[] }> = {
  graph: { only: [] },
  api: { only: ['graph'] },
  world: { only: ['graph'] },
  'neo4j-local': { only: [] },
  server: { not: ['bench', 'test', 'client', 'neo4j-local'] },
  client: { not: ['server', 'bench', 'test', 'world', 'neo4j-local'] },
  // The explorer bench measures the client's own shaping and drawing, so it may import client/.
  bench: { not: ['test'] },
};

function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  const rule = MAY_IMPORT[from];
  if (!rule) return true;
  if (rule.only) return rule.only.includes(to);
  return !(rule.not ?? []).includes(to);
}

/** One line per import that crosses the layers the wrong way: "file imports target (a → b)". */
export function layerViolations(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const from = layerOf(file);
      const to = layerOf(target);
      if (!allowed(from, to)) found.push(`${file} imports ${target} (${from}/ may not import ${to}/)`);
    }
  }
  return found.sort();
}

/** Every import cycle, each as "a → b → … → a" (one cycle per strongly connected group of files). */
export function importCycles(graph: ImportGraph): string[] {
  // Tarjan's strongly connected components; each component of more than one file (or a file importing
  // itself) holds at least one cycle, and one shortest cycle through its first file is named.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    indexOf.set(file, index);
    low.set(file, index);
    index += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, indexOf.get(next)!));
      }
    }
    if (low.get(file) === indexOf.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      const selfLoop = (graph.get(file) ?? []).includes(file);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const file of [...graph.keys()].sort()) if (!indexOf.has(file)) visit(file);
  return components.map((component) => shortestCycle(graph, component[0]!, new Set(component)).join(' → ')).sort();
}

/** Breadth-first from `start` back to itself within one component. */
function shortestCycle(graph: ImportGraph, start: string, within: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of graph.get(file) ?? []) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = file; at !== start; at = cameFrom.get(at)!) path.unshift(at);
        path.unshift(start);
        return path;
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** The import graph of the project's own files under `root` (relative imports only; packages are not edges). */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const folder of SOURCE_ROOTS) {
    for (const file of sourceFiles(join(root, folder))) {
      const name = relative(root, file).split(sep).join('/');
      const text = readFileSync(file, 'utf8');
      const { importedFiles } = ts.preProcessFile(text, true, true);
      const targets = importedFiles
        .map((imported) => imported.fileName)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) =>
          relative(root, join(dirname(file), specifier))
            .split(sep)
            .join('/'),
        );
      graph.set(name, [...new Set(targets)]);
    }
  }
  return graph;
}

function* sourceFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* sourceFiles(join(dir, entry.name));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.mts') && !entry.name.endsWith('.d.ts')) {
      yield join(dir, entry.name);
    }
  }
}
