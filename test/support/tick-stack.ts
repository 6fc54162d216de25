// What a tick needs, on servers already running (npm test's, or a benchmark's stack): the real
// gateway on a fresh database, one seeded persona, a Temporal client and a worker on a queue of its own.
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities/index.ts';
import { TEST_SEED_SECRET } from './secrets.ts';
import { upsertPersona, type PersonaDefinition } from '../../lib/personas/upsert-persona.ts';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { TICK_WORKFLOW, type TickInput } from '../../workflows/tick-contract.ts';
import { Cleanups, startOrClean } from './cleanup.ts';
import { scratchDatabase } from './database.ts';
import { DEFAULT_PERSONA } from './fixtures.ts';
import { startSupportGateway, type SupportGateway } from './gateway.ts';
import { addressTarget, connectTemporal } from './temporal.ts';
import { startTickWorker, type RunningTickWorker } from './tick-worker.ts';

export interface TickStack {
  gw: SupportGateway;
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
  /** Stops the worker, closes the connections and the gateway, drops the database. */
  close(): Promise<void>;
}

export async function startTickStack(opts: {
  adminDatabaseUrl: string;
  temporalAddress: string;
  overrides?: Partial<ActivityDeps>;
  persona?: Partial<PersonaDefinition>;
  gatewayEnv?: Record<string, string>;
  /** Leave the task queue without an in-process worker (the test runs one in a child process). */
  noWorker?: boolean;
  /** Data converter (e.g. a payload codec) for both the worker and `client`. */
  dataConverter?: DataConverter;
  /** The gateway's and the worker's Postgres connections go through this address (a cuttable proxy). */
  connectVia?: (url: string) => Promise<string>;
}): Promise<TickStack> {
  const cleanups = new Cleanups();
  return startOrClean(cleanups, async () => {
    const database = await scratchDatabase(opts.adminDatabaseUrl, { connectVia: opts.connectVia });
    cleanups.add(() => database.drop());
    const gw = await startSupportGateway(database, { env: opts.gatewayEnv });
    cleanups.add(() => gw.close());
    const { personaId } = await upsertPersona(database.db, gw.kek, TEST_SEED_SECRET, {
      ...DEFAULT_PERSONA,
      ...opts.persona,
    });
    const temporal = await connectTemporal(addressTarget(opts.temporalAddress), opts.dataConverter);
    cleanups.add(() => temporal.stop());
    const taskQueue = `test-${randomUUID()}`;
    let running: RunningTickWorker | undefined;
    // The worker is stopped before the connections close (cleanups run last-registered first).
    cleanups.add(async () => {
      if (running?.worker.getState() === 'RUNNING') await running.stop();
    });

    const env: TickStack = {
      gw,
      personaId,
      client: temporal.client,
      taskQueue,
      deps: undefined as unknown as ActivityDeps,
      worker: undefined as unknown as Worker,
      async start(input = {}, workflowId = `tick-${randomUUID()}`) {
        return temporal.client.workflow.start<typeof personaTick>(TICK_WORKFLOW, {
          taskQueue,
          workflowId,
          args: [{ personaId, ...input }],
        });
      },
      async stopWorker() {
        await running?.stop();
      },
      async startWorker(overrides = opts.overrides) {
        running = await startTickWorker({
          native: temporal.native,
          namespace: 'default',
          taskQueue,
          db: database.db,
          gatewayUrl: gw.url,
          overrides,
          dataConverter: opts.dataConverter,
        });
        env.deps = running.deps;
        env.worker = running.worker;
      },
      async query(sql, params) {
        return (await database.pool.query(sql, params)).rows;
      },
      async count(sql, params) {
        const rows = (await database.pool.query<{ n: number }>(sql, params)).rows;
        if (rows.length !== 1 || typeof rows[0]!.n !== 'number')
          throw new Error(`count query must return one row with an int n: ${sql}`);
        return rows[0]!.n;
      },
      close: () => cleanups.run(),
    };
    if (!opts.noWorker) await env.startWorker();
    return env;
  });
}
