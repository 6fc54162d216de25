// The real gateway as a child process of bench/gateway-latency.ts, on its own scratch database.
//
// Postgres: the server behind BENCH_ADMIN_DATABASE_URL (or DATABASE_URL) when set, else an embedded
// Postgres whose data lives in <PERSONA_DATA_DIR>/bench (port EMBEDDED_PG_PORT + 2, so it never collides
// with the dev (+0) or test (+1) clusters). Either way a fresh `pr_bench_*` database is created,
// migrated by startGateway, seeded, and dropped on exit.
//
// Gateway settings: production defaults except POLICY_MODE=log-only (the default anyway) and a rate
// limit high enough never to trip (a tripped limit in log-only mode logs every call, which is not what
// we want to measure). Everything else — bearer JWT auth, host/origin validation, session ownership,
// policy gate, zod validation, transactions, idempotency, metrics — runs as in production.
//
// `--diagnose` adds one diagnostic tool, bench_echo (below); without it the registry is the real one.
//
// Users: `--users N` readers and N writers (one of each per load client, as each persona is its own
// user). Each reader owns SEEDED_TODOS todos so todo_list returns a realistic, constant-size page;
// writers are only written to (todo_create), so their growing tables never slow the read benchmark.
//
// stdout: one line `{"benchReady":true,"url":…,"mcpUrl":…,"readers":[token…],"writers":[token…]}`
// (other stdout lines are the gateway's pino logs). SIGTERM: close gateway, drop database, stop Postgres.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { todos } from '../schema/index.ts';
import { loadBaseConfig } from '../lib/config/base.ts';
import { startEmbeddedPostgres } from '../lib/db/embedded-postgres.ts';
import { createScratchDatabase } from '../lib/db/test-databases.ts';
import { createLogger } from '../lib/logger.ts';
import { loadGatewayConfig } from '../mcp-gateway/config.ts';
import { resolveKek } from '../lib/product/kek.ts';
import { signupUser } from '../lib/product/signup.ts';
import { issueToken } from '../mcp-gateway/identity/tokens.ts';
import { startGateway } from '../mcp-gateway/server.ts';
import { toolRegistry } from '../mcp-gateway/tools/index.ts';
import { defineTool, type ToolSpec } from '../mcp-gateway/tools/tool-spec.ts';

export const SEEDED_TODOS = 20;

/**
 * Diagnostic only (`--diagnose`): the gateway's whole path — auth, session, policy gate, zod, metrics,
 * the call's transaction (BEGIN/COMMIT) — around a handler that does nothing, so
 * bare echo → gateway bench_echo → gateway todo_list separates plumbing from the tool's own work.
 */
const benchEcho = defineTool({
  name: 'bench_echo',
  title: 'Echo (benchmark diagnostic)',
  description: 'Returns its input text unchanged; touches no table.',
  module: 'spaces',
  scope: 'user-space',
  policyHint: 'read',
  encryptedFields: {},
  input: z.strictObject({ text: z.string() }),
  output: z.object({ text: z.string() }),
  handler: async (input) => ({ text: input.text }),
});

const { values } = parseArgs({
  options: { users: { type: 'string', default: '16' }, diagnose: { type: 'boolean', default: false } },
});
const userCount = Number(values.users);
if (!Number.isInteger(userCount) || userCount < 1 || userCount > 256) throw new Error('--users: 1..256');

const logger = createLogger('bench-gateway', process.env.LOG_LEVEL ?? 'info');
const base = loadBaseConfig();
const adminFromEnv = process.env.BENCH_ADMIN_DATABASE_URL ?? base.databaseUrl;
const embedded = adminFromEnv
  ? undefined
  : await startEmbeddedPostgres({
      dataDir: path.join(base.dataDir, 'bench'),
      port: base.embeddedPgPort + 2,
      logger,
      database: 'postgres',
    });
const scratch = await createScratchDatabase(adminFromEnv ?? embedded!.url, 'pr_bench');

const config = loadGatewayConfig({
  NODE_ENV: 'development',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  DATABASE_URL: scratch.url,
  GATEWAY_PORT: '0',
  GATEWAY_HOST: '127.0.0.1',
  POLICY_MODE: 'log-only',
  POLICY_RATE_LIMIT: String(1_000_000_000),
  // bench/federation.ts: the upstream products to federate.
  PERSONA_PRODUCTS: process.env.PERSONA_PRODUCTS,
});
const gateway = await startGateway(config, logger, {
  registry: values.diagnose ? [...toolRegistry, benchEcho as unknown as ToolSpec] : toolRegistry,
});
const kek = resolveKek(config);

async function tokenFor(email: string, seedTodos: number): Promise<string> {
  const { user, personalSpaceId } = await signupUser(gateway.database.db, kek, { email, kind: 'persona' });
  if (seedTodos) {
    await gateway.database.db.insert(todos).values(
      Array.from({ length: seedTodos }, (_, i) => ({
        userId: user.id,
        spaceId: personalSpaceId,
        title: `seeded todo ${i + 1}: buy oat milk and call the dentist`,
        dueDate: i % 3 === 0 ? null : `2030-01-${String((i % 28) + 1).padStart(2, '0')}`,
        priority: (['low', 'normal', 'high'] as const)[i % 3]!,
      })),
    );
  }
  // Long enough for any run; the gateway caches the verification per token as it would in production.
  return (await issueToken(gateway.app.signingKey, config.auth, user, 6 * 3600)).token;
}

const readers: string[] = [];
const writers: string[] = [];
for (let i = 0; i < userCount; i++) {
  readers.push(await tokenFor(`bench-reader-${i}@personas.test`, SEEDED_TODOS));
  writers.push(await tokenFor(`bench-writer-${i}@personas.test`, 0));
}
// Statistics for the freshly seeded tables, as autovacuum would eventually do.
await gateway.database.pool.query('ANALYZE');

process.stdout.write(
  `${JSON.stringify({ benchReady: true, url: gateway.url, mcpUrl: `${gateway.url}/mcp`, pid: process.pid, readers, writers })}\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await gateway.close();
    await scratch.drop();
    await embedded?.stop();
  } finally {
    // process.exit (not a natural exit) so --cpu-prof still writes its profile promptly.
    process.exit(0);
  }
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
