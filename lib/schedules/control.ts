import { eq } from 'drizzle-orm';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { personas } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import { mapLimit } from '../concurrency.ts';
import { pauseSignal, resumeSignal, TICK_WORKFLOW } from '../../workflows/tick-contract.ts';
import { scheduleIdFor } from './persona-schedule.ts';
import { listSlotSchedules } from './slot-sync.ts';
import type { ScheduleMode } from './sync-mode.ts';

/** Running ticks, optionally of one persona (found through the PersonaId search attribute). */
export async function runningTicks(
  client: Client,
  personaId?: string,
): Promise<Array<{ workflowId: string; runId: string }>> {
  const query = `WorkflowType = '${TICK_WORKFLOW}' AND ExecutionStatus = 'Running'${personaId ? ` AND PersonaId = '${personaId}'` : ''}`;
  const out: Array<{ workflowId: string; runId: string }> = [];
  for await (const wf of client.workflow.list({ query }))
    out.push({ workflowId: wf.workflowId, runId: wf.runId });
  return out;
}

export interface ControlResult {
  personas: number;
  schedules: number;
  ticksSignalled: number;
}

/**
 * Pauses (or resumes) personas: the database flag (so `schedules sync` keeps it), their schedules,
 * and their running ticks (signalled; a paused tick stops before its next step). With no persona
 * id it acts on every persona: the global kill switch. In per-slot mode a persona has no schedule
 * of its own (its slot's runs skip it while the database says paused); the kill switch also pauses
 * every slot schedule, so paused slots fire no empty runs.
 */
export async function setPaused(
  client: Client,
  db: Db,
  paused: boolean,
  personaId?: string,
  mode: ScheduleMode = 'per-persona',
): Promise<ControlResult> {
  const rows = await db
    .update(personas)
    .set({ paused })
    .where(personaId ? eq(personas.id, personaId) : undefined)
    .returning({ id: personas.id });
  const note = paused ? 'paused with personas pause' : 'resumed with personas resume';
  let schedules = 0;
  const scheduleIds =
    mode === 'per-slot'
      ? personaId
        ? []
        : (await listSlotSchedules(client)).map((s) => s.scheduleId)
      : rows.map(({ id }) => scheduleIdFor(id));
  await mapLimit(scheduleIds, 16, async (scheduleId) => {
    const handle = client.schedule.getHandle(scheduleId);
    try {
      await (paused ? handle.pause(note) : handle.unpause(note));
      schedules++;
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  });
  const ticks = await runningTicks(client, personaId);
  let ticksSignalled = 0;
  await mapLimit(ticks, 16, async (t) => {
    await client.workflow.getHandle(t.workflowId, t.runId).signal(paused ? pauseSignal : resumeSignal);
    ticksSignalled++;
  });
  return { personas: rows.length, schedules, ticksSignalled };
}
