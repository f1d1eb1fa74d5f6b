// Text for a terminal: names, tags and ids are attacker-controllable, and an escape sequence printed raw
// can rewrite the screen, retitle the window or hide lines. Control characters become visible escapes.
import type { CliIo } from './command.ts';

// C0 controls but tab and newline, DEL, C1 controls, and the Unicode line/paragraph separators and
// bidirectional overrides that can reorder what a reader sees.
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** stdout whose writes are made terminal-safe (JSON output is already escaped by JSON.stringify). */
export function safeStdout(stdout: CliIo['stdout']): CliIo['stdout'] {
  return new Proxy(stdout, {
    get(target, prop, receiver) {
      if (prop === 'write')
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (c: unknown, ...r: unknown[]) => boolean)(
            typeof chunk === 'string' ? terminalText(chunk) : chunk,
            ...rest,
          );
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `configgraph stats | head -1`: a reader that goes away ends the command quietly, not with a stack. */
export function quietOnClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
