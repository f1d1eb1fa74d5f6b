// `npm run neo4j [-- PORT]`: the local Neo4j in the foreground for development (default port 7687).
// Prints NEO4J_BOLT_URL=... when ready; Ctrl-C (or closing stdin) stops it and deletes its data.
import { spawn } from 'node:child_process';
import { ensureJar, javaArgs } from './launch.mjs';

const port = Number(process.argv[2] ?? process.env.NEO4J_LOCAL_PORT ?? 7687);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`neo4j-local: invalid port "${process.argv[2]}"`);
  process.exit(2);
}
try {
  ensureJar();
} catch (e) {
  console.error(`neo4j-local: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
const child = spawn('java', javaArgs(port), { stdio: ['inherit', 'inherit', 'inherit'] });
child.on('error', (e) => {
  console.error(`neo4j-local: could not start java: ${e.message}`);
  process.exit(1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
