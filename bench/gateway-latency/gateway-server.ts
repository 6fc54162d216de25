// The real gateway as a child process of bench/gateway-latency.ts, on its own scratch database.
//
// Postgres and the gateway come from the harness (test/support/stack.ts without Temporal, and
// test/support/gateway.ts): the server behind BENCH_ADMIN_DATABASE_URL (or DATABASE_URL) when set, else
// an embedded Postgres in <PERSONA_DATA_DIR>/bench-gateway-server/run-<pid> on a free port. Either way a
// fresh `pr_bench_*` database is created, migrated, seeded, and dropped on exit.
//
// Gateway settings: production defaults except POLICY_MODE=log-only (enforce is the default) and a rate
// limit high enough never to trip (a tripped limit in log-only mode logs every call, which is not what
// we want to measure). Everything else — bearer JWT auth, host/origin validation, session ownership,
// policy gate, zod validation, transactions, idempotency, metrics — runs as in production.
//
// `--shared-limits-twin` starts a second gateway with GATEWAY_LIMITS_STORE=postgres beside it (below).
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
import { todos } from '../../schema/index.ts';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { createLogger } from '../../lib/logger.ts';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';
import { defineTool, type ToolSpec } from '../../mcp-gateway/tools/tool-spec.ts';
import { Cleanups } from '../../test/support/cleanup.ts';
import { scratchDatabase, startPostgres } from '../../test/support/database.ts';
import { startSupportGateway, UNLIMITED_GATEWAY_ENV } from '../../test/support/gateway.ts';

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
  options: {
    users: { type: 'string', default: '16' },
    diagnose: { type: 'boolean', default: false },
    'shared-limits-twin': { type: 'boolean', default: false },
  },
});
const userCount = Number(values.users);
if (!Number.isInteger(userCount) || userCount < 1 || userCount > 256) throw new Error('--users: 1..256');

const logger = createLogger('bench-gateway', process.env.LOG_LEVEL ?? 'info');
const cleanups = new Cleanups((err) => logger.warn({ err }, 'cleanup failed'));
const postgres = await startPostgres({
  runDir: path.join(loadBaseConfig().dataDir, 'bench-gateway-server', `run-${process.pid}`),
  logger,
  adminUrl: process.env.BENCH_ADMIN_DATABASE_URL,
});
cleanups.add(() => postgres.stop());
const database = await scratchDatabase(postgres.adminUrl, { prefix: 'pr_bench', poolSize: 32, logger });
cleanups.add(() => database.drop());
const gatewayEnv = {
  NODE_ENV: 'development',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  GATEWAY_HOST: '127.0.0.1',
  POLICY_MODE: 'log-only',
  ...UNLIMITED_GATEWAY_ENV,
  // bench/federation.ts: the upstream products to federate.
  ...(process.env.PERSONA_PRODUCTS && { PERSONA_PRODUCTS: process.env.PERSONA_PRODUCTS }),
};
const registry = values.diagnose ? [...toolRegistry, benchEcho as unknown as ToolSpec] : toolRegistry;
const gateway = await startSupportGateway(database, { env: gatewayEnv, registry, logger });
cleanups.add(() => gateway.close());
// --shared-limits-twin: its twin with limits counted in Postgres (GATEWAY_LIMITS_STORE=postgres, as
// several instances run) instead of memory (the default), in this process on the same database and
// users: what the shared rate limit costs per call. Idle while the other is measured.
const sharedLimitsGateway = values['shared-limits-twin']
  ? await startSupportGateway(database, {
      env: { ...gatewayEnv, GATEWAY_LIMITS_STORE: 'postgres' },
      registry,
      logger,
    })
  : undefined;
if (sharedLimitsGateway) cleanups.add(() => sharedLimitsGateway.close());

type BenchUser = { userId: string; personalSpaceId: string };

async function tokenFor(email: string, seedTodos: number): Promise<{ token: string; user: BenchUser }> {
  // Long enough for any run; the gateway caches the verification per token as it would in production.
  const { token, userId, personalSpaceId } = await gateway.tokenFor({ email, kind: 'persona' }, 6 * 3600);
  if (seedTodos) {
    await database.db.insert(todos).values(
      Array.from({ length: seedTodos }, (_, i) => ({
        userId,
        spaceId: personalSpaceId,
        title: `seeded todo ${i + 1}: buy oat milk and call the dentist`,
        dueDate: i % 3 === 0 ? null : `2030-01-${String((i % 28) + 1).padStart(2, '0')}`,
        priority: (['low', 'normal', 'high'] as const)[i % 3]!,
      })),
    );
  }
  return { token, user: { userId, personalSpaceId } };
}

const readers: Array<{ token: string; user: BenchUser }> = [];
const writers: Array<{ token: string; user: BenchUser }> = [];
for (let i = 0; i < userCount; i++) {
  readers.push(await tokenFor(`bench-reader-${i}@personas.test`, SEEDED_TODOS));
  writers.push(await tokenFor(`bench-writer-${i}@personas.test`, 0));
}
// Statistics for the freshly seeded tables, as autovacuum would eventually do.
await database.pool.query('ANALYZE');

process.stdout.write(
  `${JSON.stringify({
    benchReady: true,
    url: gateway.url,
    mcpUrl: gateway.mcpUrl.toString(),
    sharedLimitsMcpUrl: sharedLimitsGateway?.mcpUrl.toString(),
    pid: process.pid,
    readers: readers.map((r) => r.token),
    writers: writers.map((w) => w.token),
    readerUsers: readers.map((r) => r.user),
    writerUsers: writers.map((w) => w.user),
    // For the same-SQL server (bare-sql-server.ts): the scratch database this gateway serves.
    databaseUrl: database.url,
  })}\n`,
);

async function stop(): Promise<void> {
  try {
    await cleanups.run();
  } finally {
    // process.exit (not a natural exit) so --cpu-prof still writes its profile promptly.
    process.exit(0);
  }
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
