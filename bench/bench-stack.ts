// The servers a benchmark needs, started by the benchmark itself and stopped afterwards:
//
// - Postgres: the server behind DATABASE_URL when set, else an embedded Postgres started in
//   `.data/bench-<name>/run-<pid>` on a free port. Either way the benchmark works in its own fresh
//   `pr_bench_*` database (migrated), dropped at the end — DATABASE_URL's own database is never written.
// - Temporal: TEMPORAL_ADDRESS when set, else an in-memory, headless dev server on a free port (the
//   project's Temporal CLI, exactly as `npm test` starts it).
//
// `stop()` closes everything in reverse order and removes the run directory; SIGINT / SIGTERM do the same.
import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadBaseConfig } from '../lib/config/base.ts';
import { parseEnv } from '../lib/config/env.ts';
import { openDatabase, type Database } from '../lib/db/client.ts';
import { startEmbeddedPostgres } from '../lib/db/embedded-postgres.ts';
import { createScratchDatabase } from '../lib/db/test-databases.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { freePort } from '../lib/net/free-port.ts';
import { temporalEnvShape, toTemporalConfig } from '../lib/temporal/config.ts';
import { resolveTemporal, type TemporalTarget } from '../lib/temporal/connect.ts';

export interface BenchStack {
  logger: Logger;
  /** The benchmark's own migrated database (pool of `poolSize`). */
  database: Database;
  /** Opens another pool on the same database (e.g. the worker's, separate from the gateway's). */
  openPool(poolSize: number): Promise<Database>;
  /** Another fresh, migrated scratch database on the same server (dropped by stop()). */
  freshDatabase(poolSize: number): Promise<Database & { drop(): Promise<void> }>;
  temporal: TemporalTarget;
  /**
   * A second, fresh in-memory Temporal dev server on a free port (undefined with TEMPORAL_ADDRESS: a
   * cluster is not ours to multiply). Stopped by its own stop() or by the stack's.
   */
  freshTemporal(): Promise<{ temporal: TemporalTarget; client: Client; stop(): Promise<void> } | undefined>;
  client: Client;
  postgresSource: 'DATABASE_URL' | 'embedded';
  temporalSource: TemporalTarget['source'];
  /** Registers a cleanup, run (last registered first) by stop(). */
  onStop(fn: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export async function startBenchStack(opts: {
  name: string;
  poolSize?: number;
  logLevel?: string;
  /** Dev servers keep their state in a SQLite file (as `personas up` runs it) instead of in memory. */
  temporalFile?: boolean;
}): Promise<BenchStack> {
  const logger = createLogger(`bench-${opts.name}`, opts.logLevel ?? process.env.LOG_LEVEL ?? 'warn');
  const base = loadBaseConfig();
  const runDir = path.join(base.dataDir, `bench-${opts.name}`, `run-${process.pid}`);
  const cleanups: Array<() => Promise<unknown>> = [
    async () => {
      await rm(runDir, { recursive: true, force: true });
      // The benchmark's directory too, unless another run of it is using it right now.
      await rmdir(path.dirname(runDir)).catch(() => {});
    },
  ];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const c of cleanups.splice(0).reverse()) {
        await c().catch((err: unknown) => logger.warn({ err }, 'bench cleanup failed'));
      }
    })());
  const onSignal = () => {
    process.stderr.write('\ninterrupted: cleaning up…\n');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const embedded = base.databaseUrl
      ? undefined
      : await startEmbeddedPostgres({
          dataDir: runDir,
          port: await freePort(),
          logger,
          database: 'postgres',
        });
    if (embedded) cleanups.push(() => embedded.stop());
    const adminUrl = base.databaseUrl ?? embedded!.url;
    const scratch = await createScratchDatabase(adminUrl, 'pr_bench');
    cleanups.push(() => scratch.drop());
    const openPool = async (poolSize: number) => {
      const db = await openDatabase({ ...base, databaseUrl: scratch.url }, logger, { poolSize });
      cleanups.push(() => db.close());
      return db;
    };
    const database = await openPool(opts.poolSize ?? 32);
    const freshDatabase = async (poolSize: number) => {
      const other = await createScratchDatabase(adminUrl, 'pr_bench');
      cleanups.push(() => other.drop());
      const db = await openDatabase({ ...base, databaseUrl: other.url }, logger, { poolSize });
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await db.close();
      };
      cleanups.push(close);
      return { ...db, close, drop: async () => (await close(), await other.drop()) };
    };

    const temporalConfig = toTemporalConfig(parseEnv(temporalEnvShape, process.env, 'the benchmark'));
    let servers = 0;
    const startTemporal = async () => {
      const temporal = await resolveTemporal(
        { ...temporalConfig, devPort: temporalConfig.address ? temporalConfig.devPort : await freePort() },
        {
          dataDir: path.join(runDir, `temporal-${++servers}`),
          logger,
          inMemory: !opts.temporalFile,
          headless: true,
        },
      );
      const connection = await Connection.connect(temporal.connectionOptions);
      const client = new Client({ connection, namespace: temporal.namespace });
      let stopped = false;
      const stopIt = async () => {
        if (stopped) return;
        stopped = true;
        await connection.close();
        await temporal.stop();
      };
      cleanups.push(stopIt);
      return { temporal, client, stop: stopIt };
    };
    const { temporal, client } = await startTemporal();

    return {
      logger,
      database,
      openPool,
      freshDatabase,
      temporal,
      freshTemporal: async () => (temporalConfig.address ? undefined : startTemporal()),
      client,
      postgresSource: base.databaseUrl ? 'DATABASE_URL' : 'embedded',
      temporalSource: temporal.source,
      onStop: (fn) => void cleanups.push(fn),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
