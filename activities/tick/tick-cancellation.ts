import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { personaTicks } from '../../schema/index.ts';

/**
 * Settles when the tick itself is cancelled (Temporal delivers it through a heartbeat, or to a local
 * activity directly); never outside an activity. Any other reason the SDK cancels an activity for —
 * the worker shutting down, a timeout, a pause or reset — does not end a tool call early: it runs to
 * its end, and Temporal retries the activity if it must (a partial answer then would look like a
 * cancelled tick to the workflow).
 */
export function tickCancellation(): Promise<void> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return new Promise(() => {});
  }
  return ctx.cancelled.catch((err: unknown) =>
    err instanceof CancelledFailure && err.message === 'CANCELLED' ? undefined : new Promise<void>(() => {}),
  );
}

/** True once the SDK has asked the running activity to stop, for any reason; false outside one. */
export function activityCancelled(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
}

/**
 * True once the tick's row is no longer `running`: its workflow has ended (a cancelled tick persists
 * and completes without waiting for the activity it cancelled). Asked before a step nobody would
 * wait for — heartbeats bring the cancellation only every few seconds.
 */
export async function tickEnded(db: Db, tickId: string): Promise<boolean> {
  const [row] = await db
    .select({ status: personaTicks.status })
    .from(personaTicks)
    .where(eq(personaTicks.id, tickId));
  return row !== undefined && row.status !== 'running';
}
