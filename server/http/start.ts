// Starts the HTTP server: refuses unsafe bindings, listens, and shuts down gracefully (stops
// accepting, lets in-flight requests finish, then closes idle keep-alive connections).
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApp, type AppOptions } from './app.ts';
import { checkBindingIsSafe } from './security.ts';

export interface StartOptions extends AppOptions {
  /** Defaults to 127.0.0.1; anything else requires a token. */
  host?: string;
  /** 0 picks a free port. Defaults to 8080. */
  port?: number;
  /** How long close() waits for in-flight requests before cutting them. */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  server: Server;
  /** Stops accepting, waits for in-flight requests (up to the timeout), then resolves. */
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  checkBindingIsSafe(host, opts.token);
  // The address it listens on is a name it serves (unless it is a wildcard).
  const own = host === '0.0.0.0' || host === '::' ? [] : [host];
  const app = createApp({ ...opts, allowedHosts: [...own, ...(opts.allowedHosts ?? [])] });
  const server = createServer(app);
  // Slow clients must not hold sockets forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts.port ?? 8080, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const timeout = setTimeout(() => server.closeAllConnections(), opts.shutdownTimeoutMs ?? 10_000);
      timeout.unref();
      // Keep-alive sockets would hold close() open until they time out: close each one as soon as
      // it is idle, i.e. right after its request in flight has been answered.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      sweep.unref();
      server.close(() => {
        clearTimeout(timeout);
        clearInterval(sweep);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { url, host, port: address.port, server, close };
}
