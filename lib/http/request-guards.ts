import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/*
 * The checks every HTTP surface of the project shares (gateway, dashboard, worker metrics, codec),
 * written once on node's IncomingMessage so express and plain node:http servers use the same code.
 * DNS rebinding: a page on evil.example that re-resolves its name to 127.0.0.1 reaches a local
 * server with `Host: evil.example` (and its own Origin) — so both are checked against allowlists.
 */

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** The hostname of a Host header, lowercased, without the port (`[::1]:80` → `[::1]`). */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1) || undefined;
  return h.split(':')[0] || undefined;
}

export function hostAllowed(hostHeader: string | undefined, allowedHosts: readonly string[]): boolean {
  const name = hostnameOf(hostHeader);
  return name !== undefined && allowedHosts.some((a) => a.toLowerCase() === name);
}

export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (!origin) return true; // non-browser clients send none; browsers always do cross-origin
  return allowedOrigins.some((o) => o.replace(/\/$/, '') === origin);
}

/** True when a listen address is reachable only from this machine. */
export function isLoopbackBind(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The secret a request presents: `Authorization: Bearer <token>`, or HTTP Basic with the token as
 * password (any user name) so a browser can open a protected page with its own login prompt.
 */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) || undefined;
  }
  return undefined;
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface GuardPolicy {
  allowedHosts: readonly string[];
  /** Origins a browser may send from; unset: Origin is not checked (GET-only surfaces, where Host is). */
  allowedOrigins?: readonly string[];
  /** When set, a request must present it (Bearer, or Basic password). */
  token?: string | undefined;
  /** Variable names for the messages, so an operator knows what to change. */
  names: { hosts: string; origins?: string; token?: string };
  /** The realm in `WWW-Authenticate` (Basic lets a browser prompt). */
  realm?: string;
}

export interface GuardRejection {
  status: 401 | 403;
  message: string;
  headers: Record<string, string>;
}

/** Host, Origin, then token; undefined when the request may proceed. Messages never echo secrets. */
export function checkRequest(
  req: IncomingMessage,
  policy: GuardPolicy,
  token: string | undefined = presentedToken(req),
): GuardRejection | undefined {
  if (!hostAllowed(req.headers.host, policy.allowedHosts))
    return {
      status: 403,
      message: `host ${JSON.stringify(hostnameOf(req.headers.host) ?? '')} is not allowed (${policy.names.hosts})`,
      headers: {},
    };
  if (policy.allowedOrigins && !originAllowed(req.headers.origin, policy.allowedOrigins))
    return {
      status: 403,
      message: `origin ${JSON.stringify(req.headers.origin)} is not allowed${policy.names.origins ? ` (${policy.names.origins})` : ''}`,
      headers: {},
    };
  if (policy.token !== undefined && !tokenMatches(token, policy.token))
    return {
      status: 401,
      message: `${token === undefined ? 'a token is required' : 'the token is not valid'}${policy.names.token ? ` (${policy.names.token})` : ''}`,
      headers: { 'WWW-Authenticate': `Basic realm="${policy.realm ?? 'persona-runner'}", charset="UTF-8"` },
    };
  return undefined;
}
