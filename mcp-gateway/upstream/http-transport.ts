import http from 'node:http';
import https from 'node:https';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { SseParser } from './sse-lines.ts';

/** Thrown when an HTTP upstream answers a POST with a status that is not 2xx (e.g. 404: session gone). */
export class UpstreamHttpError extends Error {
  readonly code = 'UPSTREAM_HTTP';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamHttpError';
  }
}

type Id = string | number;
const MAX_ERROR_BODY = 500;
const MAX_REDIRECTS = 5;

/**
 * Where a redirect leads, when it may be followed: the same origin (a redirect elsewhere could carry
 * the product's credentials away), no new userinfo, and the method kept (307/308; any for GET).
 */
function redirectTarget(res: http.IncomingMessage, from: URL, method: string): URL | undefined {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (status < 300 || status > 399 || !location) return undefined;
  if (!(status === 307 || status === 308 || method === 'GET')) return undefined;
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return undefined;
  }
  if (target.origin !== from.origin) return undefined;
  if (
    (target.username || target.password) &&
    (target.username !== from.username || target.password !== from.password)
  )
    return undefined;
  return target;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function requestIds(message: JSONRPCMessage): Id[] {
  return 'method' in message && 'id' in message && message.id !== undefined ? [message.id] : [];
}

function readText(res: http.IncomingMessage, limit = Infinity): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (text.length < limit) text += chunk;
    });
    res.once('end', () => resolve(text.slice(0, limit)));
    res.once('error', reject);
  });
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
 */
export class UpstreamHttpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId?: string;
  private protocolVersion?: string;
  private readonly agent: http.Agent;
  private readonly open = new Set<http.ClientRequest>();
  private closed = false;

  constructor(
    private readonly url: URL,
    private readonly headers: Record<string, string>,
  ) {
    this.agent = new (url.protocol === 'https:' ? https : http).Agent({ keepAlive: true });
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  private request(method: 'POST' | 'GET', accept: string, body?: string): Promise<http.IncomingMessage> {
    if (this.closed) return Promise.reject(new Error('the upstream session is closed'));
    const headers: Record<string, string> = { ...this.headers, accept };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    return this.follow(this.url, method, headers, body, 0);
  }

  /** One request; a redirect within the URL's origin that keeps the method is followed (as the SDK does). */
  private follow(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    hops: number,
  ): Promise<http.IncomingMessage> {
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent }, (res) => {
        res.once('close', () => this.open.delete(req));
        resolve(res);
      });
      this.open.add(req);
      req.once('error', (err) => {
        this.open.delete(req);
        // The error's own code (ECONNREFUSED…) stays reachable as `cause.code`, as with fetch.
        reject(new Error(`upstream request failed: ${err.message}`, { cause: err }));
      });
      req.end(body);
    }).then((res) => {
      const target = redirectTarget(res, url, method);
      if (!target || hops === MAX_REDIRECTS) return res;
      res.resume();
      return this.follow(target, method, headers, body, hops + 1);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const res = await this.request('POST', 'application/json, text/event-stream', JSON.stringify(message));
    const session = res.headers['mcp-session-id'];
    if (typeof session === 'string') this.sessionId = session;
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const text = await readText(res, MAX_ERROR_BODY).catch(() => '');
      throw new UpstreamHttpError(status, `HTTP ${status} from the upstream: ${text}`);
    }
    const ids = requestIds(message);
    if (status === 202 || !ids.length) {
      res.resume();
      if ('method' in message && message.method === 'notifications/initialized') this.openStream();
      return;
    }
    const type = mediaType(res.headers['content-type']);
    if (type === 'application/json') {
      const data = JSON.parse(await readText(res)) as JSONRPCMessage | JSONRPCMessage[];
      for (const m of Array.isArray(data) ? data : [data]) this.deliver(m);
    } else if (type === 'text/event-stream') {
      this.readEvents(res, ids);
    } else {
      res.resume();
      throw new UpstreamHttpError(status, `unexpected content type from the upstream: ${type || '(none)'}`);
    }
  }

  private deliver(message: JSONRPCMessage): void {
    if (typeof message !== 'object' || message === null || message.jsonrpc !== '2.0') {
      this.onerror?.(new Error('the upstream sent a message that is not JSON-RPC 2.0'));
      return;
    }
    this.onmessage?.(message);
  }

  /**
   * Reads a POST's SSE answer. Requests in `ids` still unanswered when it ends are failed as
   * "connection closed", so a caller learns at once rather than at its timeout.
   */
  private readEvents(res: http.IncomingMessage, ids: Id[]): void {
    const waiting = new Set(ids);
    this.readSse(res, (message) => {
      if ('id' in message && !('method' in message) && message.id !== undefined) waiting.delete(message.id);
      this.deliver(message);
    });
    res.once('close', () => {
      if (this.closed) return;
      for (const id of waiting)
        this.deliver({
          jsonrpc: '2.0',
          id,
          error: {
            code: ErrorCode.ConnectionClosed,
            message: 'the upstream closed the stream before answering',
          },
        });
    });
  }

  /** Feeds a text/event-stream response to `onMessage`, one JSON-RPC message per `message` event. */
  private readSse(res: http.IncomingMessage, onMessage: (message: JSONRPCMessage) => void): void {
    const parser = new SseParser((e) => {
      if (e.event !== 'message') return;
      let message: JSONRPCMessage;
      try {
        message = JSON.parse(e.data) as JSONRPCMessage;
      } catch {
        this.onerror?.(new Error('the upstream sent an SSE event that is not JSON'));
        return;
      }
      onMessage(message);
    });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.push(chunk));
  }

  /** The standalone GET stream for notifications the server sends outside any request (e.g. list_changed). */
  private openStream(): void {
    this.request('GET', 'text/event-stream')
      .then((res) => {
        // 405: the server offers no such stream (allowed by the spec).
        if (res.statusCode === 405) return void res.resume();
        if (res.statusCode !== 200 || mediaType(res.headers['content-type']) !== 'text/event-stream') {
          res.resume();
          throw new UpstreamHttpError(
            res.statusCode ?? 0,
            `HTTP ${res.statusCode} opening the upstream's SSE stream`,
          );
        }
        this.readSse(res, (message) => this.deliver(message));
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
    this.agent.destroy();
    this.onclose?.();
  }
}
