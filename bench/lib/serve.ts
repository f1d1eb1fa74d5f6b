// `configgraph serve` in its own process, as a user runs it, so a load generator does not share its event
// loop. Its request log is read until it says where it serves, then drained unread.
import { spawn } from 'node:child_process';

export interface ServeProcess {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

export async function startServeProcess(dbPath: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/configgraph.js', 'serve', '--port', '0', '--store', `sqlite:${dbPath}`], {
    cwd: process.cwd(),
    env: { ...process.env, CONFIGGRAPH_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${seen.slice(0, 500)}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) return; // keep draining the request log, unread
      seen += chunk.toString('utf8');
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${seen.slice(0, 500)}`)));
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid as number, stop };
}
