// Where a tick's wall time goes, from its Temporal history. Every instant between the workflow's start
// and its close is attributed to exactly one thing, by priority:
//
//   activity execution (started → completed, per activity type; a local activity: as the worker
//                       timed it, inside its workflow task)                                  highest
//   activity dispatch  (scheduled → started: matching, poll, worker slot)
//   workflow task      (scheduled → completed: queueing + the worker replaying/advancing the workflow)
//   gap                (nothing in flight: event processing between the above)  lowest
//
// so overlapping work (two parallel tool calls, a workflow task that runs while the second tool call is
// still executing) is counted once, on the tick's critical path. Event times are the server's, with
// sub-millisecond resolution.
import type { WorkflowHandle } from '@temporalio/client';
import type { LocalSpan } from './instrumentation.ts';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

const toMs = (t: HistoryEvent['eventTime']): number =>
  t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : Number.NaN;

export interface ActivitySpan {
  type: string;
  scheduledAt: number;
  startedAt: number;
  closedAt: number;
  attempt: number;
  /** A local activity: its span is inside a workflow task. */
  local?: boolean;
}

export interface TickTimeline {
  startedAt: number;
  closedAt: number;
  wallMs: number;
  activities: ActivitySpan[];
  workflowTasks: Array<{ scheduledAt: number; startedAt: number; completedAt: number }>;
  /** Critical-path attribution (ms): `exec:<activity type>`, `dispatch`, `workflow-task`, `gap`. */
  attribution: Record<string, number>;
  historyEvents: number;
}

export function tickTimeline(
  events: readonly HistoryEvent[],
  localSpans: readonly LocalSpan[] = [],
): TickTimeline {
  const byId = new Map<number, HistoryEvent>();
  for (const e of events) byId.set(Number(e.eventId), e);
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const startedAt = toMs(first.eventTime);
  const closedAt = toMs(last.eventTime);

  const activities: ActivitySpan[] = [];
  const started = new Map<number, HistoryEvent>();
  for (const e of events) {
    if (e.activityTaskStartedEventAttributes) {
      started.set(Number(e.activityTaskStartedEventAttributes.scheduledEventId), e);
    }
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (!closed) continue;
    const schedId = Number(closed.scheduledEventId);
    const sched = byId.get(schedId)!;
    const start = started.get(schedId);
    activities.push({
      type: sched.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
      scheduledAt: toMs(sched.eventTime),
      startedAt: start ? toMs(start.eventTime) : toMs(e.eventTime),
      closedAt: toMs(e.eventTime),
      attempt: start?.activityTaskStartedEventAttributes?.attempt ?? 1,
    });
  }

  // Local activities run inside a workflow task, timed by the worker (their markers carry no start).
  for (const la of localSpans)
    activities.push({
      type: la.type,
      scheduledAt: la.from,
      startedAt: la.from,
      closedAt: la.to,
      attempt: la.attempt,
      local: true,
    });

  const workflowTasks: TickTimeline['workflowTasks'] = [];
  for (const e of events) {
    const done =
      e.workflowTaskCompletedEventAttributes ??
      e.workflowTaskFailedEventAttributes ??
      e.workflowTaskTimedOutEventAttributes;
    if (!done) continue;
    const startEvent = byId.get(Number(done.startedEventId));
    const schedEvent = byId.get(Number(done.scheduledEventId));
    workflowTasks.push({
      scheduledAt: toMs(schedEvent?.eventTime),
      startedAt: toMs(startEvent?.eventTime),
      completedAt: toMs(e.eventTime),
    });
  }

  const intervals: Array<{ from: number; to: number; cat: string; priority: number }> = [
    ...activities.map((a) => ({ from: a.startedAt, to: a.closedAt, cat: `exec:${a.type}`, priority: 3 })),
    ...activities.map((a) => ({ from: a.scheduledAt, to: a.startedAt, cat: 'dispatch', priority: 2 })),
    ...workflowTasks.map((w) => ({
      from: w.scheduledAt,
      to: w.completedAt,
      cat: 'workflow-task',
      priority: 1,
    })),
  ].filter((i) => i.to > i.from);
  const points = [...new Set([startedAt, closedAt, ...intervals.flatMap((i) => [i.from, i.to])])]
    .filter((p) => p >= startedAt && p <= closedAt)
    .sort((a, b) => a - b);
  const attribution: Record<string, number> = {};
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    let best: { cat: string; priority: number } = { cat: 'gap', priority: 0 };
    for (const iv of intervals) {
      if (iv.from <= from && iv.to >= to && iv.priority > best.priority) best = iv;
    }
    attribution[best.cat] = (attribution[best.cat] ?? 0) + (to - from);
  }
  return {
    startedAt,
    closedAt,
    wallMs: closedAt - startedAt,
    activities,
    workflowTasks,
    attribution,
    historyEvents: events.length,
  };
}
