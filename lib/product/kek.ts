import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UsageError } from '../errors.ts';

/**
 * VAULT_KEK as an environment variable: 32 bytes, base64. Read by the gateway (it wraps and unwraps
 * users' master keys) and by the worker (it unwraps them to seal transcript parts).
 */
export const vaultKekEnv = z
  .string()
  .refine(
    (v) => Buffer.from(v, 'base64').length === 32,
    'expected 32 bytes, base64-encoded (openssl rand -base64 32)',
  )
  .optional()
  .transform((v) => (v ? Buffer.from(v, 'base64') : undefined));

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
