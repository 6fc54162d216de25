// activities/tick/tick-cancellation.ts in a mocked activity context (MockActivityEnvironment): only the
// tick's own cancellation ends a tool call early; the worker shutting down, a timeout or any other
// reason the SDK cancels an activity for lets the call run to its end (a partial answer would look
// like a cancelled tick to the workflow).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockActivityEnvironment } from '@temporalio/testing';
import { tickCancellation } from '../../activities/tick/tick-cancellation.ts';

/** Whether tickCancellation() settles within a moment after the environment is cancelled for `reason`. */
async function settlesOn(reason: 'CANCELLED' | 'WORKER_SHUTDOWN' | 'TIMED_OUT' | 'PAUSED') {
  const env = new MockActivityEnvironment();
  return env.run(async () => {
    let settled = false;
    void tickCancellation().then(() => (settled = true));
    env.cancel(reason);
    await sleep(50);
    return settled;
  });
}

test('the tick’s cancellation ends the wait; other cancel reasons do not', async () => {
  assert.equal(await settlesOn('CANCELLED'), true);
  for (const reason of ['WORKER_SHUTDOWN', 'TIMED_OUT', 'PAUSED'] as const)
    assert.equal(await settlesOn(reason), false, reason);
});

test('outside an activity it never settles (and never throws)', async () => {
  let settled = false;
  void tickCancellation().then(() => (settled = true));
  await sleep(20);
  assert.equal(settled, false);
});
