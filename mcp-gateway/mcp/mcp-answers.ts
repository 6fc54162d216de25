import type { Response } from 'express';
import { bearerChallenge, type TokenClaims } from '../identity/tokens.ts';

const subjects = new WeakMap<TokenClaims, string>();

/**
 * Who a token speaks for: a subject is only unique within its issuer. Memoised per claims object (the
 * verifier returns the same one for every request with a cached token).
 */
export function subjectOf(claims: TokenClaims): string {
  let s = subjects.get(claims);
  if (s === undefined) subjects.set(claims, (s = JSON.stringify([claims.iss, claims.sub])));
  return s;
}

export function jsonRpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

export const notFound = (res: Response, id: string) =>
  jsonRpcError(res, 404, -32001, `session ${id} not found (expired or closed); initialize a new one`);
export const forbidden = (res: Response) => jsonRpcError(res, 403, -32003, 'this session belongs to another user');

/**
 * A valid signature over a subject that is nobody (deleted, or never signed up): the token does not
 * authenticate anyone, so 401 with the RFC 6750 challenge, not 403 (which means "known, not allowed").
 */
export function unknownSubject(res: Response, message: string): void {
  res.set('WWW-Authenticate', bearerChallenge('invalid_token', message));
  jsonRpcError(res, 401, -32001, message);
}

