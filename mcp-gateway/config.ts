import { z } from 'zod';
import { baseEnvShape, toBaseConfig, type BaseConfig } from '../lib/config/base.ts';
import { ConfigError, envBoolean, envInt, envList, envPort, parseEnv } from '../lib/config/env.ts';
import { parseFaults, type GatewayFaults } from './faults.ts';
import { vaultKekEnv } from '../lib/product/kek.ts';

export const POLICY_MODES = ['off', 'log-only', 'enforce'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

const gatewayEnvShape = {
  ...baseEnvShape,
  GATEWAY_PORT: envPort(3069),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PUBLIC_URL: z.url({ error: 'expected an absolute URL such as http://localhost:3069' }).optional(),
  GATEWAY_ALLOWED_HOSTS: envList(['localhost', '127.0.0.1', '[::1]']),
  GATEWAY_ALLOWED_ORIGINS: envList([]),
  GATEWAY_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 512kb or 1mb')
    .default('1mb'),
  GATEWAY_SESSION_IDLE_SECONDS: envInt(1800, 10),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).default('persona-runner-mcp'),
  AUTH_JWKS_URL: z.url({ error: 'expected the absolute URL of a JWKS document' }).optional(),
  AUTH_TOKEN_TTL_SECONDS: envInt(900, 30),
  VAULT_KEK: vaultKekEnv,
  POLICY_MODE: z
    .enum(POLICY_MODES, { error: `expected one of ${POLICY_MODES.join(' | ')}` })
    .default('log-only'),
  POLICY_RATE_LIMIT: envInt(30, 1),
  POLICY_RATE_WINDOW_SECONDS: envInt(60, 1),
  GATEWAY_FAULTS: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      for (const problem of v === undefined ? [] : parseFaults(v).problems)
        ctx.addIssue({ code: 'custom', message: problem });
    }),
  GATEWAY_FAULTS_ALLOW_PRODUCTION: envBoolean(false),
};

export interface GatewayConfig extends BaseConfig {
  port: number;
  host: string;
  publicUrl: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  bodyLimit: string;
  sessionIdleMs: number;
  auth: {
    issuer: string;
    audience: string;
    /** Unset: the gateway's own keys (the built-in identity). Set: an external identity provider. */
    jwksUrl: string | undefined;
    tokenTtlSeconds: number;
  };
  /** Key-encryption key; undefined means the development fallback (refused in production). */
  vaultKek: Buffer | undefined;
  policy: { mode: PolicyMode; rateLimit: number; rateWindowMs: number };
  /** Seeded faults per tool (GATEWAY_FAULTS); undefined when off. */
  faults: GatewayFaults | undefined;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = parseEnv(gatewayEnvShape, env, 'the gateway');
  const faults = e.GATEWAY_FAULTS === undefined ? undefined : parseFaults(e.GATEWAY_FAULTS).faults;
  if (faults && e.NODE_ENV === 'production' && !e.GATEWAY_FAULTS_ALLOW_PRODUCTION)
    throw new ConfigError(
      'Invalid configuration for the gateway:\n  GATEWAY_FAULTS: injected faults are refused in production (NODE_ENV=production); set GATEWAY_FAULTS_ALLOW_PRODUCTION=1 to run a drill on purpose',
    );
  const publicUrl = (e.GATEWAY_PUBLIC_URL ?? `http://localhost:${e.GATEWAY_PORT}`).replace(/\/$/, '');
  return {
    ...toBaseConfig(e),
    port: e.GATEWAY_PORT,
    host: e.GATEWAY_HOST,
    publicUrl,
    allowedHosts: e.GATEWAY_ALLOWED_HOSTS,
    allowedOrigins: e.GATEWAY_ALLOWED_ORIGINS,
    bodyLimit: e.GATEWAY_BODY_LIMIT,
    sessionIdleMs: e.GATEWAY_SESSION_IDLE_SECONDS * 1000,
    auth: {
      issuer: e.AUTH_ISSUER ?? publicUrl,
      audience: e.AUTH_AUDIENCE,
      jwksUrl: e.AUTH_JWKS_URL,
      tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
    },
    vaultKek: e.VAULT_KEK,
    policy: {
      mode: e.POLICY_MODE,
      rateLimit: e.POLICY_RATE_LIMIT,
      rateWindowMs: e.POLICY_RATE_WINDOW_SECONDS * 1000,
    },
    faults,
  };
}
