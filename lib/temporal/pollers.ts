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
