import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../lib/logger.ts';
import type { ByteLimits } from './bounded-read.ts';
import { toCallToolResult } from './call-result.ts';
import { DirectCalls } from './direct-calls.ts';
import { UpstreamHttpTransport } from './http-transport.ts';
import type { Redactor } from './redaction.ts';
import { describeExit, makeWorkdir, StdioChild } from './stdio-child.ts';
import { ListRefresher } from './tool-list-refresh.ts';
import {
  describeUpstreamError,
  errorClassOf,
  isTransportFailure,
  type UpstreamErrorClass,
} from './upstream-errors.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

/** A product's transport with every placeholder expanded (for one user, or shared). */
export type ResolvedTransport =
  | {
      type: 'stdio';
      command: string;
      args: string[];
      env: Record<string, string>;
      cwd?: string;
      /** Created (0700) before the child starts: the product's `${workdir}`. */
      workdir?: string;
    }
  | { type: 'http'; url: string; headers: Record<string, string> };

export type ConnectionState = 'connecting' | 'up' | 'down' | 'closed';

/** Thrown when an upstream cannot take a call right now (down, reconnecting, closed). */
export class UpstreamUnavailableError extends PersonaRunnerError {
  override readonly code = 'UPSTREAM_UNAVAILABLE';
}

/** How much of a child's stderr goes into `lastError` (users' messages, /health); all 4 KB in lastStderr. */
const SHORT_STDERR_CHARS = 300;

/** How soon after a `list_changed` notice the tools are listed again (notices in between coalesce). */
const LIST_CHANGED_DELAY_MS = 200;

export interface ConnectionOptions {
  product: string;
  transport: ResolvedTransport;
  logger: Logger;
  limits: ByteLimits;
  /** The product's call timeout; it bounds connecting and listing too. */
  timeoutMs: number;
  /** Masks this session's credentials in what is logged and kept. */
  redactor: Redactor;
  /** Masks a stdio child's stderr: the credentials, and every value of the product's `env`. */
  stderrRedactor?: Redactor;
  /**
   * The session the product's listing comes from: called with its tools after connecting and
   * reconnecting, and after `tools/list_changed`. Sessions without it never list tools.
   */
  onTools?(tools: Tool[]): void;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * One MCP client session to one upstream. It connects in the background and keeps reconnecting with
 * exponential backoff whenever the session is lost (a stdio child that exits is respawned this way),
 * so a product that is down never stops the gateway: its calls fail fast as `infra` meanwhile. Once
 * closed it stays closed: an attempt in progress is stopped with it (its child too).
 */
export class UpstreamConnection {
  state: ConnectionState = 'connecting';
  /**
   * Why the session is down: a short reason in our words (upstream-errors.ts) — for a stdio child
   * that exited, its exit and the end of its stderr — credentials masked.
   */
  lastError: string | undefined;
  /** A stdio child's last 4 KB of stderr when it failed (masked), for the operator. */
  lastStderr: string | undefined;
  errorClass: UpstreamErrorClass | undefined;
  inFlight = 0;
  lastUsed = Date.now();
  private client: Client | undefined;
  /** The per-call path of the current session (see DirectCalls). */
  private direct: DirectCalls | undefined;
  /** The stdio child of the current attempt or session, for its exit and stderr. */
  private child: StdioChild | undefined;
  /** The client of the connection attempt in progress, so close() can stop it mid-way. */
  private connecting: Client | undefined;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly refresher: ListRefresher;
  private firstAttempt: Promise<void>;
  /** The attempt in progress, so a call that arrives meanwhile waits for it instead of failing. */
  private attemptInProgress: Promise<void>;

  constructor(private readonly opts: ConnectionOptions) {
    this.refresher = new ListRefresher(() => this.refreshTools(), LIST_CHANGED_DELAY_MS);
    this.firstAttempt = this.attemptInProgress = this.connect();
  }

  /** Masks this session's credentials in what the upstream sends back. */
  get redactor(): Redactor {
    return this.opts.redactor;
  }

  /** Resolves once the first connection attempt has succeeded or failed (never rejects). */
  whenSettled(): Promise<void> {
    return this.firstAttempt;
  }

  private makeTransport(): Transport {
    const t = this.opts.transport;
    if (t.type === 'http') {
      // Only the product's own configured headers: the gateway's JWT is never forwarded upstream.
      return new UpstreamHttpTransport(new URL(t.url), {
        headers: t.headers,
        limits: this.opts.limits,
        timeoutMs: this.opts.timeoutMs,
      });
    }
    const redactor = this.opts.stderrRedactor ?? this.opts.redactor;
    this.child = new StdioChild({
      command: t.command,
      args: t.args,
      env: t.env,
      cwd: t.cwd,
      maxBufferSize: this.opts.limits.maxMessageBytes,
      redactor,
      // Debug only: a child may print its config; the tail is kept for the reason when it fails.
      onStderr: (text) =>
        this.opts.logger.debug({ product: this.opts.product, stderr: text }, 'upstream stderr'),
    });
    return this.child;
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private async connect(): Promise<void> {
    if (this.isClosed()) return;
    this.state = 'connecting';
    const client = new Client({ name: 'persona-runner-gateway', version: '0.1.0' });
    this.connecting = client;
    const timeout = { timeout: this.opts.timeoutMs };
    try {
      const t = this.opts.transport;
      if (t.type === 'stdio' && t.workdir) await makeWorkdir(t.workdir);
      const transport = this.makeTransport();
      await client.connect(transport, timeout);
      // close() meanwhile has closed this client; the checks keep a closed connection closed.
      if (this.isClosed()) return;
      const direct = new DirectCalls(transport);
      const tools = this.opts.onTools ? (await client.listTools(undefined, timeout)).tools : undefined;
      if (this.isClosed()) return;
      this.client = client;
      this.direct = direct;
      // Set only after a good connect, so a failing first attempt does not trigger a second retry.
      client.onclose = () =>
        this.lost(client, new McpError(ErrorCode.ConnectionClosed, 'the upstream exited or hung up'));
      if (this.opts.onTools)
        client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.refresher.request());
      this.state = 'up';
      this.attempt = 0;
      this.lastError = this.errorClass = this.lastStderr = undefined;
      this.opts.logger.info({ product: this.opts.product, tools: tools?.length }, 'upstream connected');
      if (tools) this.opts.onTools?.(tools);
    } catch (err) {
      await client.close().catch(() => {});
      // The child's last stderr chunks are still on their way through the SDK's pipe.
      await new Promise((r) => setImmediate(r));
      this.failed(err);
    } finally {
      if (this.connecting === client) this.connecting = undefined;
    }
  }

  private async refreshTools(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const { tools } = await client.listTools(undefined, { timeout: this.opts.timeoutMs });
      if (this.client === client) this.opts.onTools?.(tools);
    } catch (err) {
      this.opts.logger.warn(
        { product: this.opts.product, err: this.opts.redactor.text(describeUpstreamError(err)) },
        'upstream tool list refresh failed',
      );
    }
  }

  private failed(err: unknown): void {
    if (this.isClosed()) return;
    this.state = 'down';
    this.errorClass = errorClassOf(err);
    this.lastError = this.opts.redactor.text(describeUpstreamError(err));
    const exit = this.child?.exited();
    this.lastStderr = exit?.stderr || undefined;
    if (exit) this.lastError = `${this.lastError}: ${describeExit(exit, SHORT_STDERR_CHARS)}`;
    const b = this.opts.backoff ?? { initialMs: 250, maxMs: 10_000 };
    const delay = Math.min(b.maxMs, b.initialMs * 2 ** this.attempt++);
    this.opts.logger.warn(
      {
        product: this.opts.product,
        reason: this.lastError,
        class: this.errorClass,
        retryInMs: delay,
        ...(this.lastStderr && { stderr: this.lastStderr }),
      },
      'upstream unavailable',
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void (this.attemptInProgress = this.connect()), delay);
    this.retryTimer.unref();
  }

  /** The session is gone (child exited, HTTP session lost): drop it and reconnect with backoff. */
  private lost(client: Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.direct = undefined;
    void client.close().catch(() => {});
    // As in connect(): let the child's last stderr arrive before saying why it is gone.
    this.state = 'down';
    setImmediate(() => this.failed(err));
  }

  /** Calls a tool; only a failure of the connection itself marks the session lost (isTransportFailure). */
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
        if (isTransportFailure(err)) this.lost(client, err);
        throw err;
      }
    } finally {
      this.inFlight--;
      this.lastUsed = Date.now();
    }
  }

  /** Closes the session, or stops the attempt in progress (and its child process); resolves when done. */
  async close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    this.refresher.stop();
    const clients = [this.client, this.connecting];
    this.client = this.connecting = undefined;
    this.direct = undefined;
    await Promise.all(clients.map((c) => c?.close().catch(() => {})));
  }
}
