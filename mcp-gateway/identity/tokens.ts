import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { User } from '../../schema/index.ts';
import { SIGNING_ALG, type SigningKey } from './signing-keys.ts';

export interface TokenSettings {
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
}

/** Claims the gateway reads from a verified token. */
export interface TokenClaims {
  iss: string;
  sub: string;
  email: string | undefined;
  /** Only a boolean `email_verified: true` counts: an IdP's assertion that the holder owns `email`. */
  emailVerified: boolean;
  /**
   * Verified against an external IdP's JWKS (AUTH_JWKS_URL): `sub` is the IdP's subject, resolved
   * through identity_links. Otherwise the gateway's own keys signed it and `sub` is the user id.
   */
  external: boolean;
}

export async function issueToken(
  key: SigningKey,
  settings: TokenSettings,
  user: Pick<User, 'id' | 'email' | 'tier'>,
  ttlSeconds = settings.tokenTtlSeconds,
): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ email: user.email, tier: user.tier })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key.privateKey);
  return { token, expiresAt: now + ttlSeconds };
}

/**
 * Text safe inside a quoted-string of a `WWW-Authenticate` header. The SDK's bearer middleware
 * interpolates our message between double quotes without escaping, so a reason that quoted the
 * audience (or a claim name) produced a malformed header: quotes become single quotes, and control
 * or non-ASCII characters (not allowed in a header) become spaces.
 */
export function headerSafe(text: string): string {
  return text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, ' ');
}

/** An RFC 6750 bearer challenge with a properly quoted error description. */
export function bearerChallenge(error: string, description: string): string {
  return `Bearer error="${headerSafe(error)}", error_description="${headerSafe(description)}"`;
}

/** Turns jose's failure into a reason a client can act on; never echoes the token. */
function reasonFor(err: unknown, settings: { issuer: string; audience: string }): string {
  if (err instanceof joseErrors.JWTExpired) return 'token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return `wrong audience: this gateway accepts "${settings.audience}"`;
    if (err.claim === 'iss') return `wrong issuer: this gateway accepts "${settings.issuer}"`;
    if (err.claim === 'nbf') return 'token not yet valid';
    return `token claim "${err.claim}" is invalid (${err.reason})`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'bad signature: not signed by a key in the JWKS';
  if (err instanceof joseErrors.JWKSNoMatchingKey)
    return 'no key in the JWKS matches the token (unknown kid)';
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return 'token signed with an algorithm this gateway does not accept';
  if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid) return 'malformed token';
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JOSEError)
    return `token could not be verified (${(err as Error).message})`;
  return 'token could not be verified';
}

/**
 * Verifies bearer JWTs against a JWKS (the gateway's own keys, or an external provider's JWKS URL),
 * checking issuer, audience and expiry. Verified tokens are cached until they expire, so a session's
 * many requests pay for one signature check. Keyed by the token itself: the cached AuthInfo holds it
 * anyway, and hashing it cost more per request than the lookup.
 */
export function createTokenVerifier(opts: {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] } | { url: string };
  cacheSize?: number;
}): OAuthTokenVerifier {
  const getKey: JWTVerifyGetKey =
    'url' in opts.jwks
      ? createRemoteJWKSet(new URL(opts.jwks.url))
      : createLocalJWKSet({ keys: opts.jwks.keys });
  const external = 'url' in opts.jwks;
  const cache = new Map<string, AuthInfo>();
  const max = opts.cacheSize ?? 10_000;
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const hit = cache.get(token);
      if (hit && (hit.expiresAt ?? 0) > Date.now() / 1000) return hit;
      let payload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: opts.issuer,
          audience: opts.audience,
          algorithms: [SIGNING_ALG, 'ES256', 'RS256'],
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw new InvalidTokenError(headerSafe(reasonFor(err, opts)));
      }
      const info: AuthInfo = {
        token,
        clientId: String(payload.azp ?? payload.client_id ?? payload.sub),
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ') : [],
        expiresAt: payload.exp,
        extra: {
          iss: String(payload.iss),
          sub: String(payload.sub),
          email: typeof payload.email === 'string' ? payload.email : undefined,
          emailVerified: payload.email_verified === true,
          external,
        } satisfies TokenClaims,
      };
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(token, info);
      return info;
    },
  };
}
