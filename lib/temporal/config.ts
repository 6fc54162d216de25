import { z } from 'zod';
import { envBoolean, envPort } from '../config/env.ts';
import { SCHEDULE_MODES, type ScheduleMode } from '../schedules/sync-mode.ts';

/** Temporal variables shared by the worker and the CLI. */
export const temporalEnvShape = {
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'expected host:port, e.g. temporal.example.com:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('persona-ticks'),
  SCHEDULE_MODE: z.enum(SCHEDULE_MODES).default('per-persona'),
  TEMPORAL_TLS: envBoolean(false),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_DEV_PORT: envPort(7233),
  TEMPORAL_UI_PORT: envPort(8233),
  TEMPORAL_UI_URL: z.url({ error: 'expected the absolute URL of the Temporal Web UI' }).optional(),
};

export interface TemporalConfig {
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  /** How `schedules sync` drives personas: a schedule each, or one per (cadence, timezone, minute). */
  scheduleMode: ScheduleMode;
  tls: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string } | undefined;
  apiKey: string | undefined;
  cliPath: string | undefined;
  devPort: number;
  uiPort: number;
  uiUrl: string | undefined;
}

export function toTemporalConfig(e: z.infer<z.ZodObject<typeof temporalEnvShape>>): TemporalConfig {
  const mtls = e.TEMPORAL_TLS_CERT_PATH || e.TEMPORAL_TLS_KEY_PATH;
  if (Boolean(e.TEMPORAL_TLS_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_KEY_PATH)) {
    throw new Error(
      'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS client certificate)',
    );
  }
  return {
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    scheduleMode: e.SCHEDULE_MODE,
    tls:
      e.TEMPORAL_TLS || mtls || e.TEMPORAL_API_KEY
        ? {
            certPath: e.TEMPORAL_TLS_CERT_PATH,
            keyPath: e.TEMPORAL_TLS_KEY_PATH,
            caPath: e.TEMPORAL_TLS_CA_PATH,
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
    apiKey: e.TEMPORAL_API_KEY,
    cliPath: e.TEMPORAL_CLI_PATH,
    devPort: e.TEMPORAL_DEV_PORT,
    uiPort: e.TEMPORAL_UI_PORT,
    uiUrl: e.TEMPORAL_UI_URL,
  };
}
