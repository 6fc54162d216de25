import { after } from 'node:test';
import { startGateway, type RunningGateway } from '../../mcp-gateway/server.ts';
import { testLogger } from './database.ts';
import type { TestGateway } from './gateway.ts';

/**
 * Stops and restarts a test gateway on the same port and database, as an operator's restart does:
 * every MCP session it held is gone (clients get 404 for their session ids), tokens stay valid
 * (the signing key is in Postgres). `stop()` and `start()` apart leave the port refusing
 * connections for as long as the test waits in between.
 */
export function restartableGateway(gw: TestGateway) {
  let current: RunningGateway | undefined = gw;
  let stopped = false;
  const handle = {
    async stop() {
      await current?.close();
      current = undefined;
      stopped = true;
    },
    async start() {
      current = await startGateway({ ...gw.config, port: gw.port }, testLogger, { database: gw.database });
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
  };
  // The first instance is closed by the test gateway's own hook; later ones here.
  after(async () => {
    if (stopped) await current?.close();
  });
  return handle;
}
