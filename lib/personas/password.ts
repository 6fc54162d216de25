import { createHmac } from 'node:crypto';
import { UsageError } from '../errors.ts';

/** The publicly known development secret; refused in production mode. */
export const DEV_PERSONA_SEED_SECRET = 'persona-runner-dev-seed-secret';

/** Thrown when production mode would derive persona passwords from the development secret. */
export class InsecureSeedSecretError extends UsageError {
  readonly code = 'INSECURE_SEED_SECRET';
  constructor() {
    super(
      'PERSONA_SEED_SECRET is unset or the development value in production mode: set it to a long random secret ' +
        '(openssl rand -base64 32); it must be the same for seeding and for the worker',
    );
    this.name = 'InsecureSeedSecretError';
  }
}

export function resolveSeedSecret(configured: string | undefined, production: boolean): string {
  if (production && (!configured || configured === DEV_PERSONA_SEED_SECRET))
    throw new InsecureSeedSecretError();
  return configured ?? DEV_PERSONA_SEED_SECRET;
}

/**
 * A persona's password is never stored: it is HMAC-SHA256(secret, email), re-derived by the worker
 * at login. Only the usual slow hash of it is kept, like any user's.
 */
export function derivePersonaPassword(secret: string, email: string): string {
  return createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('base64url');
}
