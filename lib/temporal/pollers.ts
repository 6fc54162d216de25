import type { Client } from '@temporalio/client';

/** Whether any worker polls the task queue for workflow tasks (so a started tick will run). */
export async function hasWorkflowPollers(
  client: Client,
  namespace: string,
  taskQueue: string,
): Promise<boolean> {
  const res = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1,
  });
  return (res.pollers?.length ?? 0) > 0;
}

/**
 * Whether a worker polls the task queue within `withinMs`: a worker started a moment ago may not
 * have polled yet, so a few looks before concluding that none runs.
 */
export async function workflowPollersWithin(
  client: Client,
  namespace: string,
  taskQueue: string,
  withinMs = 3000,
): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await hasWorkflowPollers(client, namespace, taskQueue)) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}
