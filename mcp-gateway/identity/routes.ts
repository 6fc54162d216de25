import type { Router } from 'express';
import express from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../schema/index.ts';
import type { Db } from '../../lib/db/client.ts';
import { verifyPassword } from '../../lib/product/passwords.ts';
import { normaliseEmail, signupUser } from '../../lib/product/signup.ts';
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

/**
 * The built-in product's identity: signup (idempotent, creates the personal space), login
 * (email + password → short-lived JWT), and the JWKS that verifies those tokens.
 */
export function createIdentityRouter(deps: {
  db: Db;
  kek: Buffer;
  key: SigningKey;
  settings: TokenSettings;
}): Router {
  const router = express.Router();

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ keys: [deps.key.publicJwk] });
  });

  router.post('/auth/signup', async (req, res) => {
    const parsed = credentials.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error);
    const [existing] = await deps.db
      .select()
      .from(users)
      .where(eq(users.email, normaliseEmail(parsed.data.email)));
    // Signing up twice with the same credentials is a no-op; with other credentials it is refused.
    if (existing && !(await verifyPassword(parsed.data.password, existing.passwordHash))) {
      res.status(409).json({
        error: 'already_registered',
        error_description: 'this email is already registered; log in instead',
      });
      return;
    }
    const result = await signupUser(deps.db, deps.kek, parsed.data);
    res.status(result.created ? 201 : 200).json({
      user_id: result.user.id,
      personal_space_id: result.personalSpaceId,
      created: result.created,
    });
  });

  router.post('/auth/login', async (req, res) => {
    const parsed = credentials.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error);
    const [user] = await deps.db
      .select()
      .from(users)
      .where(eq(users.email, normaliseEmail(parsed.data.email)));
    if (!user || !(await verifyPassword(parsed.data.password, user.passwordHash))) {
      res.status(401).json({ error: 'invalid_grant', error_description: 'invalid email or password' });
      return;
    }
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
