// The CPU time of the local Neo4j this process started (its `java` child), read from /proc: on a shared
// machine the wall clock moves 2-3x between identical runs, the server's CPU much less.
import { readdirSync, readFileSync } from 'node:fs';

/** The local Neo4j (the java child of this process): its pid and CPU ms so far; undefined if none. */
export function neo4jProcess(): { pid: string; cpuMs: number } | undefined {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === process.pid && stat.includes('(java)'))
        return { pid, cpuMs: (Number(f[11]) + Number(f[12])) * 10 };
    } catch {
      /* gone meanwhile */
    }
  }
  return undefined;
}

/** CPU ms of the local Neo4j so far (NaN when the server is not this process's child). */
export const neo4jCpuMs = (): number => neo4jProcess()?.cpuMs ?? Number.NaN;
