import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  tickStartOptions,
  tickWorkflowId,
  type PersonaTickWorkflow,
  type TickInput,
  type TickOrigin,
  type TickSubject,
} from '../../workflows/tick-contract.ts';

/** Starts one tick now (outside the schedule), with the same options a scheduled tick has. */
export function startTick(
  client: Client,
  p: TickSubject,
  taskQueue: string,
  input: Partial<TickInput> = {},
  label = 'manual',
  origin: TickOrigin = { kind: label === 'once' ? 'up' : 'manual' },
): Promise<WorkflowHandle<PersonaTickWorkflow>> {
  const { workflowType, ...options } = tickStartOptions(p, taskQueue, input, origin);
  return client.workflow.start<PersonaTickWorkflow>(workflowType, {
    ...options,
    workflowId: tickWorkflowId(p.personaId, label),
  });
}
