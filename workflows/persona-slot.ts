// One run of a per-slot schedule: who is due (an activity reads the database, so a pause or a new
// persona needs no schedule change), then each due persona's tick as a child at its own jitter
// offset. Children are abandoned when the run ends: a tick outlives the fan-out that started it, and
// the schedule's next run is never held back by a long tick.
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import {
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { SlotActivities } from '../activities/index.ts';
import { slotTickWorkflowId, type SlotInput, type SlotResult } from './slot-contract.ts';
import { tickStartOptions } from './tick-contract.ts';

const { slotMembers } = proxyActivities<SlotActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

/** Set by Temporal on every workflow a schedule starts: the time the schedule fired. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export async function personaSlot(input: SlotInput): Promise<SlotResult> {
  const info = workflowInfo();
  const firedAt = input.at ?? info.typedSearchAttributes.get(SCHEDULED_START)?.toISOString();
  const at = firedAt ?? new Date(info.startTime).toISOString();
  const members = await slotMembers({ slot: input.slot, at });
  const result: SlotResult = {
    at,
    started: 0,
    alreadyStarted: 0,
    paused: members.paused,
    running: members.running,
  };
  const show = () =>
    setCurrentDetails(
      `${result.started + result.alreadyStarted}/${members.due.length} ticks started · ${result.paused} paused · ${result.running} still running`,
    );
  show();
  // Offsets count from the fire time, so a late run (catch-up, retry) starts the overdue ones at once.
  const t0 = Date.parse(at);
  // Members come sorted by offset; those sharing a second start together.
  for (let i = 0; i < members.due.length;) {
    const offset = members.due[i]!.offsetSeconds;
    const group = [];
    while (i < members.due.length && members.due[i]!.offsetSeconds === offset) group.push(members.due[i++]!);
    const wait = t0 + offset * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
    await Promise.all(
      group.map(async ({ subject }) => {
        const { workflowType, ...options } = tickStartOptions(
          subject,
          info.taskQueue,
          {},
          { kind: 'schedule' },
        );
        try {
          await startChild(workflowType, {
            ...options,
            workflowId: slotTickWorkflowId(subject.personaId, at),
            parentClosePolicy: ParentClosePolicy.ABANDON,
            // Never a second tick for the same persona and fire time, even after the first ended.
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          });
          result.started++;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          result.alreadyStarted++;
        }
      }),
    );
    show();
  }
  return result;
}
