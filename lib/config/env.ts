import { z } from 'zod';
import './zod-words.ts';
import { UsageError } from '../errors.ts';

/** Thrown when an environment variable is missing, unknown or malformed; the message names the variable. */
export class ConfigError extends UsageError {
  override readonly code = 'CONFIG_INVALID';
}

/**
 * `z.coerce.boolean()` turns "false" into true, so booleans are parsed deliberately:
 * only the usual spellings are accepted and anything else is an error naming the variable.
 */
export const envBoolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      error: 'expected one of true|false|1|0|yes|no|on|off',
    })
    .default(fallback ? 'true' : 'false')
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

export const envPort = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const envInt = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** A comma-separated list; empty entries dropped. */
export const envList = (fallback: string[]) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

/**
 * Parses `env` against a zod object whose keys are variable names.
 * Empty strings count as unset (so `FOO=` in a .env file falls back to the default).
 * Every problem is reported at once, each line naming the variable and what was wrong.
 */
export function parseEnv<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
  where: string,
): z.infer<z.ZodObject<S>> {
  const cleaned: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    cleaned[key] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  const result = z.object(shape).safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '?');
      const given = cleaned[variable];
      // Never echo values of secret-looking variables back: error messages end up in logs.
      const shown =
        given === undefined ? 'unset' : isSecretName(variable) ? '<redacted>' : JSON.stringify(given);
      return `  ${variable} (${shown}): ${issue.message}`;
    });
    throw new ConfigError(
      `Invalid configuration for ${where}:\n${lines.join('\n')}\nSee .env.example for every variable, its default and meaning.`,
    );
  }
  return result.data;
}

export function isSecretName(name: string): boolean {
  return /SECRET|KEY|PASSWORD|TOKEN|KEK/i.test(name) && !/^AUTH_JWKS_URL$/.test(name);
}
