import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { openDatabase, type Database } from '../lib/db/client.ts';
import type { Logger } from '../lib/logger.ts';
import { createGatewayApp } from './app.ts';
import type { GatewayConfig } from './config.ts';
import type { ToolSpec } from './tools/tool-spec.ts';

export interface RunningGateway {
  url: string;
  port: number;
  database: Database;
  app: Awaited<ReturnType<typeof createGatewayApp>>;
  close(): Promise<void>;
}

/**
 * Opens the database (migrating it), builds the app and listens. `database` may be passed in to
 * share one pool (tests, `personas up`); otherwise the gateway owns and closes its own.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  opts: { database?: Database; registry?: readonly ToolSpec[] } = {},
): Promise<RunningGateway> {
  const database = opts.database ?? (await openDatabase(config, logger, { poolSize: 32 }));
  const gateway = await createGatewayApp({ config, db: database.db, logger, registry: opts.registry });
  const server: Server = await new Promise((resolve, reject) => {
    const s = gateway.app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  // Keep-alive longer than typical client pools' idle time, so connections are reused, not reset.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, db: database.source, policy: config.policy.mode }, 'gateway listening');
  return {
    url,
    port,
    database,
    app: gateway,
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!opts.database) await database.close();
    },
  };
}
