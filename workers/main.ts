import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { openDatabase } from '../lib/db/client.ts';
import type { Logger } from '../lib/logger.ts';
import {
  connectClient,
  connectWorker,
  ensureSearchAttributes,
  resolveTemporal,
} from '../lib/temporal/connect.ts';
import { buildActivityDeps } from './build-deps.ts';
import type { WorkerConfig } from './config.ts';
import { startWorkerHttp } from './http.ts';
import { AesGcmPayloadCodec } from './payload-codec.ts';
import { createTickWorker } from './tick-worker.ts';

const SDK_LOG_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
};

/**
 * The worker process: parse config → build deps → connect → create worker → run until SIGINT /
 * SIGTERM (graceful: in-flight activities get the grace time) → close everything it opened.
 */
export async function runWorker(config: WorkerConfig, logger: Logger, stop: AbortSignal): Promise<void> {
  // Process-wide and before any connection: SDK metrics on their own Prometheus endpoint.
  Runtime.install({
    logger: new DefaultLogger(SDK_LOG_LEVELS[config.logLevel] ?? 'WARN'),
    telemetryOptions: {
      metrics: { prometheus: { bindAddress: `${config.metricsHost}:${config.sdkMetricsPort}` } },
    },
  });
  const database = await openDatabase(config, logger, { poolSize: 16 });
  const cleanups: Array<() => Promise<unknown>> = [() => database.close()];
  try {
    const temporal = await resolveTemporal(config.temporal, { dataDir: config.dataDir, logger });
    cleanups.unshift(() => temporal.stop());
    const clientConnection = await connectClient(temporal);
    cleanups.unshift(() => clientConnection.close());
    await ensureSearchAttributes(clientConnection, temporal.namespace, logger);
    const connection = await connectWorker(temporal);
    cleanups.unshift(() => connection.close());

    const deps = buildActivityDeps(config, database.db, logger);
    cleanups.unshift(() => deps.sessions.close());
    const codec = config.payloadCodecKey ? new AesGcmPayloadCodec(config.payloadCodecKey) : undefined;
    const worker = await createTickWorker({
      connection,
      namespace: temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      deps,
      maxConcurrentActivities: config.maxConcurrentActivities,
      ...(codec && { dataConverter: { payloadCodecs: [codec] } }),
    });
    const httpServer = await startWorkerHttp({
      port: config.metricsPort,
      host: config.metricsHost,
      registry: deps.metrics.registry,
      codec,
      corsOrigins: config.codecCorsOrigins,
      health: () => ({
        ok: worker.getState() === 'RUNNING',
        state: worker.getState(),
        taskQueue: config.temporal.taskQueue,
        provider: deps.llm.kind,
        model: deps.llm.model,
      }),
    });
    cleanups.unshift(() => httpServer.close());
    logger.info(
      {
        temporal: temporal.address,
        source: temporal.source,
        namespace: temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        provider: deps.llm.kind,
        model: deps.llm.model,
        metrics: `http://${config.metricsHost}:${httpServer.port}/metrics`,
        sdkMetrics: `http://${config.metricsHost}:${config.sdkMetricsPort}/metrics`,
        ...(temporal.uiUrl && { ui: temporal.uiUrl }),
      },
      deps.llm.kind === 'scripted'
        ? 'worker running (OFFLINE scripted personas: no ANTHROPIC_API_KEY)'
        : 'worker running',
    );
    const onStop = () => worker.shutdown();
    stop.addEventListener('abort', onStop, { once: true });
    await worker.run();
    stop.removeEventListener('abort', onStop);
  } finally {
    for (const c of cleanups) await c().catch((err: unknown) => logger.warn({ err }, 'cleanup failed'));
  }
}
