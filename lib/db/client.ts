import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from '../../schema/index.ts';
import type { BaseConfig } from '../config/base.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { PersonaRunnerError } from '../errors.ts';
import { ResilientPool } from './pool.ts';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; tool handlers get one so a failed call never leaves a partial write. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../schema/migrations',
);

export interface Database {
  db: Db;
  pool: pg.Pool;
  url: string;
  /** Where the connection came from, for start-up messages (never includes the password). */
  source: 'DATABASE_URL' | 'embedded';
  close(): Promise<void>;
}

/** Thrown when Postgres cannot be reached; the message names the source and what to check. */
export class DatabaseUnavailableError extends PersonaRunnerError {
  override readonly code = 'DATABASE_UNAVAILABLE';
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

/**
 * Opens the project database: DATABASE_URL when set, else the embedded Postgres under the data dir.
 * Migrations run on open unless `migrate: false`.
 */
export async function openDatabase(
  config: BaseConfig,
  logger: Logger,
  opts: { migrate?: boolean; poolSize?: number } = {},
): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, logger });
  const url = config.databaseUrl ?? embedded!.url;
  const pool = new ResilientPool({ connectionString: url, max: opts.poolSize ?? 20 });
  // A Postgres restart kills every connection. pg-pool handles an idle client's 'error', but a
  // client that is checked out (e.g. between the statements of a transaction) emits it on itself,
  // and an 'error' nobody listens to crashes the process. Every client gets a listener for its
  // whole life; the statement that was using it still fails, and is retried by its caller.
  //
  // Once close() has begun, a connection ending is what we asked for (the embedded Postgres stopping
  // terminates the sockets pg-pool has not finished closing): logged at debug, never as a warning.
  let closing = false;
  const open = new Set<pg.ClientBase>();
  pool.on('error', (err) =>
    closing ? undefined : logger.warn({ err: err.message }, 'idle Postgres client error'),
  );
  pool.on('connect', (client) => {
    open.add(client);
    client.once('end', () => open.delete(client));
    client.on('error', (err) =>
      closing
        ? logger.debug({ err: err.message }, 'Postgres connection closed during shutdown')
        : logger.warn({ err: err.message }, 'Postgres connection lost'),
    );
  });
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    await embedded?.stop();
    throw new DatabaseUnavailableError(
      `cannot reach Postgres at ${redactUrl(url)} (${(err as Error).message}); check DATABASE_URL or unset it to use the embedded Postgres`,
      { cause: err },
    );
  }
  const db = drizzle(pool, { schema });
  if (opts.migrate !== false) await runMigrations(pool);
  return {
    db,
    pool,
    url,
    source: config.databaseUrl ? 'DATABASE_URL' : 'embedded',
    close: async () => {
      closing = true;
      await pool.end();
      // pool.end() resolves once its clients are asked to end, not when their sockets are closed:
      // wait for those, so the embedded server stops with no session of ours left to terminate.
      // Bounded: a socket that never reports its end must not hold the shutdown.
      await Promise.race([
        Promise.all([...open].map((c) => new Promise((r) => c.once('end', r)))),
        new Promise((r) => setTimeout(r, 5000).unref()),
      ]);
      await embedded?.stop();
    },
  };
}

/** Applies committed migrations; concurrent starters are serialised by a Postgres advisory lock. */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  // drizzle's migrator records applied migrations in drizzle.__drizzle_migrations and skips them.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727274)');
    await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274)').catch(() => {});
    client.release();
  }
}
