import { z } from 'zod';
import { baseEnvShape, toBaseConfig, type BaseConfig } from '../lib/config/base.ts';
import { ConfigError, envInt, envList, envPort, parseEnv } from '../lib/config/env.ts';
import { LOOPBACK_HOSTS } from '../lib/http/request-guards.ts';
import { vaultKekEnv } from '../lib/demo-product/kek.ts';
import { temporalEnvShape, toTemporalConfig, type TemporalConfig } from '../lib/temporal/config.ts';
import { DEFAULT_PRICES, priceTableSchema, type PriceTable } from '../activities/llm/prices.ts';
import { PURGE_BATCH_SIZE, RETENTION_DAYS } from '../workflows/purge-contract.ts';

/** A whole number in [min, max] with a default, for a variable whose range is part of its meaning. */
const envRange = (r: { default: number; min: number; max: number }, unit: string) =>
  z.coerce
    .number({ error: `expected a whole number of ${unit} from ${r.min} to ${r.max}` })
    .int({ error: `expected a whole number of ${unit} from ${r.min} to ${r.max}` })
    .min(r.min, { error: `expected a whole number of ${unit} from ${r.min} to ${r.max}` })
    .max(r.max, { error: `expected a whole number of ${unit} from ${r.min} to ${r.max}` })
    .default(r.default);

const workerEnvShape = {
  ...baseEnvShape,
  ...temporalEnvShape,
  GATEWAY_URL: z
    .url({ error: 'expected the gateway base URL, e.g. http://localhost:3069' })
    .default('http://localhost:3069'),
  PERSONA_SEED_SECRET: z.string().min(16, 'expected at least 16 characters').optional(),
  // The worker unwraps personas' master keys with it to seal their transcript parts.
  VAULT_KEK: vaultKekEnv,
  LLM_PROVIDER: z
    .enum(['auto', 'anthropic', 'scripted'], { error: 'expected auto | anthropic | scripted' })
    .default('auto'),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z
    .url({ error: 'expected an absolute URL of a Messages-API-compatible endpoint' })
    .optional(),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-6'),
  LLM_MAX_TOKENS_PER_CALL: envInt(2048, 64),
  LLM_PRICES_JSON: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return priceTableSchema.parse(JSON.parse(v));
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: `expected JSON {"model":{"input":3,"output":15,"cacheWrite":3.75,"cacheRead":0.3}} (${(err as Error).message.slice(0, 200)})`,
        });
        return z.NEVER;
      }
    }),
  SCRIPTED_SEED: z.string().default('persona-runner'),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  WORKER_METRICS_PORT: envPort(9464),
  WORKER_METRICS_ALLOWED_HOSTS: envList([...LOOPBACK_HOSTS]),
  // Demanded on /metrics only when it listens beyond loopback (generated in development).
  WORKER_METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  WORKER_CODEC_CORS_ORIGINS: z.string().default('http://localhost:8233'),
  WORKER_CODEC_HOST: z.string().default('127.0.0.1'),
  WORKER_CODEC_PORT: envPort(9466),
  WORKER_CODEC_ALLOWED_HOSTS: envList([...LOOPBACK_HOSTS]),
  WORKER_CODEC_BODY_LIMIT: envInt(4 * 1024 * 1024, 1024),
  CODEC_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  WORKER_SDK_METRICS_PORT: envPort(9465),
  WORKER_MAX_CONCURRENT_ACTIVITIES: envInt(64, 1),
  TRANSCRIPT_RETENTION_DAYS: envRange(RETENTION_DAYS, 'days'),
  TRANSCRIPT_PURGE_BATCH_SIZE: envRange(PURGE_BATCH_SIZE, 'transcript parts'),
  PAYLOAD_CODEC_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'expected 32 bytes, base64-encoded (openssl rand -base64 32)',
    )
    .optional(),
};

export interface WorkerConfig extends BaseConfig {
  temporal: TemporalConfig;
  gatewayUrl: string;
  seedSecret: string | undefined;
  /** Key-encryption key; undefined means one generated into the data dir (refused in production). */
  vaultKek: Buffer | undefined;
  llm: {
    provider: 'anthropic' | 'scripted';
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    maxTokensPerCall: number;
    prices: PriceTable;
    scriptedSeed: string;
  };
  metricsHost: string;
  metricsPort: number;
  metricsAllowedHosts: string[];
  metricsToken: string | undefined;
  codec: {
    host: string;
    port: number;
    allowedHosts: string[];
    corsOrigins: string[];
    bodyLimitBytes: number;
    /** Unset: generated into the data dir in development (see resolveServiceToken). */
    token: string | undefined;
  };
  sdkMetricsPort: number;
  maxConcurrentActivities: number;
  payloadCodecKey: Buffer | undefined;
  /** Transcript parts older than this are purged by the purge schedule the worker keeps in place. */
  retention: { retentionDays: number; batchSize: number };
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseEnv(workerEnvShape, env, 'the worker');
  if (e.LLM_PROVIDER === 'anthropic' && !e.ANTHROPIC_API_KEY) {
    throw new ConfigError(
      'LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY (or use LLM_PROVIDER=scripted to run offline)',
    );
  }
  // No key, no network: the offline scripted persona simulator is the default.
  const provider =
    e.LLM_PROVIDER === 'auto' ? (e.ANTHROPIC_API_KEY ? 'anthropic' : 'scripted') : e.LLM_PROVIDER;
  return {
    ...toBaseConfig(e),
    temporal: toTemporalConfig(e),
    gatewayUrl: e.GATEWAY_URL.replace(/\/$/, ''),
    seedSecret: e.PERSONA_SEED_SECRET,
    vaultKek: e.VAULT_KEK,
    llm: {
      provider,
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL,
      model: e.ANTHROPIC_MODEL,
      maxTokensPerCall: e.LLM_MAX_TOKENS_PER_CALL,
      prices: { ...DEFAULT_PRICES, ...e.LLM_PRICES_JSON },
      scriptedSeed: e.SCRIPTED_SEED,
    },
    metricsHost: e.WORKER_METRICS_HOST,
    metricsPort: e.WORKER_METRICS_PORT,
    metricsAllowedHosts: e.WORKER_METRICS_ALLOWED_HOSTS,
    metricsToken: e.WORKER_METRICS_TOKEN,
    codec: {
      host: e.WORKER_CODEC_HOST,
      port: e.WORKER_CODEC_PORT,
      allowedHosts: e.WORKER_CODEC_ALLOWED_HOSTS,
      corsOrigins: e.WORKER_CODEC_CORS_ORIGINS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      bodyLimitBytes: e.WORKER_CODEC_BODY_LIMIT,
      token: e.CODEC_TOKEN,
    },
    sdkMetricsPort: e.WORKER_SDK_METRICS_PORT,
    maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    payloadCodecKey: e.PAYLOAD_CODEC_KEY ? Buffer.from(e.PAYLOAD_CODEC_KEY, 'base64') : undefined,
    retention: { retentionDays: e.TRANSCRIPT_RETENTION_DAYS, batchSize: e.TRANSCRIPT_PURGE_BATCH_SIZE },
  };
}
