import { ApplicationFailure } from '@temporalio/common';
import {
  failureText,
  type ToolCallResult,
  type ToolRoundInput,
  type ToolRoundResult,
} from '../../workflows/tick-contract.ts';
import type { ActivityDeps } from '../deps.ts';
import { withHeartbeat } from '../heartbeat.ts';
import { tickCancellation } from './tick-cancellation.ts';
import { toolCallRunner } from './tool-call.ts';

const retryable = (err: unknown) => !(err instanceof ApplicationFailure && err.nonRetryable);

/**
 * A round's parallel tool calls in one activity: one activity and one workflow task per round instead
 * of one per call. Each call is the same as `callTool` (its own idempotency key, transcript part and
 * result). A retryable failure of any call fails the round and Temporal repeats it: the calls that had
 * completed are sent again with the same keys, and the gateway answers them from its record instead of
 * writing twice. A non-retryable failure is that call's result. When the tick is cancelled, the
 * activity returns at once with what completed (the workflow waits for that, so completed calls —
 * which may have written to the product — are recorded); unfinished calls are null.
 */
export function createToolRound(deps: ActivityDeps) {
  const run = toolCallRunner(deps);
  return async function callTools(input: ToolRoundInput): Promise<ToolRoundResult> {
    return withHeartbeat(async () => {
      const settled: Array<PromiseSettledResult<ToolCallResult> | undefined> = input.calls.map(
        () => undefined,
      );
      const all = Promise.all(
        input.calls.map((c, i) =>
          run({ tickId: input.tickId, personaId: input.personaId, round: input.round, ...c }).then(
            (value) => void (settled[i] = { status: 'fulfilled', value }),
            (reason: unknown) => void (settled[i] = { status: 'rejected', reason }),
          ),
        ),
      );
      let cancelled = false;
      await Promise.race([all, tickCancellation().then(() => void (cancelled = true))]);
      if (!cancelled) {
        const failed = settled.find((s) => s?.status === 'rejected' && retryable(s.reason));
        if (failed?.status === 'rejected') throw failed.reason;
      }
      return settled.map((s, i) => {
        if (!s) return null;
        if (s.status === 'fulfilled') return s.value;
        return { toolUseId: input.calls[i]!.toolUseId, failure: failureText(s.reason).slice(0, 300) };
      });
    });
  };
}
