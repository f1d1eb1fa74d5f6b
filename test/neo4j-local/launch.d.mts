// Types for launch.mjs (kept as plain JS so `npm run neo4j` needs no TypeScript loader).
export declare const MODULE_DIR: string;
export declare const POM: string;
export declare const JAR: string;
export declare const JVM_FLAGS: readonly string[];
export declare const READY_PREFIX: string;
export declare function commandWorks(cmd: string, args?: string[]): boolean;
export declare function jarIsStale(): boolean;
export declare function ensureJar(): string;
export declare function javaArgs(port?: number, dataDir?: string): string[];
