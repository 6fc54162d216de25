import { after } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadGatewayConfig, type GatewayConfig } from '../../mcp-gateway/config.ts';
import { startGateway, type RunningGateway } from '../../mcp-gateway/server.ts';
import { resolveKek } from '../../lib/product/kek.ts';
import { signupUser, type SignupInput } from '../../lib/product/signup.ts';
import { issueToken } from '../../mcp-gateway/identity/tokens.ts';
import type { ToolSpec } from '../../mcp-gateway/tools/tool-spec.ts';
import { freshDatabase, testLogger } from './db.ts';
import { TEST_SECRET_ENV } from './secrets.ts';

export interface TestGateway extends RunningGateway {
  config: GatewayConfig;
  mcpUrl: URL;
  /** Signs up (idempotently) and returns a valid bearer token for that user. */
  tokenFor(input: SignupInput): Promise<{ token: string; userId: string; personalSpaceId: string }>;
  /** A connected SDK MCP client for that token; closed when the test file ends. */
  client(token: string): Promise<Client>;
  /** Row count of a table, for "nothing was written" assertions. */
  count(table: string): Promise<number>;
}

/**
 * A real gateway over real HTTP on a random port, on a fresh database. Closed when the enclosing
 * scope ends: the file (top-level await), a describe() or a test(). Not from a before() hook: node:test
 * would close it as soon as the hook returns.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  opts: { registry?: readonly ToolSpec[]; connectVia?: (url: string) => Promise<string> } = {},
): Promise<TestGateway> {
  const database = await freshDatabase({ connectVia: opts.connectVia });
  const config = loadGatewayConfig({
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    ...TEST_SECRET_ENV,
    ...env,
  });
  const gateway = await startGateway(config, testLogger, { database, registry: opts.registry });
  const kek = resolveKek(config);
  const clients: Client[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await gateway.close();
  });
  return {
    ...gateway,
    config,
    mcpUrl: new URL(`${gateway.url}/mcp`),
    async tokenFor(input) {
      const { user, personalSpaceId } = await signupUser(database.db, kek, input);
      const { token } = await issueToken(gateway.app.signingKey, config.auth, user);
      return { token, userId: user.id, personalSpaceId };
    },
    async client(token) {
      const client = new Client({ name: 'persona-runner-test', version: '0.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async count(table) {
      const r = await database.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
      return r.rows[0].n as number;
    },
  };
}
