import type { Client, WorkflowHandle } from '@temporalio/client';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { TICK_WORKFLOW, type TickInput } from '../../workflows/tick-types.ts';
import { ARCHETYPE, CADENCE, PERSONA_ID } from '../temporal/search-attributes.ts';

/** Starts one tick now (outside the schedule), with the same search attributes a scheduled tick has. */
export function startTick(
  client: Client,
  p: { personaId: string; archetype: string; cadence: string },
  taskQueue: string,
  input: Partial<TickInput> = {},
  label = 'manual',
): Promise<WorkflowHandle<typeof personaTick>> {
  return client.workflow.start<typeof personaTick>(TICK_WORKFLOW, {
    taskQueue,
    workflowId: `tick-${p.personaId}-${label}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
    args: [{ personaId: p.personaId, ...input }],
    typedSearchAttributes: [
      { key: PERSONA_ID, value: p.personaId },
      { key: ARCHETYPE, value: p.archetype },
      { key: CADENCE, value: p.cadence },
    ],
  });
}
