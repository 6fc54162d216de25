// Temporal's time-skipping test server (TestWorkflowEnvironment) for workflow logic that needs no real
// stack: activities are fakes, and timers — retry backoffs, schedule-to-close budgets — pass at once.
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/** temporal.api.enums.v1.KEYWORD */
const KEYWORD = 2;
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities/index.ts';
import { findTestServer } from '../../lib/temporal/cli-binary.ts';
import { SEARCH_ATTRIBUTES } from '../../workflows/tick-contract.ts';
import { testLogger } from './database.ts';
import { sharedBundle } from './tick-worker.ts';

/** A time-skipping environment, torn down when the test file ends. */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = await findTestServer(testLogger);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  after(() => env.teardown());
  // The test server has no ListSearchAttributes (so no ensureSearchAttributes), but adds them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, KEYWORD])),
  });
  return env;
}

/**
 * Runs `body` with a worker of the project's workflows and the given fake activities on a task
 * queue of its own; the worker stops when `body` ends.
 */
export async function withFakeActivities<T>(
  env: TestWorkflowEnvironment,
  activities: Partial<Activities>,
  body: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `logic-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await sharedBundle(),
    activities,
  });
  return worker.runUntil(body(taskQueue));
}
