// What every workflow's failure table is made of, and how a failure reads when a tick records it (a
// failed tick's reason, an action's summary). Pure, bundled into the workflow sandbox.
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

/** One ApplicationFailure type of a workflow's failure table, and whether a retry may help. */
export interface FailureKind {
  type: string;
  retryable: boolean;
}

/**
 * `Type: message` for an ApplicationFailure, the message otherwise; an activity's failure is read
 * through to its cause.
 */
export function failureText(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'ApplicationFailure'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
