import { STATUS_CODES } from 'node:http';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { PlaceholderError } from '../../lib/products/placeholders.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

// What can go wrong between the gateway and an upstream, and how it is told: a short reason in our
// own words (status, error code, the limit's name) — never the upstream's body or a header value, so
// `lastError`, users' messages and the log cannot repeat what an upstream chose to send.

/** Thrown when an HTTP upstream answers with a status that is not 2xx (e.g. 404: session gone). */
export class UpstreamHttpError extends PersonaRunnerError {
  override readonly code = 'UPSTREAM_HTTP';
  constructor(readonly status: number) {
    super(`HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`);
  }
}

/** Thrown when an HTTP request to an upstream fails below HTTP (refused, reset, DNS); `cause` has the code. */
export class UpstreamRequestError extends PersonaRunnerError {
  override readonly code = 'UPSTREAM_REQUEST';
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(`request failed (${cause.code ?? cause.name})`);
  }
}

/** Thrown when an upstream answers with something that is not MCP (content type, JSON). */
export class UpstreamProtocolError extends PersonaRunnerError {
  override readonly code = 'UPSTREAM_PROTOCOL';
}

export type LimitName = 'maxMessageBytes' | 'maxStreamBytes';

/** Thrown when an upstream sends more than a product's byte limit allows; the response is destroyed. */
export class UpstreamLimitError extends PersonaRunnerError {
  override readonly code = 'UPSTREAM_TOO_LARGE';
  constructor(
    readonly limit: LimitName,
    readonly limitBytes: number,
  ) {
    super(
      `the upstream sent more than ${limit} (${formatBytes(limitBytes)}) ${limit === 'maxMessageBytes' ? 'in one message' : 'on one stream'}`,
    );
  }
}

export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

/** The SDK's stdio transport refuses a line longer than its `maxBufferSize` with this error. */
const STDIO_OVERFLOW = /^ReadBuffer exceeded maximum size of (\d+) bytes$/;

/** The SDK stdio transport's overflow error as an UpstreamLimitError; undefined for any other error. */
export function stdioOverflow(err: unknown): UpstreamLimitError | undefined {
  const m = err instanceof Error ? STDIO_OVERFLOW.exec(err.message) : null;
  return m ? new UpstreamLimitError('maxMessageBytes', Number(m[1])) : undefined;
}

/**
 * Whether the connection itself failed — the session is then dropped and opened again. Only these:
 * the transport closed, an HTTP status or a request that failed, a byte limit. Anything else (a
 * timeout, a JSON-RPC error, an error of our own such as arguments that cannot be serialised) leaves
 * the session, which other users share, as it is.
 */
export function isTransportFailure(err: unknown): boolean {
  if (err instanceof McpError) return err.code === ErrorCode.ConnectionClosed;
  return (
    err instanceof UpstreamHttpError ||
    err instanceof UpstreamRequestError ||
    err instanceof UpstreamLimitError ||
    err instanceof UpstreamProtocolError
  );
}

/** What `/health` shows of an upstream's last error: its kind, nothing more. */
export type UpstreamErrorClass =
  | 'unreachable'
  | 'http-status'
  | 'too-large'
  | 'timeout'
  | 'closed'
  | 'protocol'
  | 'config'
  | 'tool-mapping'
  | 'other';

export function errorClassOf(err: unknown): UpstreamErrorClass {
  if (err instanceof UpstreamRequestError) return 'unreachable';
  if (err instanceof UpstreamHttpError) return 'http-status';
  if (err instanceof UpstreamLimitError) return 'too-large';
  if (err instanceof UpstreamProtocolError) return 'protocol';
  if (err instanceof PlaceholderError) return 'config';
  if (err instanceof McpError) {
    if (err.code === ErrorCode.RequestTimeout) return 'timeout';
    if (err.code === ErrorCode.ConnectionClosed) return 'closed';
    return 'protocol';
  }
  // A stdio command that cannot be started (ENOENT, EACCES).
  if ((err as NodeJS.ErrnoException)?.syscall?.startsWith('spawn')) return 'unreachable';
  return 'other';
}

/**
 * A short reason for `lastError`, the log and users' messages. JSON-RPC errors from the upstream
 * are told by their code only (their message is the upstream's text); our own errors by their message.
 */
export function describeUpstreamError(err: unknown): string {
  if (err instanceof McpError) {
    if (err.code === ErrorCode.RequestTimeout) return 'timed out';
    if (err.code === ErrorCode.ConnectionClosed) return 'connection closed';
    return `JSON-RPC error ${err.code}`;
  }
  const e = err as NodeJS.ErrnoException | undefined;
  if (e?.syscall?.startsWith('spawn')) return `cannot start the command (${e.code ?? 'error'})`;
  const msg = (e?.message ?? String(err)).replace(/https?:\/\/\S+/g, '<url>').slice(0, 200);
  return e?.code && /^E[A-Z]+$/.test(e.code) && !msg.includes(e.code) ? `${msg} (${e.code})` : msg;
}
