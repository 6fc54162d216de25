import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { localSecret } from '../config/local-secrets.ts';

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
  override readonly code = 'INSECURE_KEK';
  constructor() {
    super(
      'VAULT_KEK is unset in production mode: set it to 32 random bytes, base64 (openssl rand -base64 32)',
    );
  }
}

/**
 * The key-encryption key that wraps every user's master key and the JWT signing key.
 * Unset in development: a random key generated once into the data dir (`secrets/vault-kek`, 0600)
 * and reused, so a fresh checkout runs with no setup and no key is publicly known. Production
 * refuses to run without an explicit key: a key on the same disk as the data protects nothing.
 */
export function resolveKek(config: {
  vaultKek: Buffer | undefined;
  production: boolean;
  dataDir: string;
}): Buffer {
  if (config.vaultKek) return config.vaultKek;
  if (config.production) throw new InsecureKekError();
  return localSecret(config.dataDir, 'vault-kek');
}
