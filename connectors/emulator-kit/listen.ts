import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number | undefined;
  readonly host?: string | undefined;
}

export interface Listening {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Closes the server and drops keep-alive connections, so a test's `stop()` does not wait on idle sockets. */
  stop(): Promise<void>;
}

/**
 * Serves `handle` on node:http. A handler that throws past its own error handling still gets a bare 500,
 * so a client under test sees a failure instead of a hung request.
 */
export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: ListenOptions = {},
): Promise<Listening> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback; an IPv6 literal needs brackets in a URL.
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
