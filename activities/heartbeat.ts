import { Context } from '@temporalio/activity';

/**
 * Heartbeats while `work` runs, so Temporal notices a dead worker within the heartbeat timeout
 * (instead of the much longer start-to-close timeout) and delivers cancellation promptly.
 * Outside an activity context (unit tests calling the function directly) it just runs `work`.
 */
export async function withHeartbeat<T>(work: () => Promise<T>, everyMs = 2000): Promise<T> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    return work();
  }
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
