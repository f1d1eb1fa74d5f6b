// Types for launch.mjs (kept as plain JS so `npm run neo4j` needs no TypeScript loader).
export declare const MODULE_DIR: string;
export declare const POM: string;
export declare const JAR: string;
export interface LocalMemory {
  /** JVM heap, e.g. "1g" (default: NEO4J_LOCAL_HEAP or 1g). */
  heap?: string;
  /** Neo4j page cache, e.g. "64m" (default: NEO4J_LOCAL_PAGECACHE or 64m). */
  pagecache?: string;
  /** Memory one transaction may use (db.memory.transaction.max), e.g. "4m"; default: Neo4j's (unlimited per transaction). */
  transactionMax?: string;
}
export declare function jvmFlags(memory?: LocalMemory): string[];
export declare const READY_PREFIX: string;
export declare function commandWorks(cmd: string, args?: string[]): boolean;
export declare function jarIsStale(): boolean;
export declare function ensureJar(): string;
export declare function javaArgs(port?: number, dataDir?: string, memory?: LocalMemory): string[];
