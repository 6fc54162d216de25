import { Client } from '@temporalio/client';
import { openDatabase, type Database } from '../lib/db/client.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { resolveSeedSecret } from '../lib/personas/password.ts';
import {
  connectClient,
  ensureSearchAttributes,
  resolveTemporal,
  type TemporalTarget,
} from '../lib/temporal/connect.ts';
import { loadGatewayConfig, type GatewayConfig } from '../mcp-gateway/config.ts';
import { resolveKek } from '../mcp-gateway/crypto/kek.ts';
import { loadWorkerConfig, type WorkerConfig } from '../workers/config.ts';
import { dataConverterFor } from '../workers/payload-codec.ts';

/** What CLI commands share: configuration, the database, and (on demand) a Temporal client. */
export interface CliContext {
  config: WorkerConfig;
  gatewayConfig: GatewayConfig;
  logger: Logger;
  database: Database;
  kek: Buffer;
  seedSecret: string;
  temporal(): Promise<{ client: Client; target: TemporalTarget }>;
  close(): Promise<void>;
}

/** Opens the database (migrating) and lazily Temporal; `close()` releases whatever was opened. */
export async function openCliContext(name: string): Promise<CliContext> {
  const config = loadWorkerConfig();
  const gatewayConfig = loadGatewayConfig();
  // stdout is for results (tables, --json); logs go to stderr at warn unless asked for more.
  const logger = createLogger(name, config.logLevel === 'info' ? 'warn' : config.logLevel);
  // Refuse insecure production settings before opening anything: a pool opened and then abandoned by
  // a throw would keep the process alive until its idle clients time out.
  const kek = resolveKek(gatewayConfig.vaultKek, gatewayConfig.production);
  const seedSecret = resolveSeedSecret(config.seedSecret, config.production);
  const database = await openDatabase(config, logger, { poolSize: 16 });
  let temporal: Promise<{ client: Client; target: TemporalTarget }> | undefined;
  return {
    config,
    gatewayConfig,
    logger,
    database,
    kek,
    seedSecret,
    temporal() {
      temporal ??= (async () => {
        const target = await resolveTemporal(config.temporal, { dataDir: config.dataDir, logger });
        const connection = await connectClient(target);
        await ensureSearchAttributes(connection, target.namespace, logger);
        return { client: new Client({ connection, namespace: target.namespace, dataConverter: dataConverterFor(config) }), target };
      })();
      return temporal;
    },
    async close() {
      if (temporal) {
        const t = await temporal.catch(() => undefined);
        await t?.client.connection.close();
        await t?.target.stop();
      }
      await database.close();
    },
  };
}

/** Runs a command body with a context, always closing it. */
export async function withContext<T>(name: string, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openCliContext(name);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
