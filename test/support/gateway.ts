// The real MCP gateway over real HTTP on a free port, on a database the caller owns, with what tests
// and benchmarks do against it: tokens for users, SDK clients, row counts.
import { after } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Database } from '../../lib/db/client.ts';
import { freshDatabase } from './database.ts';
import type { Logger } from '../../lib/logger.ts';
import { resolveKek } from '../../lib/demo-product/kek.ts';
import { signupUser, type SignupInput } from '../../lib/demo-product/signup.ts';
import { loadGatewayConfig, type GatewayConfig } from '../../mcp-gateway/config.ts';
import { issueToken } from '../../mcp-gateway/identity/tokens.ts';
import { startGateway, type RunningGateway } from '../../mcp-gateway/server.ts';
import type { ToolSpec } from '../../mcp-gateway/tools/tool-spec.ts';
import { testLogger } from './database.ts';
import { TEST_SECRET_ENV } from './secrets.ts';

export interface SupportGateway extends RunningGateway {
  config: GatewayConfig;
  mcpUrl: URL;
  /** The key-encryption key the gateway wraps vault keys with (to seed users beside it). */
  kek: Buffer;
  /** Signs up (idempotently) and returns a valid bearer token for that user. */
  tokenFor(
    input: SignupInput,
    ttlSeconds?: number,
  ): Promise<{ token: string; userId: string; personalSpaceId: string }>;
  /** A connected SDK MCP client for that token; closed by close(). */
  client(token: string): Promise<Client>;
  /** Row count of a table, for "nothing was written" assertions. */
  count(table: string): Promise<number>;
}

/** Settings under which a load test measures the gateway, not its rate limiter. */
export const UNLIMITED_GATEWAY_ENV = { POLICY_RATE_LIMIT: String(1_000_000_000) } as const;

/** Starts the gateway on `database` with `env` over the defaults (port 0, silent); close() stops it. */
export async function startSupportGateway(
  database: Database,
  opts: { env?: Record<string, string>; registry?: readonly ToolSpec[]; logger?: Logger } = {},
): Promise<SupportGateway> {
  // The tests' own secrets (never generated into a data dir): every process of a test agrees on them.
  const config = loadGatewayConfig({
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    ...TEST_SECRET_ENV,
    ...opts.env,
  });
  const gateway = await startGateway(config, opts.logger ?? testLogger, {
    database,
    registry: opts.registry,
  });
  const kek = resolveKek(config);
  const clients: Client[] = [];
  return {
    ...gateway,
    config,
    kek,
    mcpUrl: new URL(`${gateway.url}/mcp`),
    async close() {
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
      await gateway.close();
    },
    async tokenFor(input, ttlSeconds) {
      const { user, personalSpaceId } = await signupUser(database.db, kek, input);
      const { token } = await issueToken(gateway.app.signingKey, config.auth, user, ttlSeconds);
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

export type TestGateway = SupportGateway;

/**
 * For a test: a real gateway over real HTTP on a random port, on a fresh database. Closed when the
 * enclosing scope ends: the file (top-level await), a describe() or a test(). Not from a before()
 * hook: node:test would close it as soon as the hook returns.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  opts: { registry?: readonly ToolSpec[]; connectVia?: (url: string) => Promise<string> } = {},
): Promise<TestGateway> {
  const database = await freshDatabase({ connectVia: opts.connectVia });
  const gateway = await startSupportGateway(database, { env, registry: opts.registry });
  after(() => gateway.close());
  return gateway;
}
