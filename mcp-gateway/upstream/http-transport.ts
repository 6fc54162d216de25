import http from 'node:http';
import https from 'node:https';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { discardBounded, readBoundedSse, readBoundedText, type ByteLimits } from './bounded-read.ts';
import {
  cancelledId,
  MAX_REDIRECTS,
  mediaType,
  redirectTarget,
  requestIds,
  type Id,
} from './http-protocol.ts';
import { UpstreamHttpError, UpstreamProtocolError, UpstreamRequestError } from './upstream-errors.ts';

/** How long an SSE answer stream may stay open once every answer on it has arrived. */
const LINGER_MS = 1000;

export interface HttpTransportOptions {
  /** The product's configured headers (placeholders expanded). */
  headers: Record<string, string>;
  limits: ByteLimits;
  /** How long a POST that expects no answer (a notification) may take before it is destroyed. */
  timeoutMs: number;
}

/**
 * The client side of MCP's Streamable HTTP transport over node:http with a keep-alive agent, for the
 * gateway's upstream sessions: POST each message, read the answer as JSON or as an SSE stream, keep
 * the `mcp-session-id` and protocol version, and open the GET stream for server notifications after
 * `notifications/initialized`. It replaces the SDK's StreamableHTTPClientTransport on the hot path:
 * that one goes through fetch and web streams (a Request, Headers, a TextDecoderStream and an SSE
 * parser stream per call, and an abort listener per call on one shared signal) — measured at more CPU
 * per call than the upstream spends answering it. Redirects are followed within the origin, as the
 * SDK does. Not supported (the gateway needs neither): OAuth, and resuming a broken SSE stream with
 * Last-Event-ID — a POST stream that ends before its answer fails the request at once as "connection
 * closed" (infra, retryable) instead.
 *
 * Everything the upstream sends is bounded (bounded-read.ts): a JSON answer or one SSE event by
 * `maxMessageBytes`, an SSE stream by `maxStreamBytes`. A request whose caller gave up (the SDK and
 * DirectCalls send `notifications/cancelled` on a timeout) is destroyed, socket and all, so an
 * answer that never ends stops there; the session itself stays and the next request opens a socket.
 */
export class UpstreamHttpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /**
   * A request failed inside the transport (a limit, a stream cut off): the owner of `id` may take
   * the error itself (returns true); otherwise it is delivered as a JSON-RPC "connection closed" error.
   */
  onrequestfailed?: (id: Id, err: Error) => boolean;
  sessionId?: string;
  private protocolVersion?: string;
  private readonly agent: http.Agent;
  private readonly open = new Set<http.ClientRequest>();
  /** The request carrying each id still in flight, so cancelling it can destroy it. */
  private readonly byId = new Map<Id, http.ClientRequest>();
  private closed = false;

  constructor(
    private readonly url: URL,
    private readonly opts: HttpTransportOptions,
  ) {
    this.agent = new (url.protocol === 'https:' ? https : http).Agent({ keepAlive: true });
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  private request(
    method: 'POST' | 'GET',
    accept: string,
    body?: string,
    ids: Id[] = [],
  ): Promise<http.IncomingMessage> {
    if (this.closed) return Promise.reject(new Error('the upstream session is closed'));
    const headers: Record<string, string> = { ...this.opts.headers, accept };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    return this.follow(this.url, method, headers, body, 0, ids);
  }

  /** One request; a redirect within the URL's origin that keeps the method is followed (as the SDK does). */
  private follow(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    hops: number,
    ids: Id[],
  ): Promise<http.IncomingMessage> {
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent }, (res) => {
        res.on('error', () => {}); // a destroyed response must never throw unhandled
        res.once('close', () => this.forget(req, ids, deadline));
        resolve(res);
      });
      this.open.add(req);
      for (const id of ids) this.byId.set(id, req);
      // Nobody cancels a POST that expects no answer: it gets the product's timeout instead.
      const deadline =
        method === 'POST' && !ids.length
          ? setTimeout(() => req.destroy(), this.opts.timeoutMs).unref()
          : undefined;
      req.once('error', (err) => {
        this.forget(req, ids, deadline);
        reject(new UpstreamRequestError(err));
      });
      req.end(body);
    }).then((res) => {
      const target = redirectTarget(res, url, method);
      if (!target || hops === MAX_REDIRECTS) return res;
      res.destroy();
      return this.follow(target, method, headers, body, hops + 1, ids);
    });
  }

  private forget(req: http.ClientRequest, ids: Id[], deadline: NodeJS.Timeout | undefined): void {
    clearTimeout(deadline);
    this.open.delete(req);
    for (const id of ids) if (this.byId.get(id) === req) this.byId.delete(id);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const cancelled = cancelledId(message);
    if (cancelled !== undefined) this.byId.get(cancelled)?.destroy();
    const ids = requestIds(message);
    const res = await this.request(
      'POST',
      'application/json, text/event-stream',
      JSON.stringify(message),
      ids,
    );
    const session = res.headers['mcp-session-id'];
    if (typeof session === 'string') this.sessionId = session;
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      // Not read: its body is the upstream's text (it may echo our headers) and may never end.
      res.destroy();
      throw new UpstreamHttpError(status);
    }
    if (status === 202 || !ids.length) {
      discardBounded(res, this.opts.limits.maxMessageBytes);
      if ('method' in message && message.method === 'notifications/initialized') this.openStream();
      return;
    }
    const type = mediaType(res.headers['content-type']);
    if (type === 'application/json') {
      const text = await readBoundedText(res, this.opts.limits.maxMessageBytes);
      let data: JSONRPCMessage | JSONRPCMessage[];
      try {
        data = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[];
      } catch {
        throw new UpstreamProtocolError('the upstream answered with JSON that does not parse');
      }
      for (const m of Array.isArray(data) ? data : [data]) this.deliver(m);
    } else if (type === 'text/event-stream') {
      this.readEvents(res, ids);
    } else {
      res.destroy();
      throw new UpstreamProtocolError(
        'the upstream answered with a content type that is neither JSON nor SSE',
      );
    }
  }

  private deliver(message: JSONRPCMessage): void {
    if (typeof message !== 'object' || message === null || message.jsonrpc !== '2.0') {
      this.onerror?.(new Error('the upstream sent a message that is not JSON-RPC 2.0'));
      return;
    }
    this.onmessage?.(message);
  }

  /** Fails requests the transport can no longer answer (see onrequestfailed). */
  private fail(ids: Set<Id>, err: Error): void {
    for (const id of ids) {
      if (this.onrequestfailed?.(id, err)) continue;
      this.deliver({ jsonrpc: '2.0', id, error: { code: ErrorCode.ConnectionClosed, message: err.message } });
    }
    ids.clear();
  }

  /**
   * Reads a POST's SSE answer. Requests in `ids` still unanswered when it ends are failed as
   * "connection closed", so a caller learns at once rather than at its timeout; past a limit, with
   * the limit's error.
   */
  private readEvents(res: http.IncomingMessage, ids: Id[]): void {
    const waiting = new Set(ids);
    let linger: NodeJS.Timeout | undefined;
    this.readSse(
      res,
      (message) => {
        if ('id' in message && !('method' in message) && message.id !== undefined) waiting.delete(message.id);
        this.deliver(message);
        // Everything asked for has arrived: nothing else is read from this stream.
        if (!waiting.size && !linger) linger = setTimeout(() => res.destroy(), LINGER_MS).unref();
      },
      (err) => this.fail(waiting, err),
    );
    res.once('close', () => {
      clearTimeout(linger);
      if (!this.closed)
        this.fail(
          waiting,
          new McpError(ErrorCode.ConnectionClosed, 'the upstream closed the stream before answering'),
        );
    });
  }

  /** Feeds a text/event-stream response to `onMessage`, one JSON-RPC message per `message` event. */
  private readSse(
    res: http.IncomingMessage,
    onMessage: (message: JSONRPCMessage) => void,
    onBreach: (err: Error) => void,
  ): void {
    readBoundedSse(
      res,
      this.opts.limits,
      (e) => {
        if (e.event !== 'message') return;
        let message: JSONRPCMessage;
        try {
          message = JSON.parse(e.data) as JSONRPCMessage;
        } catch {
          this.onerror?.(new Error('the upstream sent an SSE event that is not JSON'));
          return;
        }
        onMessage(message);
      },
      onBreach,
    );
  }

  /** The standalone GET stream for notifications the server sends outside any request (e.g. list_changed). */
  private openStream(): void {
    this.request('GET', 'text/event-stream')
      .then((res) => {
        // 405: the server offers no such stream (allowed by the spec).
        if (res.statusCode === 405) return void res.destroy();
        if (res.statusCode !== 200 || mediaType(res.headers['content-type']) !== 'text/event-stream') {
          res.destroy();
          throw new UpstreamHttpError(res.statusCode ?? 0);
        }
        this.readSse(
          res,
          (message) => this.deliver(message),
          (err) => this.onerror?.(err),
        );
        res.once('close', () => {
          if (!this.closed) this.onerror?.(new Error("the upstream's SSE stream ended"));
        });
      })
      .catch((err: Error) => this.onerror?.(err));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const req of this.open) req.destroy();
    this.open.clear();
    this.byId.clear();
    this.agent.destroy();
    this.onclose?.();
  }
}
