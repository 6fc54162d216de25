// Postgres for tests and benchmarks: the server behind the environment's URL, or an embedded one
// started here; on it, throwaway migrated databases, one per test file or benchmark scenario.
import { after } from 'node:test';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { openDatabase, type Database } from '../../lib/db/client.ts';
import { startEmbeddedPostgres } from '../../lib/db/embedded-postgres.ts';
import { createScratchDatabase } from '../../lib/db/test-databases.ts';
import { createLogger, type Logger } from '../../lib/logger.ts';
import { freePort } from '../../lib/net/free-port.ts';

export const testLogger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** The server to create scratch databases on: `npm test`'s (TEST_ADMIN_DATABASE_URL), else DATABASE_URL. */
export function adminDatabaseUrl(): string | undefined {
  return process.env.TEST_ADMIN_DATABASE_URL || loadBaseConfig().databaseUrl;
}

/**
 * `adminUrl` or adminDatabaseUrl() when set, else a real Postgres embedded in `runDir` on a free port
 * (stopped by `stop`).
 */
export async function startPostgres(opts: { runDir: string; logger: Logger; adminUrl?: string }): Promise<{
  adminUrl: string;
  source: 'DATABASE_URL' | 'embedded';
  stop(): Promise<void>;
}> {
  const fromEnv = opts.adminUrl || adminDatabaseUrl();
  if (fromEnv) return { adminUrl: fromEnv, source: 'DATABASE_URL', stop: async () => {} };
  const embedded = await startEmbeddedPostgres({
    dataDir: opts.runDir,
    port: await freePort(),
    logger: opts.logger,
    database: 'postgres',
  });
  return { adminUrl: embedded.url, source: 'embedded', stop: () => embedded.stop() };
}

export type ScratchDatabase = Database & {
  /** Closes the pool (once) and drops the database. */
  drop(): Promise<void>;
  /** Another pool on the same database (closed by its own close(), or by drop()). */
  openPool(poolSize: number): Promise<Database>;
};

/** A fresh database on the server behind `adminUrl`, migrated, with a pool of `poolSize`. */
export async function scratchDatabase(
  adminUrl: string,
  opts: {
    prefix?: string;
    poolSize?: number;
    logger?: Logger;
    /** Connect through another address (e.g. a TCP proxy a test can cut), given the real URL. */
    connectVia?: (url: string) => Promise<string>;
  } = {},
): Promise<ScratchDatabase> {
  const logger = opts.logger ?? testLogger;
  const scratch = await createScratchDatabase(adminUrl, opts.prefix);
  const url = opts.connectVia ? await opts.connectVia(scratch.url) : scratch.url;
  const open = (poolSize: number) =>
    openDatabase({ ...loadBaseConfig({}), databaseUrl: url }, logger, { poolSize });
  const database = await open(opts.poolSize ?? 24).catch(async (err: unknown) => {
    await scratch.drop();
    throw err;
  });
  const pools: Database[] = [];
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= database.close());
  return {
    ...database,
    close,
    async openPool(poolSize) {
      const extra = await open(poolSize);
      pools.push(extra);
      return extra;
    },
    async drop() {
      await Promise.all(pools.splice(0).map((p) => p.close().catch(() => {})));
      await close();
      await scratch.drop();
    },
  };
}

/**
 * For a test file: a fresh, migrated database, dropped when the file ends. Needs
 * TEST_ADMIN_DATABASE_URL (set by `npm test`) or DATABASE_URL pointing at a server.
 */
export async function freshDatabase(
  opts: {
    /** Connect through another address (e.g. a TCP proxy the test can cut), given the real URL. */
    connectVia?: (url: string) => Promise<string>;
  } = {},
): Promise<Database> {
  const adminUrl = adminDatabaseUrl();
  if (!adminUrl) throw new Error('run tests with `npm test` (it starts Postgres) or set DATABASE_URL');
  const database = await scratchDatabase(adminUrl, { poolSize: 24, connectVia: opts.connectVia });
  after(() => database.drop());
  return database;
}
