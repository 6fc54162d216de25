import type { Router } from 'express';
import express from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../schema/index.ts';
import type { Db } from '../../lib/db/client.ts';
import { dummyPasswordHash, verifyPassword } from '../../lib/demo-product/passwords.ts';
import { isReservedIdentity, normaliseEmail, signupUser } from '../../lib/demo-product/signup.ts';
import type { GatewayConfig } from '../config.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { KdfBusyError, KdfGate } from './kdf-gate.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { SigningKey } from './signing-keys.ts';
import { issueToken, type TokenSettings } from './tokens.ts';

const credentials = z.strictObject({
  email: z.email({ error: 'expected an email address' }),
  password: z
    .string({ error: 'expected a string' })
    .min(8, { error: 'must be at least 8 characters' })
    .max(1024, { error: 'must be at most 1024 characters' }),
});

function badRequest(res: express.Response, error: z.ZodError): void {
  res.status(400).json({
    error: 'invalid_request',
    error_description: error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
  });
}

function tooMany(res: express.Response, retryAfterMs: number): void {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  res
    .status(429)
    .set('Retry-After', String(seconds))
    .json({
      error: 'too_many_attempts',
      error_description: `too many failed attempts; retry in ${seconds} s`,
    });
}

function busy(res: express.Response): void {
  res.status(503).set('Retry-After', '1').json({
    error: 'temporarily_unavailable',
    error_description: 'too many logins in progress; retry shortly',
  });
}

// One answer for every signup that passed validation — new email, same credentials again, or an
// email someone else holds — so signup cannot be used to find out which emails are registered.
const SIGNUP_ACCEPTED = {
  status: 'accepted',
  detail: 'if this email was free it is now registered with this password: log in with it',
};

export type IdentitySettings = TokenSettings & Pick<GatewayConfig['auth'], 'openSignup' | 'kdf'>;

/**
 * The built-in product's identity: signup (closed unless AUTH_OPEN_SIGNUP; idempotent; creates the
 * personal space; never for the personas' or the gateway's own addresses), login (email + password → short-lived JWT), and the JWKS that verifies tokens.
 * Login is throttled per account and per client IP (429 + Retry-After), an unknown email costs the
 * same KDF as a wrong password, and KDF runs are bounded (see kdf-gate.ts).
 */
export function createIdentityRouter(deps: {
  db: Db;
  kek: Buffer;
  key: SigningKey;
  settings: IdentitySettings;
  metrics: GatewayMetrics;
  /** Failed logins per account and IP: this instance's, or every instance's (GATEWAY_LIMITS_STORE). */
  throttle: LoginThrottle;
}): Router {
  const router = express.Router();
  const { kdf: kdfLimits } = deps.settings;
  const { throttle } = deps;
  const kdf = new KdfGate(kdfLimits.concurrency, kdfLimits.queue);
  void dummyPasswordHash(); // made at start, not on the first unknown email (that would time differently)

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ keys: [deps.key.publicJwk] });
  });

  router.post('/auth/signup', async (req, res) => {
    if (!deps.settings.openSignup) {
      res.status(403).json({
        error: 'signup_closed',
        error_description:
          'signup is closed on this gateway (AUTH_OPEN_SIGNUP=true opens it); accounts come from `personas seed` and `personas token`',
      });
      return;
    }
    const parsed = credentials.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error);
    if (await isReservedIdentity(deps.db, parsed.data.email)) {
      res.status(400).json({
        error: 'invalid_request',
        error_description:
          "email: addresses on special-use domains (.test, .invalid, .localhost, .example) and on the personas' domains belong to personas and to the gateway itself; sign up with your own address",
      });
      return;
    }
    const ip = req.ip ?? 'unknown';
    const wait = await throttle.retryAfterMs({ ip });
    if (wait > 0) return tooMany(res, wait);
    try {
      await kdf.run(async () => {
        const [existing] = await deps.db
          .select()
          .from(users)
          .where(eq(users.email, normaliseEmail(parsed.data.email)));
        if (!existing) await signupUser(deps.db, deps.kek, parsed.data);
        // Someone else's email: nothing changes, and the answer is the same as for a new one.
        else if (!(await verifyPassword(parsed.data.password, existing.passwordHash)))
          await throttle.fail({ ip });
      });
    } catch (err) {
      if (err instanceof KdfBusyError) return busy(res);
      throw err;
    }
    res.status(202).json(SIGNUP_ACCEPTED);
  });

  router.post('/auth/login', async (req, res) => {
    const parsed = credentials.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error);
    const email = normaliseEmail(parsed.data.email);
    const ip = req.ip ?? 'unknown';
    // The same answer whichever key is locked: it must not tell an attacker that an account exists.
    const wait = await throttle.retryAfterMs({ ip, account: email });
    if (wait > 0) {
      deps.metrics.logins.inc({ outcome: 'throttled' });
      return tooMany(res, wait);
    }
    const [user] = await deps.db.select().from(users).where(eq(users.email, email));
    const stored = user?.passwordHash ?? null;
    deps.metrics.passwordChecks.inc({ kind: stored ? 'real' : 'dummy' });
    const check = async () => verifyPassword(parsed.data.password, stored ?? (await dummyPasswordHash()));
    let ok: boolean;
    try {
      // Persona passwords (machine-derived, sha256) cost microseconds: only scrypt is gated.
      ok = (stored?.startsWith('sha256$') ? await check() : await kdf.run(check)) && stored !== null;
    } catch (err) {
      if (err instanceof KdfBusyError) {
        deps.metrics.logins.inc({ outcome: 'busy' });
        return busy(res);
      }
      throw err;
    }
    if (!ok || !user) {
      await throttle.fail({ ip, account: email });
      deps.metrics.logins.inc({ outcome: 'invalid' });
      res.status(401).json({ error: 'invalid_grant', error_description: 'invalid email or password' });
      return;
    }
    await throttle.succeeded(email);
    deps.metrics.logins.inc({ outcome: 'ok' });
    const { token, expiresAt } = await issueToken(deps.key, deps.settings, user);
    res.json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresAt - Math.floor(Date.now() / 1000),
      user_id: user.id,
    });
  });

  return router;
}
