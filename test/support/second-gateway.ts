// A second gateway instance beside a test gateway, as a load balancer's second replica: the same
// database (its own pool, as another process has) and configuration, its own port, sessions, limits
// in memory and metrics. Closed when the test file ends (or earlier, to kill it).
import { after } from 'node:test';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { openDatabase } from '../../lib/db/client.ts';
import { startSupportGateway, type SupportGateway } from './gateway.ts';
import { testLogger } from './database.ts';

export async function startSecondGateway(first: SupportGateway, env: Record<string, string> = {}) {
  const database = await openDatabase({ ...loadBaseConfig({}), databaseUrl: first.database.url }, testLogger, {
    poolSize: 8,
    migrate: false,
  });
  const gw: SupportGateway = await startSupportGateway(database, { env });
  let closed = false;
  const handle = {
    gw,
    /** Stops it as a crash would for its clients: open connections cut, new ones refused. */
    async kill() {
      if (closed) return;
      closed = true;
      await gw.close();
      await database.close();
    },
  };
  after(() => handle.kill());
  return handle;
}
