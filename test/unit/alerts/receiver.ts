import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** Decides the response to each request; the default answers 200 "ok" as Slack does. */
export type Responder = (request: Received, index: number, response: ServerResponse) => void;

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly requests: Received[];
  /** The requests whose path is `path`, bodies parsed as JSON. */
  json(path: string): unknown[];
  close(): Promise<void>;
}

const ok: Responder = (_request, _index, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
};

/** A real HTTP server on a free local port that records every request. */
export async function startReceiver(respond: Responder = ok): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(received);
      respond(received, requests.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    json: (path) => requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as unknown),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
