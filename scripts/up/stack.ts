import { builtinToolLookup } from '../../mcp-gateway/tools/index.ts';
import { Client } from '@temporalio/client';
import { openDatabase, type Database } from '../../lib/db/client.ts';
import type { Logger } from '../../lib/logger.ts';
import { loadCatalog } from '../../lib/personas/catalog.ts';
import { servedModules } from '../../lib/products/products-config.ts';
import { resolveSeedSecret } from '../../lib/personas/password.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { resolveKek } from '../../lib/demo-product/kek.ts';
import { connectClient, resolveTemporal, type TemporalTarget } from '../../lib/temporal/connect.ts';
import type { GatewayConfig } from '../../mcp-gateway/config.ts';
import { startGateway, type RunningGateway } from '../../mcp-gateway/server.ts';
import type { WorkerConfig } from '../../workers/config.ts';
import { installRuntime, startWorker, type RunningWorker } from '../../workers/main.ts';
import { dataConverterFor } from '../../workers/payload-codec.ts';

export interface LocalStack {
  database: Database;
  temporal: TemporalTarget;
  gateway: RunningGateway;
  worker: RunningWorker;
  client: Client;
  kek: Buffer;
  /** The emails of the catalog's personas (the database may hold others, seeded from other catalogs). */
  catalogEmails: string[];
  /** Adds something to stop with the stack (stopped before what the stack started itself). */
  defer(stop: () => Promise<unknown>): void;
  /** Stops everything that was started, newest first. */
  stop(): Promise<void>;
}

/**
 * The whole stack in this process — Postgres (embedded unless DATABASE_URL), Temporal (dev server
 * unless TEMPORAL_ADDRESS), gateway, worker — with the catalog seeded: what `personas up` and
 * `personas run` (without TEMPORAL_ADDRESS) stand on. A failure half-way stops what had started.
 */
export async function startLocalStack(opts: {
  workerConfig: WorkerConfig;
  gatewayConfig: GatewayConfig;
  logger: Logger;
  catalog: string;
  say: (m: string) => void;
}): Promise<LocalStack> {
  const { workerConfig, gatewayConfig, logger, say } = opts;
  const defs = await loadCatalog(
    opts.catalog,
    servedModules(gatewayConfig.products),
    builtinToolLookup,
    gatewayConfig.products.personaDefaults,
  );
  const kek = resolveKek(gatewayConfig);
  const seedSecret = resolveSeedSecret(workerConfig);
  installRuntime(
    { ...workerConfig, logLevel: workerConfig.logLevel === 'info' ? 'warn' : workerConfig.logLevel },
    logger,
  );
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.splice(0)) await s().catch((err: unknown) => logger.warn({ err }, 'stop failed'));
  };
  try {
    say('starting Postgres…');
    const database = await openDatabase(workerConfig, logger, { poolSize: 40 });
    stops.unshift(() => database.close());
    say(`Postgres ready (${database.source}); starting Temporal…`);
    const temporal = await resolveTemporal(workerConfig.temporal, { dataDir: workerConfig.dataDir, logger });
    stops.unshift(() => temporal.stop());
    const gateway = await startGateway(gatewayConfig, logger, { database });
    stops.unshift(() => gateway.close());
    const worker = await startWorker(
      { ...workerConfig, gatewayUrl: gateway.url },
      logger,
      database,
      temporal,
    );
    stops.unshift(() => worker.stop());
    const connection = await connectClient(temporal);
    stops.unshift(() => connection.close());
    const client = new Client({
      connection,
      namespace: temporal.namespace,
      dataConverter: dataConverterFor(workerConfig),
    });
    const seeded = await seedPersonas(database.db, kek, seedSecret, defs);
    say(
      `personas: ${seeded.created} created, ${seeded.updated} updated, ${seeded.unchanged} unchanged (${opts.catalog})`,
    );
    return {
      database,
      temporal,
      gateway,
      worker,
      client,
      kek,
      catalogEmails: defs.map((d) => d.email),
      stop,
      defer: (s) => void stops.unshift(s),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
