// The tick's activity timeouts and retry policies, in one place. Infrastructure (the gateway, Postgres,
// the model endpoint, a worker) is allowed to be away for minutes: every activity retries with a
// capped backoff for as long as its schedule-to-close budget lasts, with no attempt limit inside it.
// Only when a budget is spent does the workflow record the failure (a tool call becomes an `infra`
// action, any other step fails the tick). Changing these values changes no workflow command, so
// running ticks replay unchanged (test/tick/replay.test.ts).
import {
  ActivityCancellationType,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { TICK_FAILURES } from './tick-contract.ts';

/** Backoff shared by every step: 1 s, 2 s, 4 s … capped at 30 s between attempts. */
const INFRA_BACKOFF = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } as const;

export const LOGIN_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  retry: {
    ...INFRA_BACKOFF,
    nonRetryableErrorTypes: [
      TICK_FAILURES.personaNotFound.type,
      TICK_FAILURES.noPersonalSpace.type,
      TICK_FAILURES.loginRefused.type,
    ],
  },
};

// Model calls: Temporal owns retries (SDK retries are off); 429/5xx/529 back off, honouring
// retry-after through nextRetryDelay; other 4xx are thrown non-retryable by the activity.
// Heartbeats (every 2 s) let Temporal notice a crashed worker within 10 s and retry elsewhere.
// A longer cap than the other steps: an overloaded model endpoint is better not hammered.
export const MODEL_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '3m',
  scheduleToCloseTimeout: '15m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '60s' },
};

// A tool call rides out a gateway or Postgres outage of up to ~10 minutes; each attempt carries the
// same idempotency key, so however many attempts it takes, the product write happens once.
export const TOOL_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '60s',
  scheduleToCloseTimeout: '10m',
  heartbeatTimeout: '10s',
  retry: INFRA_BACKOFF,
};

export const PERSIST_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '60s',
  scheduleToCloseTimeout: '15m',
  retry: INFRA_BACKOFF,
};

// Since the `tick-rounds` patch (persona-tick.ts): a round's tool calls in one activity, with the tool
// call's budget. Cancellation waits for the activity's answer, which lists the calls that completed.
export const TOOL_ROUND_OPTIONS: ActivityOptions = {
  ...TOOL_OPTIONS,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

// Since the same patch, persist is a local activity: it runs in the worker inside the workflow task
// that completes the tick, saving a task round trip. Same budget; backoffs over a minute become
// durable timers. A worker lost mid-persist re-runs it on the next workflow task: it is idempotent
// (deterministic ids, ON CONFLICT DO NOTHING) and calls neither the model nor a tool.
export const PERSIST_LOCAL_OPTIONS: LocalActivityOptions = asLocal(PERSIST_OPTIONS);

// Since the `tick-local-steps` patch, login and each tool call are local activities too: short steps
// (milliseconds) that run in the worker inside the workflow task that asks for them, so a round costs
// one workflow task (the model's answer) instead of two. Same budgets and backoff: every backoff is
// under a minute, so retries stay in the worker and keep the workflow task alive while an outage
// lasts. A worker lost mid-step re-runs the step on the next workflow task: login is idempotent, a
// tool call carries its idempotency key. A cancellation waits for the call's answer, which is a
// cancellation unless the gateway had already answered (then the call is recorded).
export const LOGIN_LOCAL_OPTIONS: LocalActivityOptions = asLocal(LOGIN_OPTIONS);
export const TOOL_LOCAL_OPTIONS: LocalActivityOptions = {
  ...asLocal(TOOL_OPTIONS),
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/** The same budget and retry policy for a step run as a local activity (no heartbeat there). */
function asLocal(options: ActivityOptions): LocalActivityOptions {
  return {
    startToCloseTimeout: options.startToCloseTimeout,
    scheduleToCloseTimeout: options.scheduleToCloseTimeout,
    retry: options.retry,
  };
}
