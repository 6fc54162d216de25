import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';

/** Thrown when the gateway would run in production mode on the development key-encryption key. */
export class InsecureKekError extends UsageError {
  readonly code = 'INSECURE_KEK';
  constructor() {
    super(
      'VAULT_KEK is unset in production mode: set it to 32 random bytes, base64 (openssl rand -base64 32)',
    );
    this.name = 'InsecureKekError';
  }
}

/**
 * The key-encryption key that wraps every user's master key and the JWT signing key.
 * Development falls back to a fixed, publicly known key so a fresh checkout runs with no setup;
 * production refuses it.
 */
export function resolveKek(configured: Buffer | undefined, production: boolean): Buffer {
  if (configured) return configured;
  if (production) throw new InsecureKekError();
  return createHash('sha256').update('persona-runner development KEK - not for production').digest();
}
