// How to build and launch the local Neo4j (shared by `npm run neo4j` and test/support/local-neo4j.ts).
// Plain JS so that `node test/neo4j-local/run.mjs` needs no TypeScript loader.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODULE_DIR = dirname(fileURLToPath(import.meta.url));
export const POM = join(MODULE_DIR, 'pom.xml');
export const JAR = join(MODULE_DIR, 'target', 'neo4j-local.jar');

/**
 * The JVM flags Neo4j 5's own launcher passes on JDK 17 (its neo4j.conf `server.jvm.additional`
 * lines): Neo4j reaches into java.nio / sun.nio.ch for direct buffers and native I/O, and Netty
 * (Bolt) reflects on them.
 */
export function jvmFlags(memory = {}) {
  const heap = memory.heap || process.env.NEO4J_LOCAL_HEAP || '1g';
  const pagecache = memory.pagecache || process.env.NEO4J_LOCAL_PAGECACHE || '64m';
  return [
    // Modest by default (tests); benchmarks may raise them: NEO4J_LOCAL_HEAP=2g NEO4J_LOCAL_PAGECACHE=512m.
    `-Xms${heap}`,
    `-Xmx${heap}`,
    `-Dconfiggraph.pagecache=${pagecache}`,
    ...(memory.transactionMax ? [`-Dconfiggraph.txmax=${memory.transactionMax}`] : []),
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dlog4j2.disable.jmx=true',
    '-Dfile.encoding=UTF-8',
  ];
}

/** True when `cmd` runs (used for java and mvn). */
export function commandWorks(cmd, args = ['-version']) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

function newestSourceTime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether the jar is missing or older than the module's sources. */
export function jarIsStale() {
  if (!existsSync(JAR)) return true;
  const built = statSync(JAR).mtimeMs;
  return Math.max(statSync(POM).mtimeMs, newestSourceTime(join(MODULE_DIR, 'src'))) > built;
}

/** Builds the jar with Maven when missing or stale; throws with Maven's output on failure. */
export function ensureJar() {
  if (!jarIsStale()) return JAR;
  if (!commandWorks('mvn', ['-v'])) {
    throw new Error(`the local Neo4j is not built (${JAR}) and Maven (mvn) is not available to build it`);
  }
  process.stderr.write(`neo4j-local: building ${JAR} with Maven (first time downloads Neo4j from Maven Central)...\n`);
  const r = spawnSync('mvn', ['-q', '-B', '-f', POM, 'package'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`building the local Neo4j failed (mvn -f ${POM} package):\n${(r.stdout ?? '') + (r.stderr ?? '')}`);
  }
  return JAR;
}

/** Arguments for `java`: flags, jar, port (0 = free) and optionally a data directory the caller owns. */
export function javaArgs(port = 0, dataDir, memory = {}) {
  return [...jvmFlags(memory), '-jar', JAR, String(port), ...(dataDir ? [dataDir] : [])];
}

/** The one line the server prints when ready. */
export const READY_PREFIX = 'NEO4J_BOLT_URL=';
