import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { upsertPersona, type PersonaDefinition } from '../../lib/personas/upsert-persona.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { TICK_WORKFLOW, type TickInput } from '../../workflows/tick-contract.ts';
import { buildActivityDeps } from '../../workers/build-deps.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { bundleWorkflows, createTickWorker } from '../../workers/tick-worker.ts';
import { testLogger } from './db.ts';
import { startTestGateway, type TestGateway } from './gateway.ts';
import { TEST_SEED_SECRET, TEST_KEK, TEST_SECRET_ENV } from './secrets.ts';

// The SDK runtime is process-wide and must be configured before the first connection: keep the
// worker's own logging to warnings so test output stays readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One webpack bundle per test process: bundling is the slow part of creating a worker. */
export const sharedBundle = () => (bundle ??= bundleWorkflows());

export const DEFAULT_PERSONA: PersonaDefinition = {
  email: 'sam@personas.test',
  displayName: 'Sam',
  archetype: 'solo-dev',
  systemPrompt: 'You are Sam, a solo developer who tracks everything in todos and notes.',
  moduleMix: { todos: 0.5, notes: 0.3, habits: 0.1, journal: 0.1 },
  cadence: 'daily',
  timezone: 'Europe/Berlin',
};

export interface TickEnv {
  gw: TestGateway;
  personaId: string;
  client: Client;
  taskQueue: string;
  deps: ActivityDeps;
  worker: Worker;
  start(input?: Partial<TickInput>, workflowId?: string): Promise<WorkflowHandle<typeof personaTick>>;
  /** Stops the worker (e.g. to restart it with other deps). */
  stopWorker(): Promise<void>;
  startWorker(overrides?: Partial<ActivityDeps>): Promise<void>;
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The single integer a `SELECT count(*)::int AS n …` query returns. */
  count(sql: string, params?: unknown[]): Promise<number>;
}

function requireTemporal(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('run tests with `npm test` (it starts a Temporal dev server) or set TEMPORAL_ADDRESS');
  return address;
}

/**
 * A real gateway + Postgres + Temporal worker on a unique task queue, with one seeded persona.
 * `overrides` replaces activity dependencies (e.g. an Anthropic provider pointed at the fake API).
 */
export async function startTickEnv(
  opts: {
    overrides?: Partial<ActivityDeps>;
    persona?: Partial<PersonaDefinition>;
    gatewayEnv?: Record<string, string>;
    /** Leave the task queue without an in-process worker (the test runs one in a child process). */
    noWorker?: boolean;
    /** Data converter (e.g. a payload codec) for both the worker and `client`. */
    dataConverter?: DataConverter;
    /** The gateway's and the worker's Postgres connections go through this address (a cuttable proxy). */
    connectVia?: (url: string) => Promise<string>;
  } = {},
): Promise<TickEnv> {
  const address = requireTemporal();
  const gw = await startTestGateway(opts.gatewayEnv, { connectVia: opts.connectVia });
  const kek = TEST_KEK;
  const { personaId } = await upsertPersona(gw.database.db, kek, TEST_SEED_SECRET, {
    ...DEFAULT_PERSONA,
    ...opts.persona,
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, ...(opts.dataConverter && { dataConverter: opts.dataConverter }) });
  const native = await NativeConnection.connect({ address });
  const taskQueue = `test-${randomUUID()}`;
  const workerConfig = loadWorkerConfig({
    ...TEST_SECRET_ENV,
    GATEWAY_URL: gw.url,
    LLM_PROVIDER: 'scripted',
    LOG_LEVEL: 'silent',
  });
  const workflowBundle = await sharedBundle();

  const env: TickEnv = {
    gw,
    personaId,
    client,
    taskQueue,
    deps: undefined as unknown as ActivityDeps,
    worker: undefined as unknown as Worker,
    async start(input = {}, workflowId = `tick-${randomUUID()}`) {
      return client.workflow.start<typeof personaTick>(TICK_WORKFLOW, {
        taskQueue,
        workflowId,
        args: [{ personaId, ...input }],
      });
    },
    async stopWorker() {
      env.worker.shutdown();
      await running;
      await env.deps.sessions.close();
    },
    async startWorker(overrides = opts.overrides) {
      env.deps = buildActivityDeps(workerConfig, gw.database.db, testLogger, overrides);
      env.worker = await createTickWorker({
        connection: native,
        namespace: 'default',
        taskQueue,
        deps: env.deps,
        workflowBundle,
        dataConverter: opts.dataConverter,
      });
      running = env.worker.run();
    },
    async query(sql, params) {
      return (await gw.database.pool.query(sql, params)).rows;
    },
    async count(sql, params) {
      const rows = (await gw.database.pool.query<{ n: number }>(sql, params)).rows;
      if (rows.length !== 1 || typeof rows[0]!.n !== 'number')
        throw new Error(`count query must return one row with an int n: ${sql}`);
      return rows[0]!.n;
    },
  };
  let running: Promise<void> = Promise.resolve();
  if (!opts.noWorker) await env.startWorker();
  after(async () => {
    if (env.worker?.getState() === 'RUNNING') await env.stopWorker();
    await native.close();
    await connection.close();
  });
  return env;
}
