import type http from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// What the upstream HTTP transport (http-transport.ts) reads of HTTP answers and MCP messages.

export type Id = string | number;

/** Redirects followed for one request at most. */
export const MAX_REDIRECTS = 5;

/**
 * Where a redirect leads, when it may be followed: the same origin (a redirect elsewhere could carry
 * the product's credentials away), no new userinfo, and the method kept (307/308; any for GET).
 */
export function redirectTarget(res: http.IncomingMessage, from: URL, method: string): URL | undefined {
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

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function requestIds(message: JSONRPCMessage): Id[] {
  return 'method' in message && 'id' in message && message.id !== undefined ? [message.id] : [];
}

/** The id a `notifications/cancelled` message cancels, if `message` is one. */
export function cancelledId(message: JSONRPCMessage): Id | undefined {
  if (!('method' in message) || message.method !== 'notifications/cancelled') return undefined;
  const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}
