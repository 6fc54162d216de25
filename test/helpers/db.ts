// node:test wrapper of test/support/database.ts: a scratch database dropped when the file ends.
import { after } from 'node:test';
import type { Database } from '../../lib/db/client.ts';
import { adminDatabaseUrl, scratchDatabase } from '../support/database.ts';

export { testLogger } from '../support/database.ts';

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
  const adminUrl = adminDatabaseUrl();
  if (!adminUrl) throw new Error('run tests with `npm test` (it starts Postgres) or set DATABASE_URL');
  const database = await scratchDatabase(adminUrl, { poolSize: 24, connectVia: opts.connectVia });
  after(() => database.drop());
  return database;
}
