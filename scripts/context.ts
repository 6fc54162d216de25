import { Client } from '@temporalio/client';
import { loadBaseConfig } from '../lib/config/base.ts';
import { openDatabase, type Database, type Db } from '../lib/db/client.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { resolveSeedSecret } from '../lib/personas/password.ts';
import {
  connectClient,
  ensureSearchAttributes,
  resolveTemporal,
  type TemporalTarget,
} from '../lib/temporal/connect.ts';
import { loadGatewayConfig } from '../mcp-gateway/config.ts';
import { resolveKek } from '../lib/demo-product/kek.ts';
import { loadWorkerConfig, type WorkerConfig } from '../workers/config.ts';
import { dataConverterFor } from '../workers/payload-codec.ts';

/**
 * What CLI commands share. Configuration is parsed up front (a malformed variable stops every
 * command before it does anything); the database, the key-encryption key, the seed secret and
 * Temporal are opened only when a command first asks for them, and `close()` releases whatever was.
 */
export interface CliContext {
  config: WorkerConfig;
  logger: Logger;
  /** The database; `migrate` (default true) applies pending migrations on first open. */
  database(opts?: { migrate?: boolean }): Promise<Database>;
  /** The key-encryption key (generated into the data dir in development; refused in production when unset). */
  kek(): Buffer;
  /** The persona seed secret (generated into the data dir in development; refused in production when unset). */
  seedSecret(): string;
  temporal(): Promise<{ client: Client; target: TemporalTarget }>;
  close(): Promise<void>;
}

function lazy<T>(make: () => T): { get(): T; peek(): T | undefined } {
  let made: { value: T } | undefined;
  return { get: () => (made ??= { value: make() }).value, peek: () => made?.value };
}

export function openCliContext(name: string): CliContext {
  const config = loadWorkerConfig();
  // stdout is for results (tables, --json); logs go to stderr at warn unless asked for more.
  const logger = createLogger(name, config.logLevel === 'info' ? 'warn' : config.logLevel, { to: 'stderr' });
  let migrate = true;
  const database = lazy(() => openDatabase(config, logger, { poolSize: 16, migrate }));
  const kek = lazy(() => {
    const gateway = loadGatewayConfig();
    return resolveKek(gateway);
  });
  const seedSecret = lazy(() => resolveSeedSecret(config));
  const temporal = lazy(async () => {
    const target = await resolveTemporal(config.temporal, { dataDir: config.dataDir, logger });
    const connection = await connectClient(target);
    await ensureSearchAttributes(connection, target.namespace, logger);
    const client = new Client({
      connection,
      namespace: target.namespace,
      dataConverter: dataConverterFor(config),
    });
    return { client, target };
  });
  return {
    config,
    logger,
    database(opts = {}) {
      migrate = opts.migrate ?? true;
      return database.get();
    },
    kek: kek.get,
    seedSecret: seedSecret.get,
    temporal: temporal.get,
    async close() {
      const t = await temporal.peek()?.catch(() => undefined);
      await t?.client.connection.close();
      await t?.target.stop();
      const db = await database.peek()?.catch(() => undefined);
      await db?.close();
    },
  };
}

/** Runs a command body with a context, always closing it. */
export async function withContext<T>(name: string, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = openCliContext(name);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/**
 * Runs a command that only reads the database (report, compare, campaigns). Only the variables every
 * entry point shares are parsed, so a worker's setting (LLM_PROVIDER, ANTHROPIC_*) never stops it.
 */
export async function withDatabase<T>(name: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadBaseConfig();
  const logger = createLogger(name, config.logLevel === 'info' ? 'warn' : config.logLevel, { to: 'stderr' });
  const database = await openDatabase(config, logger, { poolSize: 4 });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
