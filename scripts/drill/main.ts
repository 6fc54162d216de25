import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { openDatabase } from '../../lib/db/client.ts';
import { createScratchDatabase } from '../../lib/db/test-databases.ts';
import { createLogger } from '../../lib/logger.ts';
import { freePort } from '../../lib/net/free-port.ts';
import { startRoundRobinProxy } from '../../lib/net/round-robin-proxy.ts';
import { startTcpProxy } from '../../lib/net/tcp-proxy.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { upsertPersona } from '../../lib/personas/upsert-persona.ts';
import { findTemporalCli } from '../../lib/temporal/cli-binary.ts';
import { startTick } from '../../lib/ticks/start-tick.ts';
import { chaosRound, type Stack } from './chaos.ts';
import { startFaultyMessagesApi } from './faulty-messages-api.ts';
import { httpUp, personasService, temporalService, temporalUp, waitFor } from './services.ts';
import { awaitTicks, checkDrill, violations } from './verify.ts';
import { report } from './report.ts';

const opts = new Command('drill')
  .description('chaos drill: the stack as separate processes, killed and restarted during a run of ticks')
  .option('--personas <n>', 'personas to seed', '10')
  .option('--ticks <n>', 'ticks to run', '30')
  .option('--gateways <n>', 'gateway instances, behind a round-robin proxy when more than one', '1')
  .option('--short', 'the quick version (4 ticks, 2 personas, one fault of each kind)')
  .option('--json', 'print only the JSON summary on stdout')
  .parse()
  .opts<{ personas: string; ticks: string; gateways: string; short?: boolean; json?: boolean }>();

const personaCount = opts.short ? 2 : Number(opts.personas);
const tickCount = opts.short ? 4 : Number(opts.ticks);
if (!Number.isInteger(personaCount) || personaCount < 1)
  throw new Error('--personas: expected a positive integer');
if (!Number.isInteger(tickCount) || tickCount < 1) throw new Error('--ticks: expected a positive integer');
const gatewayCount = Number(opts.gateways);
if (!Number.isInteger(gatewayCount) || gatewayCount < 1 || gatewayCount > 8)
  throw new Error('--gateways: expected an integer from 1 to 8');
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl)
  throw new Error(
    'drill: set DATABASE_URL to a Postgres server (the drill creates and drops its own database there)',
  );

const say = (m: string) => process.stderr.write(`[drill ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}\n`);
const t0 = Date.now();
const logger = createLogger('drill', 'warn');
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'persona-drill-'));
const scratch = await createScratchDatabase(adminUrl, 'pr_drill');
const dbUrl = new URL(scratch.url);
const postgres = await startTcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
const api = await startFaultyMessagesApi();
// Fresh secrets per run: the drill never relies on the public development defaults.
const kek = randomBytes(32);
const seedSecret = randomBytes(24).toString('base64url');
const temporalAddress = `127.0.0.1:${await freePort()}`;
const gatewayPorts = await Promise.all(Array.from({ length: gatewayCount }, () => freePort()));
const gatewayUrls = gatewayPorts.map((port) => `http://127.0.0.1:${port}`);
// Several gateways: the worker reaches them through a plain round-robin proxy (no sticky sessions),
// and every instance is the same token issuer (the address clients use: the proxy's).
const balancer = gatewayCount > 1 ? await startRoundRobinProxy(gatewayUrls) : undefined;
const gatewayUrl = balancer?.url ?? gatewayUrls[0]!;
const taskQueue = `drill-${randomUUID()}`;
const common = {
  DATABASE_URL: postgres.rewrite(scratch.url),
  VAULT_KEK: kek.toString('base64'),
  PERSONA_SEED_SECRET: seedSecret,
  PERSONA_DATA_DIR: dir,
  LOG_LEVEL: 'warn',
};
const stack: Stack = {
  temporal: temporalService(
    await findTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, logger }),
    Number(temporalAddress.split(':')[1]),
    path.join(dir, 'temporal.sqlite'),
    dir,
  ),
  temporalAddress,
  gateways: gatewayPorts.map((port, i) =>
    personasService(
      'gateway',
      {
        ...common,
        GATEWAY_PORT: String(port),
        GATEWAY_PUBLIC_URL: gatewayUrl,
        // More than one instance: the limits are counted once, across them.
        ...(gatewayCount > 1 && { GATEWAY_LIMITS_STORE: 'postgres' }),
      },
      dir,
      gatewayCount > 1 ? `gateway-${i + 1}` : 'gateway',
    ),
  ),
  gatewayUrls,
  worker: personasService(
    'worker',
    {
      ...common,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      GATEWAY_URL: gatewayUrl,
      LLM_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-ant-drill-not-a-key',
      ANTHROPIC_BASE_URL: api.url,
      WORKER_METRICS_PORT: '0',
      WORKER_SDK_METRICS_PORT: String(await freePort()),
    },
    dir,
  ),
  postgres,
};

let exitCode = 1;
const database = await openDatabase(loadBaseConfig({ ...process.env, DATABASE_URL: scratch.url }), logger, {
  poolSize: 4,
});
let connection: Connection | undefined;
try {
  say(
    `stack in ${dir}: Temporal ${temporalAddress}, gateway ${gatewayUrl}${balancer ? ` (round robin over ${gatewayUrls.join(', ')})` : ''}, Postgres via proxy :${postgres.port}`,
  );
  stack.temporal.start();
  await waitFor('Temporal', temporalUp(temporalAddress));
  for (let i = 0; i < personaCount; i++) {
    await upsertPersona(database.db, kek, seedSecret, {
      email: `drill-${i}@personas.test`,
      displayName: `Drill ${i}`,
      archetype: 'solo-dev',
      systemPrompt: 'You are a drill persona who writes todos and notes.',
      moduleMix: { todos: 0.5, notes: 0.5 },
      cadence: 'daily',
      timezone: 'UTC',
    });
  }
  const personas = await livePersonas(database.db);
  for (const [i, gateway] of stack.gateways.entries()) {
    gateway.start();
    await waitFor(gateway.name, httpUp(`${gatewayUrls[i]}/health`));
  }
  stack.worker.start();
  connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });

  // Ticks start spread over the chaos window so faults land on ticks in every phase.
  const gapMs = opts.short ? 3_000 : 8_000;
  const rounds = opts.short ? 1 : 2;
  const windowMs = rounds * (4 * gapMs + 35_000);
  const ids: string[] = [];
  const events: string[] = [];
  const starter = (async () => {
    for (let i = 0; i < tickCount; i++) {
      const p = personas[i % personas.length]!;
      const label = `drill-${i}`;
      for (;;) {
        try {
          ids.push((await startTick(client, p, taskQueue, {}, label)).workflowId);
          break;
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) {
            ids.push(err.workflowId);
            break;
          }
          await sleep(1000); // Temporal restarting
        }
      }
      await sleep(windowMs / tickCount);
    }
  })();
  for (let r = 0; r < rounds; r++)
    await chaosRound(
      stack,
      gapMs,
      (e) => {
        events.push(e);
        say(e);
      },
      r,
    );
  await starter;
  say(`all ${ids.length} ticks started; waiting for them to finish`);
  const status = await awaitTicks(client, ids, Date.now() + 10 * 60_000);
  const checks = await checkDrill(database.pool, ids, status, api.acceptedToolUses);
  const problems = violations(checks);
  const summary = {
    ok: problems.length === 0,
    mode: opts.short ? 'short' : 'full',
    personas: personaCount,
    gateways: gatewayCount,
    // Requests the round-robin proxy passed to each gateway (with several).
    ...(balancer && { gatewayRequests: balancer.served }),
    seconds: Math.round((Date.now() - t0) / 1000),
    faultsInjected: { ...api.faults, modelRequests: api.requests },
    kills: events,
    ...checks,
    violations: problems,
  };
  report(summary, Boolean(opts.json));
  if (summary.ok) exitCode = 0;
} finally {
  for (const s of [stack.worker, ...stack.gateways, stack.temporal]) await s.kill('SIGKILL');
  await balancer?.close();
  await connection?.close();
  postgres.close();
  await database.close();
  await api.close();
  await scratch.drop().catch(() => {});
  say(`logs kept in ${dir}`);
}
process.exit(exitCode);
