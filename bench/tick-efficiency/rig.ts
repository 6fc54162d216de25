// What both scenarios of bench/tick-efficiency.ts run on, as `personas up` runs it: the real gateway
// on the stack's database, workers (createTickWorker + buildActivityDeps) with a Postgres pool of
// their own (16, as `personas worker`), instrumented; personas seeded once each; ticks started and awaited.
import { randomUUID } from 'node:crypto';
import type { WorkerOptions } from '@temporalio/worker';
import type { LlmProvider } from '../../activities/llm/types.ts';
import { TEST_SEED_SECRET } from '../../test/support/secrets.ts';
import { upsertPersona } from '../../lib/personas/upsert-persona.ts';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { TICK_WORKFLOW } from '../../workflows/tick-contract.ts';
import { numberedPersona } from '../../test/support/fixtures.ts';
import type { Goal } from '../../lib/personas/goals.ts';

/** The goal `--goals` gives every persona: a todo checked in the product's end state. */
const BENCH_GOAL: Goal = {
  id: 'bench-todo',
  module: 'todos',
  ask: 'Put something on your todo list.',
  check: { tool: 'todo_list', arguments: { status: 'all' }, expect: { type: 'object', required: ['todos'] } },
};
import { startSupportGateway, UNLIMITED_GATEWAY_ENV } from '../../test/support/gateway.ts';
import type { Stack } from '../../test/support/stack.ts';
import { startTickWorker } from '../../test/support/tick-worker.ts';
import { instrumentDeps, instrumentPool, timeActivities } from './instrumentation.ts';

export type Rig = Awaited<ReturnType<typeof startRig>>;

export async function startRig(
  stack: Stack,
  workerOptions?: Partial<WorkerOptions>,
  /** Personas carry a checked goal: each tick ends with the goal step (a read-only check). */
  withGoals = false,
) {
  // The rate limit raised: log-only mode would only flag, but flags are logged and counted — not
  // what is measured here; everything else is the gateway's default.
  const gateway = await startSupportGateway(stack.database, {
    env: { NODE_ENV: 'development', GATEWAY_HOST: '127.0.0.1', ...UNLIMITED_GATEWAY_ENV },
    logger: stack.logger,
  });
  stack.onStop(() => gateway.close());
  const workerDb = await stack.openPool(16);
  instrumentPool(workerDb.pool);
  const seeded = new Map<string, string>();

  return {
    gatewayUrl: gateway.url,
    /** The stack's database, for worker processes of their own. */
    databaseUrl: workerDb.url,
    /** Runs `fn` against a fresh worker on its own task queue with `llm`, stopping it afterwards. */
    async withWorker<T>(llm: LlmProvider, fn: (taskQueue: string) => Promise<T>): Promise<T> {
      const worker = await startTickWorker({
        native: stack.native,
        namespace: stack.temporal.namespace,
        taskQueue: `bench-${randomUUID()}`,
        db: workerDb.db,
        gatewayUrl: gateway.url,
        overrides: { llm },
        logger: stack.logger,
        prepareDeps: instrumentDeps,
        // Local activities leave no start time in history: the worker times them.
        workerOptions: {
          ...workerOptions,
          interceptors: { ...workerOptions?.interceptors, activity: [timeActivities] },
        },
      });
      try {
        return await fn(worker.taskQueue);
      } finally {
        await worker.stop();
      }
    },

    /** The id of persona `i` of group `tag`, seeded on first use. */
    async persona(i: number, tag: string): Promise<string> {
      const key = `${tag}-${i}`;
      let id = seeded.get(key);
      if (!id) {
        const def = { ...numberedPersona(i, tag), ...(withGoals && { goals: [BENCH_GOAL] }) };
        id = (await upsertPersona(stack.database.db, gateway.kek, TEST_SEED_SECRET, def)).personaId;
        seeded.set(key, id);
      }
      return id;
    },

    /** Starts a tick and waits for its result; `clientMs` is what the client saw. */
    async runTick(taskQueue: string, personaId: string) {
      const t0 = performance.now();
      const handle = await stack.client.workflow.start<typeof personaTick>(TICK_WORKFLOW, {
        taskQueue,
        workflowId: `bench-tick-${randomUUID()}`,
        args: [{ personaId }],
      });
      const result = await handle.result();
      return { handle, result, clientMs: performance.now() - t0 };
    },
  };
}
