import path from 'node:path';
import { z } from 'zod';
import { envPort, parseEnv } from './env.ts';

/** Variables every entry point shares: where data lives, which Postgres, which mode. */
export const baseEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Read by lib/logger.ts from the environment; declared here so a misspelt value stops every entry point.
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], { error: 'expected auto | json | pretty' }).default('auto'),
  PERSONA_DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  EMBEDDED_PG_PORT: envPort(54329),
};

export interface BaseConfig {
  production: boolean;
  logLevel: z.infer<(typeof baseEnvShape)['LOG_LEVEL']>;
  dataDir: string;
  databaseUrl: string | undefined;
  embeddedPgPort: number;
}

export function toBaseConfig(env: z.infer<z.ZodObject<typeof baseEnvShape>>): BaseConfig {
  return {
    production: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL,
    dataDir: path.resolve(env.PERSONA_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    embeddedPgPort: env.EMBEDDED_PG_PORT,
  };
}

export function loadBaseConfig(env: NodeJS.ProcessEnv = process.env): BaseConfig {
  return toBaseConfig(parseEnv(baseEnvShape, env, 'persona-runner'));
}
