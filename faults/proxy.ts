import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a request through the proxy is, as the fault scenarios need to tell them apart. */
export type RequestKind =
  | 'read'
  | 'auth'
  | 'schema'
  | 'account.update'
  | 'deal.upsert'
  | 'deal.associate'
  | 'note.create'
  | 'link.create'
  | 'other.write';

/** Kinds that change CRM records (not the schema, not a token). */
export const RECORD_WRITES: readonly RequestKind[] = [
  'account.update',
  'deal.upsert',
  'deal.associate',
  'note.create',
  'link.create',
  'other.write',
];

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly kind: RequestKind;
  /** 1-based index among the data-changing requests (schema and record writes) of this proxy's life. */
  readonly writeIndex: number | undefined;
}

/**
 * What the proxy does with a request: forward it; answer it itself without forwarding; drop the
 * connection without forwarding; or forward it, let the CRM commit, and then lose the answer (socket
 * destroyed) or replace it with an error status, as a load balancer in between would.
 */
export type ProxyAction =
  | { readonly kind: 'pass' }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'drop' }
  | { readonly kind: 'hang' }
  | {
      readonly kind: 'after-commit';
      readonly then: 'drop' | number;
      readonly onCommitted?: () => void;
    };

export type ProxyHook = (request: ProxiedRequest) => ProxyAction;

export interface FaultProxy {
  readonly url: string;
  /** Requests seen, oldest first. */
  readonly seen: ProxiedRequest[];
  /** Data-changing requests seen (schema and record writes). */
  writes(): number;
  setHook(hook: ProxyHook | undefined): void;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy between the CLI and an emulator. Every body naming the emulator's URL (a token
 * response's instance_url, a paging link) is rewritten to the proxy's, so every later call comes back
 * through it too.
 */
export async function startProxy(options: {
  readonly upstream: string;
  readonly classify: (method: string, path: string, body: string) => RequestKind;
}): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  let hook: ProxyHook | undefined;
  let writeCount = 0;
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let selfUrl = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const kind = options.classify(method, path, body.toString('utf8'));
    const changing = kind !== 'read' && kind !== 'auth';
    if (changing) writeCount += 1;
    const request: ProxiedRequest = { method, path, kind, writeIndex: changing ? writeCount : undefined };
    seen.push(request);
    const action = hook?.(request) ?? { kind: 'pass' };
    if (action.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'hang') return;
    if (action.kind === 'respond') {
      const text = JSON.stringify(action.body ?? { message: `injected ${action.status}` });
      res.writeHead(action.status, {
        ...action.headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    let answer: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
    try {
      answer = await forward(upstream, req, body);
    } catch {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'after-commit') {
      action.onCommitted?.();
      if (action.then === 'drop') {
        req.socket.destroy();
        return;
      }
      const text = JSON.stringify({ message: 'Bad Gateway' });
      res.writeHead(action.then, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    const type = String(answer.headers['content-type'] ?? '');
    let out = answer.body;
    if (answer.headers['content-encoding'] === undefined && /json|text|xml|csv/.test(type))
      out = Buffer.from(out.toString('utf8').split(upstream.origin).join(selfUrl));
    const headers = { ...answer.headers, 'content-length': String(out.length) };
    delete headers['transfer-encoding'];
    delete headers['connection'];
    res.writeHead(answer.status, headers);
    res.end(out);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  selfUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: selfUrl,
    seen,
    writes: () => writeCount,
    setHook: (h) => (hook = h),
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const agent = new http.Agent({ keepAlive: false });

function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: upstream.host };
    delete headers['connection'];
    const out = http.request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}
