import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import { mapLimit } from '../concurrency.ts';
import { tickStartOptions } from '../../workflows/tick-contract.ts';
import type { SlotKey } from '../../workflows/slot-contract.ts';
import type { SchedulablePersona } from './persona-schedule.ts';
import {
  parseSlotScheduleId,
  slotFingerprint,
  slotKeyString,
  slotOf,
  slotScheduleId,
  slotScheduleOptions,
} from './slot-schedule.ts';
import { listSchedules, type SyncChange, type SyncOptions } from './sync.ts';

interface ExistingSlot {
  scheduleId: string;
  fingerprint: string | undefined;
  paused: boolean;
}

interface DesiredSlot {
  key: SlotKey;
  personas: number;
  paused: boolean;
}

/** Every slot schedule Temporal has, with what sync compares. */
export async function listSlotSchedules(client: Client): Promise<ExistingSlot[]> {
  return (await listSchedules(client, (id) => !!parseSlotScheduleId(id))).map(
    ({ scheduleId, fingerprint, paused }) => ({ scheduleId, fingerprint, paused }),
  );
}

/** The slots the personas fall in; a slot is paused when every persona in it is. */
export function desiredSlots(personas: readonly SchedulablePersona[]): Map<string, DesiredSlot> {
  const slots = new Map<string, DesiredSlot>();
  for (const p of personas) {
    const key = slotOf(p);
    const id = slotScheduleId(key);
    const s = slots.get(id) ?? { key, personas: 0, paused: true };
    s.personas++;
    s.paused &&= p.paused;
    slots.set(id, s);
  }
  return slots;
}

/** The changes that make Temporal's slot schedules match the database's personas. */
export function diffSlots(
  desired: Map<string, DesiredSlot>,
  existing: readonly ExistingSlot[],
  taskQueue: string,
): SyncChange[] {
  const have = new Map(existing.map((s) => [s.scheduleId, s]));
  const changes: SyncChange[] = [];
  for (const [id, d] of desired) {
    const cur = have.get(id);
    have.delete(id);
    const persona = `${d.personas} persona${d.personas === 1 ? '' : 's'}`;
    if (!cur) changes.push({ action: 'create', scheduleId: id, persona, detail: slotKeyString(d.key) });
    else if (cur.fingerprint !== slotFingerprint(d.key, taskQueue))
      changes.push({ action: 'update', scheduleId: id, persona, detail: `now ${slotKeyString(d.key)}` });
    else if (cur.paused !== d.paused)
      changes.push({ action: 'update', scheduleId: id, persona, detail: d.paused ? 'pause' : 'unpause' });
    else changes.push({ action: 'unchanged', scheduleId: id, persona, detail: '' });
  }
  for (const orphan of have.values())
    changes.push({
      action: 'delete',
      scheduleId: orphan.scheduleId,
      persona: '0 personas',
      detail: 'no persona in this slot',
    });
  return changes;
}

const ignoreNotFound = (err: unknown) => {
  if (!(err instanceof ScheduleNotFoundError)) throw err;
};

/**
 * Makes Temporal's slot schedules (SCHEDULE_MODE=per-slot) match the database: one per (cadence,
 * timezone, minute) that has personas. A changed fingerprint replaces the schedule (a memo cannot be
 * updated); a change of paused state pauses or unpauses it. With `triggerNew`, personas that never
 * ticked and are not paused get a first tick now, `tick-<personaId>-first`, at most once (the id is
 * never reused).
 */
export async function syncSlotSchedules(
  client: Client,
  personas: readonly (SchedulablePersona & { lastActiveAt?: Date | null })[],
  opts: SyncOptions,
): Promise<{ changes: SyncChange[]; firstTicks: number }> {
  const desired = desiredSlots(personas);
  const existing = await listSlotSchedules(client);
  const listed = new Map(existing.map((s) => [s.scheduleId, s.fingerprint]));
  const changes = diffSlots(desired, existing, opts.taskQueue);
  if (opts.dryRun) return { changes, firstTicks: 0 };
  const work = changes.filter((c) => c.action !== 'unchanged');
  let done = 0;
  await mapLimit(work, opts.concurrency ?? 16, async (c) => {
    const handle = client.schedule.getHandle(c.scheduleId);
    const d = desired.get(c.scheduleId);
    if (!d) await handle.delete().catch(ignoreNotFound);
    else {
      const options = slotScheduleOptions(d.key, opts.taskQueue, d);
      const replace =
        c.action === 'update' && listed.get(c.scheduleId) !== slotFingerprint(d.key, opts.taskQueue);
      if (replace) await handle.delete().catch(ignoreNotFound);
      if (c.action === 'update' && !replace)
        await (d.paused ? handle.pause(options.state?.note) : handle.unpause(options.state?.note));
      else
        await client.schedule.create(options).catch((err: unknown) => {
          // Listing is eventually consistent: one created moments ago may not have been listed.
          if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        });
    }
    opts.onProgress?.(++done, work.length);
  });
  let firstTicks = 0;
  if (opts.triggerNew !== false) {
    const fresh = personas.filter((p) => !p.paused && !p.lastActiveAt);
    await mapLimit(fresh, opts.concurrency ?? 16, async (p) => {
      const { workflowType, ...start } = tickStartOptions(p, opts.taskQueue, {}, { kind: 'schedule' });
      try {
        await client.workflow.start(workflowType, {
          ...start,
          workflowId: `tick-${p.personaId}-first`,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
        firstTicks++;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    });
  }
  return { changes, firstTicks };
}
