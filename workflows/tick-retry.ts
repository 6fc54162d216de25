// The tick's activity timeouts and retry policies, in one place. Infrastructure (the gateway, Postgres,
// the model endpoint, a worker) is allowed to be away for minutes: every step retries with a capped
// backoff for as long as its schedule-to-close budget lasts, with no attempt limit inside it. Only
// when a budget is spent does the workflow record the failure (a tool call becomes an `infra` action,
// any other step fails the tick). Changing these values changes no workflow command, so running
// ticks replay unchanged (test/tick/replay.test.ts).
import {
  ActivityCancellationType,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { TICK_FAILURES } from './tick-contract.ts';

/** Backoff shared by every step: 1 s, 2 s, 4 s … capped at 30 s between attempts. */
const INFRA_BACKOFF = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } as const;

// Login, tool calls and persist are local activities: short steps (milliseconds) that run in the
// worker inside the workflow task that asks for them, so a round costs one workflow task (the model's
// answer). Every backoff is under a minute, so retries stay in the worker and keep the workflow task
// alive while an outage lasts (longer ones become durable timers). A worker lost mid-step re-runs the
// step on the next workflow task: login is idempotent, a tool call carries its idempotency key,
// persist uses deterministic ids with ON CONFLICT DO NOTHING and calls neither the model nor a tool.

export const LOGIN_OPTIONS: LocalActivityOptions = {
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

// A tool call rides out a gateway or Postgres outage of up to ~10 minutes; each attempt carries the
// same idempotency key, so however many attempts it takes, the product write happens once. A
// cancellation waits for the call's answer, which is a cancellation unless the gateway had already
// answered (then the call is recorded).
export const TOOL_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '60s',
  scheduleToCloseTimeout: '10m',
  retry: INFRA_BACKOFF,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

// A goal check is a read-only tool call: the tool call's budget, and nothing to cancel halfway.
export const GOAL_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '60s',
  scheduleToCloseTimeout: '10m',
  retry: INFRA_BACKOFF,
};

export const PERSIST_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '60s',
  scheduleToCloseTimeout: '15m',
  retry: INFRA_BACKOFF,
};

// Model calls are activities of their own (seconds, and paid): Temporal owns retries (SDK retries are
// off); 429/5xx/529 back off, honouring retry-after through nextRetryDelay; other 4xx are thrown
// non-retryable by the activity. Heartbeats (every 2 s) let Temporal notice a crashed worker within
// 10 s and retry elsewhere. A longer cap than the other steps: an overloaded model endpoint is better
// not hammered.
export const MODEL_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '3m',
  scheduleToCloseTimeout: '15m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '60s' },
};
