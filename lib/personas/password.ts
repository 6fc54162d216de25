import { createHmac } from 'node:crypto';
import { UsageError } from '../errors.ts';
import { localSecret } from '../config/local-secrets.ts';

/** Thrown when production mode would derive persona passwords from the development secret. */
export class InsecureSeedSecretError extends UsageError {
  override readonly code = 'INSECURE_SEED_SECRET';
  constructor() {
    super(
      'PERSONA_SEED_SECRET is unset (or a published development value) in production mode: set it to a long random secret ' +
        '(openssl rand -base64 32); it must be the same for seeding and for the worker',
    );
  }
}

/**
 * Unset in development: a random secret generated once into the data dir (`secrets/persona-seed`,
 * 0600) and shared by every process using that dir (seeding and the worker must agree). No
 * constant ships: a known secret would log anyone in as any persona. Production demands it.
 */
export function resolveSeedSecret(config: {
  seedSecret: string | undefined;
  production: boolean;
  dataDir: string;
}): string {
  // Earlier versions shipped this value as the development default: it is public knowledge.
  const published = config.seedSecret === 'persona-runner-dev-seed-secret';
  if (config.production && (!config.seedSecret || published)) throw new InsecureSeedSecretError();
  if (config.seedSecret) return config.seedSecret;
  return localSecret(config.dataDir, 'persona-seed').toString('base64url');
}

/**
 * A persona's password is never stored: it is HMAC-SHA256(secret, email), re-derived by the worker
 * at login. Only the usual slow hash of it is kept, like any user's.
 */
export function derivePersonaPassword(secret: string, email: string): string {
  return createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('base64url');
}
