import { after } from 'node:test';
import { openDatabase, type Database } from '../../lib/db/client.ts';
import { createScratchDatabase } from '../../lib/db/test-databases.ts';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { createLogger } from '../../lib/logger.ts';

export const testLogger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/**
 * A fresh, migrated database for this test file, dropped when the file ends.
 * Needs TEST_ADMIN_DATABASE_URL (set by `npm test`) or DATABASE_URL pointing at a server.
 */
export async function freshDatabase(
  opts: {
    /** Connect through another address (e.g. a TCP proxy the test can cut), given the real URL. */
    connectVia?: (url: string) => Promise<string>;
  } = {},
): Promise<Database> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('run tests with `npm test` (it starts Postgres) or set DATABASE_URL');
  const scratch = await createScratchDatabase(adminUrl);
  const url = opts.connectVia ? await opts.connectVia(scratch.url) : scratch.url;
  const database = await openDatabase({ ...loadBaseConfig({}), databaseUrl: url }, testLogger, {
    poolSize: 24,
  });
  after(async () => {
    await database.close();
    await scratch.drop();
  });
  return database;
}
