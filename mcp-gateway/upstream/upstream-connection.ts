import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../lib/logger.ts';
import { toCallToolResult } from './call-result.ts';
import { DirectCalls } from './direct-calls.ts';
import { UpstreamHttpTransport } from './http-transport.ts';

/** A product's transport with every placeholder expanded (for one user, or shared). */
export type ResolvedTransport =
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { type: 'http'; url: string; headers: Record<string, string> };

export type ConnectionState = 'connecting' | 'up' | 'down' | 'closed';

/** Thrown when an upstream cannot take a call right now (down, reconnecting, closed). */
export class UpstreamUnavailableError extends Error {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamUnavailableError';
  }
}

export interface ConnectionOptions {
  product: string;
  transport: ResolvedTransport;
  logger: Logger;
  /** Called with the fresh listing after connecting, reconnecting and on `tools/list_changed`. */
  onTools(tools: Tool[]): void;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * One MCP client session to one upstream. It connects in the background and keeps reconnecting with
 * exponential backoff whenever the session is lost (a stdio child that exits is respawned this way),
 * so a product that is down never stops the gateway: its calls fail fast as `infra` meanwhile.
 */
export class UpstreamConnection {
  state: ConnectionState = 'connecting';
  lastError: string | undefined;
  inFlight = 0;
  lastUsed = Date.now();
  private client: Client | undefined;
  /** The per-call path of the current session (see DirectCalls). */
  private direct: DirectCalls | undefined;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private firstAttempt: Promise<void>;
  /** The attempt in progress, so a call that arrives meanwhile waits for it instead of failing. */
  private attemptInProgress: Promise<void>;

  constructor(private readonly opts: ConnectionOptions) {
    this.firstAttempt = this.attemptInProgress = this.connect();
  }

  /** Resolves once the first connection attempt has succeeded or failed (never rejects). */
  whenSettled(): Promise<void> {
    return this.firstAttempt;
  }

  private makeTransport(): Transport {
    const t = this.opts.transport;
    if (t.type === 'http') {
      // Only the product's own configured headers: the gateway's JWT is never forwarded upstream.
      return new UpstreamHttpTransport(new URL(t.url), t.headers);
    }
    const transport = new StdioClientTransport({
      command: t.command,
      args: t.args,
      env: { ...getDefaultEnvironment(), ...t.env },
      cwd: t.cwd,
      stderr: 'pipe',
    });
    // Drained so a chatty child never blocks on a full pipe; debug only (it may print its config).
    transport.stderr?.on('data', (chunk: Buffer) =>
      this.opts.logger.debug(
        { product: this.opts.product, stderr: chunk.toString().slice(0, 500) },
        'upstream stderr',
      ),
    );
    return transport;
  }

  private async connect(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const client = new Client({ name: 'persona-runner-gateway', version: '0.1.0' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      void this.refreshTools(client);
    });
    try {
      const transport = this.makeTransport();
      await client.connect(transport);
      if ((this.state as ConnectionState) === 'closed') return void (await client.close().catch(() => {}));
      const direct = new DirectCalls(transport);
      const { tools } = await client.listTools();
      this.client = client;
      this.direct = direct;
      // Set only after a good connect, so a failing first attempt does not trigger a second retry.
      client.onclose = () => this.lost(client, 'connection closed (the upstream exited or hung up)');
      this.state = 'up';
      this.attempt = 0;
      this.lastError = undefined;
      this.opts.logger.info({ product: this.opts.product, tools: tools.length }, 'upstream connected');
      this.opts.onTools(tools);
    } catch (err) {
      await client.close().catch(() => {});
      this.failed(describe(err));
    }
  }

  private async refreshTools(client: Client): Promise<void> {
    try {
      const { tools } = await client.listTools();
      if (this.client === client) this.opts.onTools(tools);
    } catch (err) {
      this.opts.logger.warn(
        { product: this.opts.product, err: describe(err) },
        'upstream tool list refresh failed',
      );
    }
  }

  private failed(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'down';
    this.lastError = reason;
    const b = this.opts.backoff ?? { initialMs: 250, maxMs: 10_000 };
    const delay = Math.min(b.maxMs, b.initialMs * 2 ** this.attempt++);
    this.opts.logger.warn({ product: this.opts.product, reason, retryInMs: delay }, 'upstream unavailable');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void (this.attemptInProgress = this.connect()), delay);
    this.retryTimer.unref();
  }

  /** The session is gone (child exited, HTTP session lost): drop it and reconnect with backoff. */
  private lost(client: Client, reason: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.direct = undefined;
    void client.close().catch(() => {});
    this.failed(reason);
  }

  /** Calls a tool; transport failures mark the session lost (so the next call gets a fresh one). */
  async callTool(name: string, args: Record<string, unknown>, timeoutMs: number): Promise<CallToolResult> {
    // Counted from the start (also while waiting for a connect), so an idle sweep never closes it.
    this.inFlight++;
    this.lastUsed = Date.now();
    try {
      if (this.state === 'connecting') await this.attemptInProgress;
      const client = this.client;
      const direct = this.direct;
      if (!client || !direct || this.state !== 'up') {
        const why = this.state === 'closed' ? 'closed' : 'not connected';
        throw new UpstreamUnavailableError(
          `${this.opts.product} is ${why}${this.lastError ? ` (${this.lastError})` : ''}`,
        );
      }
      try {
        return toCallToolResult(await direct.request('tools/call', { name, arguments: args }, timeoutMs));
      } catch (err) {
        if (isTransportFailure(err)) this.lost(client, describe(err));
        throw err;
      }
    } finally {
      this.inFlight--;
      this.lastUsed = Date.now();
    }
  }

  async close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    this.direct = undefined;
    await c?.close().catch(() => {});
  }
}

/** Not a JSON-RPC answer from the upstream: the connection itself failed (fetch, HTTP status, closed). */
export function isTransportFailure(err: unknown): boolean {
  if (err instanceof McpError) return err.code === ErrorCode.ConnectionClosed;
  return true;
}

/** A short reason without secrets: error names and messages only (never headers or URLs with tokens). */
function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } };
  const msg = (e?.message ?? String(err)).replace(/https?:\/\/\S+/g, '<url>').slice(0, 200);
  return e?.cause?.code ? `${msg} (${e.cause.code})` : msg;
}
