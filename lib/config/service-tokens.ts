import { ConfigError } from './env.ts';
import { localSecret } from './local-secrets.ts';

/**
 * The bearer token an HTTP endpoint demands (codec, metrics, dashboard): the configured value, or in
 * development one generated once into the data dir (`secrets/<file>`, 0600; its text is the token,
 * so `$(cat .data/secrets/<file>)` is how a client gets it). Production demands an explicit value.
 */
export function resolveServiceToken(opts: {
  configured: string | undefined;
  production: boolean;
  dataDir: string;
  file: string;
  variable: string;
  why: string;
}): string {
  if (opts.configured) return opts.configured;
  if (opts.production)
    throw new ConfigError(
      `${opts.variable} is unset in production mode: ${opts.why}. Set it to a long random value (openssl rand -hex 32)`,
    );
  return localSecret(opts.dataDir, opts.file).toString('base64url');
}
