import { z } from 'zod';
import { baseEnvShape, toBaseConfig, type BaseConfig } from '../lib/config/base.ts';
import { ConfigError, envBoolean, envInt, envList, envPort, parseEnv } from '../lib/config/env.ts';
import { parseFaults, type GatewayFaults } from './faults.ts';
import { vaultKekEnv } from '../lib/demo-product/kek.ts';
import { resolveSeedSecret } from '../lib/personas/password.ts';
import { BUILTIN_ONLY, loadProductsFile, type ProductsConfig } from '../lib/products/products-config.ts';

export const POLICY_MODES = ['off', 'log-only', 'enforce'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];
export const LIMITS_STORES = ['postgres', 'memory'] as const;
export type LimitsStore = (typeof LIMITS_STORES)[number];

const gatewayEnvShape = {
  ...baseEnvShape,
  GATEWAY_PORT: envPort(3069),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PUBLIC_URL: z.url({ error: 'expected an absolute URL such as http://localhost:3069' }).optional(),
  GATEWAY_ALLOWED_HOSTS: envList(['localhost', '127.0.0.1', '[::1]']),
  GATEWAY_ALLOWED_ORIGINS: envList([]),
  // Proxies in front of the gateway (a load balancer) whose X-Forwarded-For is believed, counted from
  // the gateway: 0 trusts none (req.ip is the peer); 1 trusts the one load balancer. Never more than
  // there are: a client could then choose the address its failed logins are counted against.
  GATEWAY_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  GATEWAY_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 512kb or 1mb')
    .default('1mb'),
  GATEWAY_SESSION_IDLE_SECONDS: envInt(1800, 10),
  // Each session holds an MCP server and transport (~60 kB measured); one user must not hold unbounded many.
  GATEWAY_MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(16),
  // Privileges are re-read before every request that depends on them; other calls use a read this recent.
  GATEWAY_PRIVILEGE_MAX_AGE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).default('persona-runner-mcp'),
  AUTH_JWKS_URL: z.url({ error: 'expected the absolute URL of a JWKS document' }).optional(),
  AUTH_TOKEN_TTL_SECONDS: envInt(900, 30),
  // Personas come from the seed path and people from `personas token`: self-service signup is opt-in.
  AUTH_OPEN_SIGNUP: envBoolean(false),
  AUTH_LOGIN_FAILURES_PER_ACCOUNT: envInt(5, 1),
  AUTH_LOGIN_FAILURES_PER_IP: envInt(20, 1),
  AUTH_LOGIN_WINDOW_SECONDS: envInt(900, 1),
  AUTH_KDF_CONCURRENCY: envInt(2, 1),
  AUTH_KDF_QUEUE: envInt(64, 0),
  VAULT_KEK: vaultKekEnv,
  POLICY_MODE: z
    .enum(POLICY_MODES, { error: `expected one of ${POLICY_MODES.join(' | ')}` })
    // Safe by default: destructive tools need the user's opt-in. log-only is an explicit rollout choice.
    .default('enforce'),
  POLICY_RATE_LIMIT: envInt(30, 1),
  // Where rate limits and login failures are counted: memory per instance (one gateway: no round trip
  // per call); postgres across every instance behind a load balancer (a statement per call).
  GATEWAY_LIMITS_STORE: z
    .enum(LIMITS_STORES, { error: `expected one of ${LIMITS_STORES.join(' | ')}` })
    .default('memory'),
  POLICY_RATE_WINDOW_SECONDS: envInt(60, 1),
  PERSONA_PRODUCTS: z.string().optional(),
  PERSONA_SEED_SECRET: z.string().min(16, 'expected at least 16 characters').optional(),
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
  /** Proxies in front whose X-Forwarded-For is trusted (express `trust proxy` hop count). */
  trustProxy: number;
  sessionIdleMs: number;
  /** Open MCP sessions one user may hold; at the cap the least recently used idle one is evicted. */
  maxSessionsPerUser: number;
  /** How old the privileges an unprivileged call uses may be (mcp-gateway/mcp/privilege-recheck.ts). */
  privilegeMaxAgeMs: number;
  auth: {
    issuer: string;
    audience: string;
    /** Unset: the gateway's own keys (the built-in identity). Set: an external identity provider. */
    jwksUrl: string | undefined;
    tokenTtlSeconds: number;
    openSignup: boolean;
    /** Failed logins allowed per account and per client IP within the window, then 429. */
    throttle: { perAccount: number; perIp: number; windowMs: number };
    /** Concurrent password hashes, and how many may wait before 503. */
    kdf: { concurrency: number; queue: number };
  };
  /** Key-encryption key; undefined means one generated into the data dir (refused in production). */
  vaultKek: Buffer | undefined;
  policy: { mode: PolicyMode; rateLimit: number; rateWindowMs: number };
  /** Where the rate limit and the login throttle count: shared by every instance, or per instance. */
  limitsStore: LimitsStore;
  /** The federated upstream products (`PERSONA_PRODUCTS`) and whether the built-in tools are served. */
  products: ProductsConfig;
  /** For `${user.secret}` in products' transports; empty when no product uses it. */
  seedSecret: string;
  /** Seeded faults per tool (GATEWAY_FAULTS); undefined when off. */
  faults: GatewayFaults | undefined;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = parseEnv(gatewayEnvShape, env, 'the gateway');
  const products = e.PERSONA_PRODUCTS ? loadProductsFile(e.PERSONA_PRODUCTS) : BUILTIN_ONLY;
  // Production refuses the development seed secret only where it is used: `${user.secret}`.
  const usesUserSecret = JSON.stringify(products.products).includes('${user.secret}');
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
    trustProxy: e.GATEWAY_TRUST_PROXY,
    sessionIdleMs: e.GATEWAY_SESSION_IDLE_SECONDS * 1000,
    maxSessionsPerUser: e.GATEWAY_MAX_SESSIONS_PER_USER,
    privilegeMaxAgeMs: e.GATEWAY_PRIVILEGE_MAX_AGE_MS,
    auth: {
      issuer: e.AUTH_ISSUER ?? publicUrl,
      audience: e.AUTH_AUDIENCE,
      jwksUrl: e.AUTH_JWKS_URL,
      tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
      openSignup: e.AUTH_OPEN_SIGNUP,
      throttle: {
        perAccount: e.AUTH_LOGIN_FAILURES_PER_ACCOUNT,
        perIp: e.AUTH_LOGIN_FAILURES_PER_IP,
        windowMs: e.AUTH_LOGIN_WINDOW_SECONDS * 1000,
      },
      kdf: { concurrency: e.AUTH_KDF_CONCURRENCY, queue: e.AUTH_KDF_QUEUE },
    },
    vaultKek: e.VAULT_KEK,
    policy: {
      mode: e.POLICY_MODE,
      rateLimit: e.POLICY_RATE_LIMIT,
      rateWindowMs: e.POLICY_RATE_WINDOW_SECONDS * 1000,
    },
    limitsStore: e.GATEWAY_LIMITS_STORE,
    products,
    // Resolved (and, unset in development, generated into the data dir) only when a product uses it.
    seedSecret: usesUserSecret
      ? resolveSeedSecret({
          seedSecret: e.PERSONA_SEED_SECRET,
          production: e.NODE_ENV === 'production',
          dataDir: toBaseConfig(e).dataDir,
        })
      : '',
    faults,
  };
}
