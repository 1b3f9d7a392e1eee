import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultDecision } from './fault-rules.ts';
import { sendJson, type Reply } from './http-io.ts';

/** The vendor's part of one request; the order of the steps is shared. */
export interface Exchange {
  /** What the fault rules decided for this request (taken before any work, as a proxy in front would). */
  readonly decision: FaultDecision;
  /** Records the request with the status it was answered with (0 for a reset). */
  log(status: number): void;
  /** The vendor's error body for an injected status whose fault gives none. */
  faultBody(status: number): unknown;
  /** Route, auth, metering, body and handler; throws the vendor's error type. */
  dispatch(): Promise<Reply>;
  /** A thrown error as the vendor's error reply. */
  errorReply(error: unknown): Reply;
  /** Headers on every answer; read after `dispatch`, so they can report what it counted. */
  headers(): Readonly<Record<string, string>>;
  /** The vendor's exact JSON content type. */
  readonly contentType: string;
}

/**
 * One request: latency, then a reset, an injected status or the real dispatch. Every outcome is logged. A
 * fault marked `afterCommit` dispatches first, so the emulator's state changes, and then drops the socket or
 * answers with the injected status: the client cannot tell whether its request was processed.
 */
export async function serveExchange(req: IncomingMessage, res: ServerResponse, exchange: Exchange): Promise<void> {
  const { decision } = exchange;
  if (decision.delayMs > 0) await delay(decision.delayMs);
  const { action } = decision;
  if (action.kind !== 'pass' && action.afterCommit === true) await dispatched(exchange);
  if (action.kind === 'reset') {
    exchange.log(0);
    req.socket.destroy();
    return;
  }
  let reply: Reply;
  if (action.kind === 'respond') {
    const { status } = action;
    reply = {
      status,
      body: action.body ?? (status === 204 ? undefined : exchange.faultBody(status)),
      ...(action.headers ? { headers: action.headers } : {}),
    };
  } else {
    reply = await dispatched(exchange);
  }
  exchange.log(reply.status);
  sendJson(res, reply, exchange.headers(), exchange.contentType);
}

async function dispatched(exchange: Exchange): Promise<Reply> {
  try {
    return await exchange.dispatch();
  } catch (error) {
    return exchange.errorReply(error);
  }
}
