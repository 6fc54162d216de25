// What a benchmark (or any long-lived harness) starts, and stops afterwards: Postgres (the
// environment's server or an embedded one) with a fresh `pr_bench_*`-style database on it, and
// Temporal (TEMPORAL_ADDRESS or an in-memory dev server), connected. Everything lives under
// `<data dir>/<name>/run-<pid>`, removed by stop(); with `handleSignals`, Ctrl-C stops it too.
import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { loadBaseConfig } from '../../lib/config/base.ts';
import type { Database } from '../../lib/db/client.ts';
import { createLogger, type Logger } from '../../lib/logger.ts';
import type { TemporalTarget } from '../../lib/temporal/connect.ts';
import { Cleanups, startOrClean } from './cleanup.ts';
import { scratchDatabase, startPostgres, type ScratchDatabase } from './database.ts';
import { startTemporal, type TemporalConnections } from './temporal.ts';

export interface Stack {
  logger: Logger;
  /** The stack's own migrated database. */
  database: ScratchDatabase;
  /** Another pool on that database (e.g. the worker's, apart from the gateway's); closed by stop(). */
  openPool(poolSize: number): Promise<Database>;
  /** Another fresh, migrated database on the same server (dropped by its drop() or by stop()). */
  freshDatabase(poolSize: number): Promise<ScratchDatabase>;
  temporal: TemporalTarget;
  client: Client;
  native: NativeConnection;
  /**
   * Another fresh dev server (undefined with TEMPORAL_ADDRESS: a cluster is not ours to multiply),
   * stopped by its own stop() or by the stack's.
   */
  freshTemporal(): Promise<TemporalConnections | undefined>;
  postgresSource: 'DATABASE_URL' | 'embedded';
  temporalSource: TemporalTarget['source'];
  /** Registers a cleanup, run (last registered first) by stop(). */
  onStop(fn: () => Promise<unknown> | unknown): void;
  stop(): Promise<void>;
}

export async function startStack(opts: {
  name: string;
  /** Scratch database names start with this (default `pr_bench`). */
  prefix?: string;
  poolSize?: number;
  logLevel?: string;
  /** Dev servers keep their state in a SQLite file (as `personas up` runs it) instead of in memory. */
  temporalFile?: boolean;
  /** Stop everything on SIGINT / SIGTERM, then exit 130. */
  handleSignals?: boolean;
}): Promise<Stack> {
  const logger = createLogger(opts.name, opts.logLevel ?? process.env.LOG_LEVEL ?? 'warn');
  const runDir = path.join(loadBaseConfig().dataDir, opts.name, `run-${process.pid}`);
  const cleanups = new Cleanups((err) => logger.warn({ err }, 'cleanup failed'));
  cleanups.add(async () => {
    await rm(runDir, { recursive: true, force: true });
    // The name's directory too, unless another run is using it right now.
    await rmdir(path.dirname(runDir)).catch(() => {});
  });
  if (opts.handleSignals) {
    const onSignal = () => {
      process.stderr.write('\ninterrupted: cleaning up…\n');
      void cleanups.run().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  return startOrClean(cleanups, async () => {
    const postgres = await startPostgres({ runDir, logger });
    cleanups.add(() => postgres.stop());
    const freshDatabase = async (poolSize: number) => {
      const db = await scratchDatabase(postgres.adminUrl, {
        prefix: opts.prefix ?? 'pr_bench',
        poolSize,
        logger,
      });
      cleanups.add(() => db.drop());
      return db;
    };
    const database = await freshDatabase(opts.poolSize ?? 32);

    let servers = 0;
    const temporalAt = async () => {
      const t = await startTemporal({
        runDir: path.join(runDir, `temporal-${++servers}`),
        logger,
        inFile: opts.temporalFile,
      });
      let stopped: Promise<void> | undefined;
      const stop = () => (stopped ??= t.stop());
      cleanups.add(stop);
      return { ...t, stop };
    };
    const temporal = await temporalAt();

    return {
      logger,
      database,
      openPool: (poolSize) => database.openPool(poolSize),
      freshDatabase,
      temporal: temporal.target,
      client: temporal.client,
      native: temporal.native,
      freshTemporal: async () => (temporal.target.source === 'TEMPORAL_ADDRESS' ? undefined : temporalAt()),
      postgresSource: postgres.source,
      temporalSource: temporal.target.source,
      onStop: (fn) => cleanups.add(fn),
      stop: () => cleanups.run(),
    };
  });
}
