import { Client } from '@temporalio/client';
import {
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  type LogLevel,
  type Worker,
} from '@temporalio/worker';
import { openDatabase, type Database } from '../lib/db/client.ts';
import type { Logger } from '../lib/logger.ts';
import { ensurePurgeSchedule } from '../lib/schedules/purge-schedule.ts';
import {
  connectClient,
  connectWorker,
  ensureSearchAttributes,
  resolveTemporal,
  type TemporalTarget,
} from '../lib/temporal/connect.ts';
import type { ActivityDeps } from '../activities/index.ts';
import { buildActivityDeps } from './build-deps.ts';
import type { WorkerConfig } from './config.ts';
import { startWorkerHttp } from './http.ts';
import { startCodecHttp } from './codec-http.ts';
import { resolveServiceToken } from '../lib/config/service-tokens.ts';
import { isLoopbackBind } from '../lib/http/request-guards.ts';
import { dataConverterFor } from './payload-codec.ts';
import { createTickWorker } from './tick-worker.ts';

const SDK_LOG_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
};

export interface RunningWorker {
  worker: Worker;
  deps: ActivityDeps;
  metricsUrl: string;
  sdkMetricsUrl: string;
  /** The payload codec endpoint (its token not included), when PAYLOAD_CODEC_KEY is set. */
  codecUrl: string | undefined;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  /** Graceful stop: in-flight activities get the shutdown grace time; then everything opened is closed. */
  stop(): Promise<void>;
}

const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Installs the SDK runtime once per process (before any connection): logging and SDK metrics. The
 * SDK's own lines and its native core's (which it would otherwise print straight to stdout, into
 * `up --once --json`'s result) go through our logger, so they land where the process logs.
 */
export function installRuntime(config: WorkerConfig, logger: Logger): void {
  const level = SDK_LOG_LEVELS[config.logLevel] ?? 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: l, message, meta }) =>
      logger[PINO_LEVELS[l]]({ sdk: meta }, message),
    ),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: level }) },
      metrics: { prometheus: { bindAddress: `${config.metricsHost}:${config.sdkMetricsPort}` } },
    },
  });
}

/** Connects and starts a worker on an existing database and Temporal target (used by `worker` and `up`). */
export async function startWorker(
  config: WorkerConfig,
  logger: Logger,
  database: Database,
  temporal: TemporalTarget,
): Promise<RunningWorker> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    for (const c of cleanups) await c().catch((err: unknown) => logger.warn({ err }, 'cleanup failed'));
  };
  try {
    // Tokens first: a production worker missing one stops before it connects to anything.
    const metricsToken =
      config.metricsToken ??
      (isLoopbackBind(config.metricsHost)
        ? undefined
        : resolveServiceToken({
            configured: undefined,
            production: config.production,
            dataDir: config.dataDir,
            file: 'worker-metrics-token',
            variable: 'WORKER_METRICS_TOKEN',
            why: `/metrics listens beyond loopback (WORKER_METRICS_HOST=${config.metricsHost})`,
          }));
    const codecToken = config.payloadCodecKey
      ? resolveServiceToken({
          configured: config.codec.token,
          production: config.production,
          dataDir: config.dataDir,
          file: 'codec-token',
          variable: 'CODEC_TOKEN',
          why: 'PAYLOAD_CODEC_KEY enables the codec endpoint, which decrypts workflow payloads',
        })
      : undefined;
    const dataConverter = dataConverterFor(config);
    const clientConnection = await connectClient(temporal);
    try {
      await ensureSearchAttributes(clientConnection, temporal.namespace, logger);
      // Retention is enforced wherever ticks run: the worker keeps its task queue's purge schedule
      // at the configured settings (idempotent; see lib/schedules/purge-schedule.ts).
      const client = new Client({
        connection: clientConnection,
        namespace: temporal.namespace,
        dataConverter,
      });
      const purge = await ensurePurgeSchedule(client, config.temporal.taskQueue, config.retention);
      logger.info({ purgeSchedule: purge, ...config.retention }, 'transcript purge schedule');
    } finally {
      await clientConnection.close();
    }
    const connection = await connectWorker(temporal);
    cleanups.unshift(() => connection.close());
    const deps = buildActivityDeps(config, database.db, logger);
    cleanups.unshift(() => deps.sessions.close());
    const codec = dataConverter?.payloadCodecs?.[0];
    const worker = await createTickWorker({
      connection,
      namespace: temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      deps,
      maxConcurrentActivities: config.maxConcurrentActivities,
      ...(dataConverter && { dataConverter }),
    });
    const httpServer = await startWorkerHttp({
      port: config.metricsPort,
      host: config.metricsHost,
      registry: deps.metrics.registry,
      allowedHosts: config.metricsAllowedHosts,
      token: metricsToken,
      health: () => ({
        ok: worker.getState() === 'RUNNING',
        state: worker.getState(),
        taskQueue: config.temporal.taskQueue,
        provider: deps.llm.kind,
        model: deps.llm.model,
      }),
    });
    cleanups.unshift(() => httpServer.close());
    const codecServer =
      codec && codecToken ? await startCodecHttp({ ...config.codec, codec, token: codecToken }) : undefined;
    if (codecServer) cleanups.unshift(() => codecServer.close());
    const done = worker.run();
    let stopping: Promise<void> | undefined;
    return {
      worker,
      deps,
      metricsUrl: `http://${config.metricsHost}:${httpServer.port}/metrics`,
      sdkMetricsUrl: `http://${config.metricsHost}:${config.sdkMetricsPort}/metrics`,
      codecUrl: codecServer && `http://${config.codec.host}:${codecServer.port}/codec`,
      done,
      stop() {
        stopping ??= (async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await done.catch((err: unknown) => logger.error({ err }, 'worker stopped with an error'));
          await closeAll();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * The worker process: parse config → build deps → connect → create worker → run until the stop
 * signal (graceful) → close everything it opened. Exits non-zero via the caller on failure.
 */
export async function runWorker(config: WorkerConfig, logger: Logger, stop: AbortSignal): Promise<void> {
  installRuntime(config, logger);
  const database = await openDatabase(config, logger, { poolSize: 16 });
  let temporal: TemporalTarget | undefined;
  try {
    temporal = await resolveTemporal(config.temporal, { dataDir: config.dataDir, logger });
    const running = await startWorker(config, logger, database, temporal);
    logger.info(
      {
        temporal: temporal.address,
        source: temporal.source,
        namespace: temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        provider: running.deps.llm.kind,
        model: running.deps.llm.model,
        metrics: running.metricsUrl,
        sdkMetrics: running.sdkMetricsUrl,
        ...(running.codecUrl && { codec: running.codecUrl }),
        ...(temporal.uiUrl && { ui: temporal.uiUrl }),
      },
      running.deps.llm.kind === 'scripted'
        ? 'worker running (OFFLINE scripted personas: no ANTHROPIC_API_KEY)'
        : 'worker running',
    );
    stop.addEventListener('abort', () => void running.stop(), { once: true });
    await running.done;
    await running.stop();
  } finally {
    await temporal?.stop();
    await database.close();
  }
}
