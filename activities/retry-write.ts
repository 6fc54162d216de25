import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../lib/db/unavailable.ts';

/**
 * Repeats a database write while Postgres is unreachable, for up to `budgetMs` (backoff 250 ms →
 * 5 s). Used where failing the activity would throw away something paid for: a model answer that
 * could not be stored would be requested (and billed) again by Temporal's retry. Other errors, and
 * an outage longer than the budget, go to the caller.
 */
export async function retryWrite<T>(write: () => Promise<T>, budgetMs = 60_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await write();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + delay > deadline) throw err;
      await sleep(delay);
    }
  }
}
