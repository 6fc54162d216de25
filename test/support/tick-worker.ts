// A real tick worker (createTickWorker + buildActivityDeps, as `personas worker` builds it) on a task
// queue of its own, for tests and benchmarks; stop() shuts it down and closes its MCP sessions.
import { randomUUID } from 'node:crypto';
import {
  Worker,
  type NativeConnection,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import type { Db } from '../../lib/db/client.ts';
import type { Logger } from '../../lib/logger.ts';
import { buildActivityDeps } from '../../workers/build-deps.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { bundleWorkflows, createTickWorker } from '../../workers/tick-worker.ts';
import { testLogger } from './database.ts';
import { TEST_SECRET_ENV } from './secrets.ts';

// Module-level on purpose: bundling is the slow part of creating a worker, and the bundle is the
// same for every worker of a process.
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One webpack bundle per process. */
export const sharedBundle = () => (bundle ??= bundleWorkflows());

export interface RunningTickWorker {
  worker: Worker;
  deps: ActivityDeps;
  taskQueue: string;
  /** Shuts the worker down, waits for it, closes its MCP sessions. */
  stop(): Promise<void>;
}

export async function startTickWorker(opts: {
  native: NativeConnection;
  namespace: string;
  db: Db;
  gatewayUrl: string;
  /** Default: a fresh `test-<uuid>` queue. */
  taskQueue?: string;
  /** Replaces activity dependencies (e.g. an Anthropic provider pointed at the fake API). */
  overrides?: Partial<ActivityDeps>;
  dataConverter?: DataConverter;
  logger?: Logger;
  /** Called with the deps before the worker is built (benchmarks wrap them to time what runs inside). */
  prepareDeps?(deps: ActivityDeps): void;
  /** Experiments: Temporal WorkerOptions on top of the ones createTickWorker sets. */
  workerOptions?: Partial<WorkerOptions>;
  /** Default: this process's shared bundle (a worker process of a benchmark is handed its parent's). */
  workflowBundle?: WorkflowBundleWithSourceMap;
}): Promise<RunningTickWorker> {
  const config = loadWorkerConfig({
    ...TEST_SECRET_ENV,
    GATEWAY_URL: opts.gatewayUrl,
    LLM_PROVIDER: 'scripted',
    LOG_LEVEL: 'silent',
  });
  const deps = buildActivityDeps(config, opts.db, opts.logger ?? testLogger, opts.overrides);
  opts.prepareDeps?.(deps);
  const taskQueue = opts.taskQueue ?? `test-${randomUUID()}`;
  const workflowBundle = opts.workflowBundle ?? (await sharedBundle());
  const worker = opts.workerOptions
    ? // The options createTickWorker sets (workers/tick-worker.ts), plus the experiment's.
      await Worker.create({
        connection: opts.native,
        namespace: opts.namespace,
        taskQueue,
        activities: createActivities(deps),
        workflowBundle,
        ...(opts.dataConverter && { dataConverter: opts.dataConverter }),
        maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
        shutdownGraceTime: '10s',
        ...opts.workerOptions,
      })
    : await createTickWorker({
        connection: opts.native,
        namespace: opts.namespace,
        taskQueue,
        deps,
        workflowBundle,
        dataConverter: opts.dataConverter,
        maxConcurrentActivities: config.maxConcurrentActivities,
      });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    deps,
    taskQueue,
    stop: () =>
      (stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await deps.sessions.close();
      })()),
  };
}
